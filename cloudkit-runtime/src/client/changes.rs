//! Change feeds: which zones changed (`changes/database`) and which records changed in a zone
//! (`changes/zone`). Each page hands out the sync token to persist; resuming from it later
//! continues where the page ended.

use std::sync::Arc;

use futures_core::Stream;

use super::continuation::{Step, follow};
use super::database::{Database, HasChangeFeeds, Scope};
use super::error::{Error, ServerFailure, per_item};
use super::request::PreparedRequest;
use super::sync_token::SyncToken;
use cloudkit_wire::ws::{
    DatabaseChangesRequest, DatabaseChangesResponse, RecordEntry, Zone, ZoneChangesRequest,
    ZoneChangesRequestZone, ZoneChangesResponse, ZoneId,
};

pub(crate) const DATABASE_CHANGES: &str = "changes/database";
pub(crate) const ZONE_CHANGES: &str = "changes/zone";

/// One page of `changes/database`.
#[derive(Clone, Debug, PartialEq)]
pub struct DatabaseChangesPage {
    /// Zones that changed (`deleted: true` for deleted zones); per-zone errors kept in place.
    pub zones: Vec<Result<Zone, ServerFailure>>,
    /// Persist this to resume after this page.
    pub sync_token: Option<SyncToken>,
    /// Whether another page follows (the stream fetches it).
    pub more_coming: bool,
}

/// One page of `changes/zone` for one zone.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneChangesPage {
    /// The zone.
    pub zone_id: ZoneId,
    /// Changed records and tombstones; per-record errors kept in place.
    pub records: Vec<Result<RecordEntry, ServerFailure>>,
    /// Persist this to resume after this page.
    pub sync_token: Option<SyncToken>,
    /// Whether another page follows (the stream fetches it).
    pub more_coming: bool,
}

/// A `changes/database` feed. Start with [`Database::database_changes`].
#[derive(Clone, Debug)]
#[must_use = "a feed does nothing until `stream` is used"]
pub struct DatabaseChanges<S: HasChangeFeeds> {
    db: Database<S>,
    sync_token: Option<String>,
    results_limit: Option<u32>,
}

/// A `changes/zone` feed for one zone. Start with [`Database::zone_changes`].
#[derive(Clone, Debug)]
#[must_use = "a feed does nothing until `stream` is used"]
pub struct ZoneChanges<S: HasChangeFeeds> {
    db: Database<S>,
    zone: ZoneChangesRequestZone,
}

// The bounds sit on the methods, not on the impl: only a method's bound makes rustc print the
// scope's `on_unimplemented` message (an impl bound gives a bare "method not found").
impl<S: Scope> Database<S> {
    /// Zones changed since `sync_token` (`None`: the whole history).
    pub fn database_changes(&self, sync_token: Option<SyncToken>) -> DatabaseChanges<S>
    where
        S: HasChangeFeeds,
    {
        DatabaseChanges {
            db: self.clone(),
            sync_token: sync_token.map(SyncToken::into_string),
            results_limit: None,
        }
    }

    /// Records changed in `zone_id` since `sync_token` (`None`: the whole history). Custom
    /// zones only; the default zone has no change history.
    pub fn zone_changes(&self, zone_id: ZoneId, sync_token: Option<SyncToken>) -> ZoneChanges<S>
    where
        S: HasChangeFeeds,
    {
        ZoneChanges {
            db: self.clone(),
            zone: ZoneChangesRequestZone::new(zone_id, sync_token.map(SyncToken::into_string)),
        }
    }
}

impl<S: HasChangeFeeds> DatabaseChanges<S> {
    /// Zones per page.
    pub fn results_limit(mut self, limit: u32) -> Self {
        self.results_limit = Some(limit);
        self
    }

    /// The request for the page after `sync_token`.
    pub fn prepare(&self, sync_token: Option<&str>) -> Result<PreparedRequest, Error> {
        let body = DatabaseChangesRequest {
            sync_token: sync_token.map(str::to_owned),
            results_limit: self.results_limit,
        };
        PreparedRequest::post(
            self.db.path(DATABASE_CHANGES),
            DATABASE_CHANGES,
            S::SCOPE,
            &body,
        )
    }

    /// Pages until the server says no more are coming.
    pub fn stream(self) -> impl Stream<Item = Result<DatabaseChangesPage, Error>> + Send + 'static {
        let start = self.sync_token.clone();
        // Shared rather than cloned: a derived `Clone` would ask the scope marker to be `Clone`.
        let feed = Arc::new(self);
        follow(DATABASE_CHANGES, start, move |token| {
            let feed = Arc::clone(&feed);
            async move { feed.fetch(token).await }
        })
    }

    async fn fetch(&self, token: Option<String>) -> Result<Step<DatabaseChangesPage>, Error> {
        let request = self.prepare(token.as_deref())?;
        let response: DatabaseChangesResponse = self.db.client.transport.call(&request).await?;
        let page = DatabaseChangesPage {
            zones: per_item(DATABASE_CHANGES, response.zones),
            sync_token: response.sync_token.clone().or(token).map(SyncToken::from),
            more_coming: response.more_coming,
        };
        Ok(Step {
            items: page.zones.len(),
            next: response.sync_token,
            more: response.more_coming,
            page,
        })
    }
}

impl<S: HasChangeFeeds> ZoneChanges<S> {
    /// Records per page.
    pub fn results_limit(mut self, limit: u32) -> Self {
        self.zone.results_limit = Some(limit);
        self
    }

    /// Only these fields come back.
    pub fn desired_keys<I, K>(mut self, keys: I) -> Self
    where
        I: IntoIterator<Item = K>,
        K: Into<String>,
    {
        self.zone.desired_keys = Some(keys.into_iter().map(Into::into).collect());
        self
    }

    /// Only records of these types come back.
    pub fn desired_record_types<I, K>(mut self, types: I) -> Self
    where
        I: IntoIterator<Item = K>,
        K: Into<String>,
    {
        self.zone.desired_record_types = Some(types.into_iter().map(Into::into).collect());
        self
    }

    /// The request for the page after `sync_token`. Everything goes inside the zone entry, as
    /// CloudKit JS does.
    pub fn prepare(&self, sync_token: Option<&str>) -> Result<PreparedRequest, Error> {
        let mut zone = self.zone.clone();
        zone.sync_token = sync_token.map(str::to_owned);
        let body = ZoneChangesRequest {
            zones: vec![zone],
            results_limit: None,
            desired_keys: None,
            desired_record_types: None,
            numbers_as_strings: None,
            reverse: None,
        };
        PreparedRequest::post(self.db.path(ZONE_CHANGES), ZONE_CHANGES, S::SCOPE, &body)
    }

    /// Pages until the server says no more are coming. A zone-level error (e.g.
    /// `ZONE_NOT_FOUND`) ends the stream with that error.
    pub fn stream(self) -> impl Stream<Item = Result<ZoneChangesPage, Error>> + Send + 'static {
        let start = self.zone.sync_token.clone();
        // Shared rather than cloned: a derived `Clone` would ask the scope marker to be `Clone`.
        let feed = Arc::new(self);
        follow(ZONE_CHANGES, start, move |token| {
            let feed = Arc::clone(&feed);
            async move { feed.fetch(token).await }
        })
    }

    async fn fetch(&self, token: Option<String>) -> Result<Step<ZoneChangesPage>, Error> {
        let request = self.prepare(token.as_deref())?;
        let reply = self
            .db
            .client
            .transport
            .reply::<ZoneChangesResponse>(&request)
            .await?;
        let mut zones = reply.response.zones.into_iter();
        let zone = match (zones.next(), zones.next()) {
            (Some(zone), None) => zone.map_err(|d| ServerFailure::new(ZONE_CHANGES, None, d))?,
            _ => {
                return Err(Error::unexpected(
                    ZONE_CHANGES,
                    200,
                    "expected exactly one zone entry",
                    &reply.body,
                ));
            }
        };
        let page = ZoneChangesPage {
            zone_id: zone.zone_id,
            records: per_item(ZONE_CHANGES, zone.records),
            sync_token: zone.sync_token.clone().or(token).map(SyncToken::from),
            more_coming: zone.more_coming,
        };
        Ok(Step {
            items: page.records.len(),
            next: zone.sync_token,
            more: zone.more_coming,
            page,
        })
    }
}
