//! One record at a time, and lookups: createRecord, getRecord, updateRecord, deleteRecord,
//! lookupRecords (spec §4.8).

use cloudkit_wire::management::{
    CreateRecordRequest, LookupRecordsRequest, LookupRecordsResponse, ModifyRecordRequest, Record,
    RecordResponse, RecordResult,
};

use super::database::ManagedDatabase;
use super::error::Error;
use super::transport::Call;

impl ManagedDatabase<'_> {
    /// Creates a record in `zone` (createRecord, 201); the saved record with its change tag.
    ///
    /// A request without a name gets a random UUID here rather than from the server (which
    /// would pick one too), so a create retried after a lost answer cannot make a second record.
    pub async fn create_record(
        &self,
        zone: &str,
        request: &CreateRecordRequest,
    ) -> Result<Record, Error> {
        let call = if request.record_name.is_some() {
            Call::with_json(
                "createRecord",
                reqwest::Method::POST,
                self.path.records(zone),
                request,
            )?
        } else {
            let named = request.clone().named(uuid::Uuid::new_v4().to_string());
            Call::with_json(
                "createRecord",
                reqwest::Method::POST,
                self.path.records(zone),
                &named,
            )?
        };
        Ok(self.client.json::<RecordResponse>(call).await?.record)
    }

    /// One record (getRecord). `requested_fields`: `None` for every field, else only those
    /// (sent comma-joined, spec §1.3). A missing record is an error status (inferred 404).
    pub async fn record(
        &self,
        zone: &str,
        record_name: &str,
        requested_fields: Option<&[&str]>,
    ) -> Result<Record, Error> {
        let mut call = Call::new(
            "getRecord",
            reqwest::Method::GET,
            self.path.record(zone, record_name),
        );
        if let Some(fields) = requested_fields {
            call.query.push(("requestedFields", fields.join(",")));
        }
        Ok(self.client.json::<RecordResponse>(call).await?.record)
    }

    /// Updates a record (updateRecord). Without `force` the request's `recordChangeTag` must be
    /// the stored one, else the server refuses (inferred 409 `CONFLICT`); with `force` the tag
    /// is not checked (`force=true` in the query).
    pub async fn update_record(
        &self,
        zone: &str,
        record_name: &str,
        request: &ModifyRecordRequest,
        force: bool,
    ) -> Result<Record, Error> {
        if !force && request.record_change_tag.is_none() {
            return Err(Error::InvalidParameters {
                operation: "updateRecord",
                message: "recordChangeTag is required unless the update is forced".to_owned(),
            });
        }
        let mut call = Call::with_json(
            "updateRecord",
            reqwest::Method::PUT,
            self.path.record(zone, record_name),
            request,
        )?;
        if force {
            call.query.push(("force", "true".to_owned()));
        }
        Ok(self.client.json::<RecordResponse>(call).await?.record)
    }

    /// Deletes a record, unconditionally: the API takes no change tag (deleteRecord, 204).
    pub async fn delete_record(&self, zone: &str, record_name: &str) -> Result<(), Error> {
        let call = Call::new(
            "deleteRecord",
            reqwest::Method::DELETE,
            self.path.record(zone, record_name),
        );
        self.client.send(&call).await.map(drop)
    }

    /// Several records of `zone` by name (lookupRecords): one result per name, a missing one
    /// as an `error` result rather than a failed call.
    pub async fn lookup_records(
        &self,
        zone: &str,
        request: &LookupRecordsRequest,
    ) -> Result<Vec<RecordResult>, Error> {
        let call = Call::with_json(
            "lookupRecords",
            reqwest::Method::POST,
            self.path.lookup(zone),
            request,
        )?;
        Ok(self
            .client
            .json::<LookupRecordsResponse>(call)
            .await?
            .record_results)
    }
}
