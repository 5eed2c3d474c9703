//! One database of the v1 data API, and its zones: getZones, createZone, getZone, deleteZone
//! (spec §4.7).

use cloudkit_wire::management::{
    CreateZoneRequest, DatabasePath, DatabaseType, MAX_RESULTS_LIMIT, Zone, ZoneResponse,
    ZonesResponse,
};
use cloudkit_wire::ws::Environment;

use super::error::Error;
use super::handle::ManagementClient;
use super::transport::Call;

/// Most pages a following helper ([`ManagedDatabase::all_zones`], `query_all`, …) reads; a
/// server that keeps handing out tokens does not keep the client busy forever.
pub(super) const MAX_PAGES: usize = 1000;

/// A database of a container addressed by the v1 data API (no team); made by
/// [`ManagementClient::database`]. Data calls need an API token (and a web auth token for a
/// user's data) or a user token on the client.
#[derive(Debug, Clone)]
pub struct ManagedDatabase<'a> {
    pub(super) client: &'a ManagementClient,
    pub(super) path: DatabasePath,
}

impl ManagedDatabase<'_> {
    /// One page of zones (getZones); pass the previous page's `continuationToken` for the next.
    pub async fn zones_page(
        &self,
        continuation_token: Option<&str>,
    ) -> Result<ZonesResponse, Error> {
        let mut call = Call::new("getZones", reqwest::Method::GET, self.path.zones());
        if let Some(token) = continuation_token {
            call.query.push(("continuationToken", token.to_owned()));
        }
        self.client.json(call).await
    }

    /// Every zone, following `continuationToken` until a page has none (or repeats one).
    pub async fn zones(&self) -> Result<Vec<Zone>, Error> {
        let mut token: Option<String> = None;
        let mut all = Vec::new();
        for _ in 0..MAX_PAGES {
            let page = self.zones_page(token.as_deref()).await?;
            all.extend(page.zones);
            match page.continuation_token {
                Some(next) if token.as_deref() != Some(&next) => token = Some(next),
                _ => break,
            }
        }
        Ok(all)
    }

    /// Creates a regular custom zone named `zone_name` (createZone, 201).
    pub async fn create_zone(&self, zone_name: &str) -> Result<Zone, Error> {
        let body = CreateZoneRequest::named(zone_name);
        let call = Call::with_json(
            "createZone",
            reqwest::Method::POST,
            self.path.zones(),
            &body,
        )?;
        Ok(self.client.json::<ZoneResponse>(call).await?.zone)
    }

    /// One zone (getZone); a missing zone is an error status (inferred 404).
    pub async fn zone(&self, zone_name: &str) -> Result<Zone, Error> {
        let call = Call::new("getZone", reqwest::Method::GET, self.path.zone(zone_name));
        Ok(self.client.json::<ZoneResponse>(call).await?.zone)
    }

    /// Deletes a zone and its records (deleteZone, 204).
    pub async fn delete_zone(&self, zone_name: &str) -> Result<(), Error> {
        let call = Call::new(
            "deleteZone",
            reqwest::Method::DELETE,
            self.path.zone(zone_name),
        );
        self.client.send(&call).await.map(drop)
    }
}

/// Refuses a `resultsLimit` outside 1–200 before sending, as CKTool JS does (spec §10).
pub(super) fn check_results_limit(
    operation: &'static str,
    limit: Option<i32>,
) -> Result<(), Error> {
    match limit {
        Some(n) if !(1..=MAX_RESULTS_LIMIT).contains(&n) => Err(Error::InvalidParameters {
            operation,
            message: format!("resultsLimit {n} is outside 1–{MAX_RESULTS_LIMIT}"),
        }),
        _ => Ok(()),
    }
}

impl ManagementClient {
    /// The v1 data calls of one database: `database` of `container_id` in `environment`.
    pub fn database(
        &self,
        container_id: &str,
        environment: Environment,
        database: DatabaseType,
    ) -> ManagedDatabase<'_> {
        ManagedDatabase {
            client: self,
            path: DatabasePath::new(container_id, environment, database),
        }
    }
}
