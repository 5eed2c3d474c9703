//! One container's schema calls: export, validate, import, reset (spec §4.3 to §4.5).

use cloudkit_wire::management::{
    SchemaUpload, ValidateSchemaResponse, reset_path, schema_export_path, schema_import_path,
    schema_validate_path,
};
use cloudkit_wire::ws::Environment;

use super::error::Error;
use super::handle::ManagementClient;
use super::transport::Call;

/// A container addressed through its team; made by [`ManagementClient::container`].
#[derive(Debug, Clone)]
pub struct ManagedContainer<'a> {
    client: &'a ManagementClient,
    team_id: String,
    container_id: String,
}

impl<'a> ManagedContainer<'a> {
    pub(super) fn new(client: &'a ManagementClient, team_id: &str, container_id: &str) -> Self {
        Self {
            client,
            team_id: team_id.to_owned(),
            container_id: container_id.to_owned(),
        }
    }

    /// The container id.
    pub fn id(&self) -> &str {
        &self.container_id
    }

    /// The live schema of `environment` as `.ckdb` text (exportSchema).
    pub async fn export_schema(&self, environment: Environment) -> Result<String, Error> {
        let path = schema_export_path(&self.team_id, &self.container_id, environment);
        let call = Call::new("exportSchema", reqwest::Method::GET, path);
        let answer = self.client.send(&call).await?;
        String::from_utf8(answer.body).map_err(|e| {
            Error::unexpected(
                call.operation,
                answer.status,
                "the schema is not UTF-8 text",
                e.as_bytes(),
            )
        })
    }

    /// Asks the server whether `schema_text` could be applied to `environment`
    /// (validateSchema). An invalid file is `Ok` with `is_valid: false`.
    pub async fn validate_schema(
        &self,
        environment: Environment,
        schema_text: &str,
    ) -> Result<ValidateSchemaResponse, Error> {
        let path = schema_validate_path(&self.team_id, &self.container_id, environment);
        let mut call = Call::new("validateSchema", reqwest::Method::POST, path);
        call.body = Some(upload(schema_text));
        self.client.json(call).await
    }

    /// Replaces the schema of `environment` with `schema_text` (importSchema). Apple imports
    /// into development only; production changes are deployed from CloudKit Console.
    pub async fn import_schema(
        &self,
        environment: Environment,
        schema_text: &str,
    ) -> Result<(), Error> {
        let path = schema_import_path(&self.team_id, &self.container_id, environment);
        let mut call = Call::new("importSchema", reqwest::Method::PUT, path);
        call.body = Some(upload(schema_text));
        // Any 2xx, body ignored (spec §1.5).
        self.client.send(&call).await.map(drop)
    }

    /// Resets development to production: development's schema becomes production's and its
    /// data is deleted (resetToProduction, `cktool reset-schema`). There is no production
    /// variant.
    pub async fn reset_development(&self) -> Result<(), Error> {
        let path = reset_path(&self.team_id, &self.container_id, Environment::Development);
        let call = Call::new("resetToProduction", reqwest::Method::POST, path);
        self.client.send(&call).await.map(drop)
    }
}

fn upload(schema_text: &str) -> (String, Vec<u8>) {
    (
        SchemaUpload::content_type(),
        SchemaUpload::new(schema_text).into_body(),
    )
}

impl ManagementClient {
    /// The schema and reset calls of one container.
    pub fn container(&self, team_id: &str, container_id: &str) -> ManagedContainer<'_> {
        ManagedContainer::new(self, team_id, container_id)
    }
}
