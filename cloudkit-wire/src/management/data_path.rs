//! Where each v1 data operation lives: `/v1/database/containers/{container}/environments/{env}/
//! databases/{db}/…` (spec §1.2, §3). No team in these paths.

use std::fmt;

use super::path::{encode_segment, environment_segment};
use crate::ws::Environment;

/// The `{databaseType}` segment. The path takes a free string; this client always sends the
/// upper-case spelling of Apple's samples (`CKDatabaseType.PUBLIC` → `PUBLIC`, spec §1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatabaseType {
    /// `PRIVATE`: the signed-in user's own data.
    Private,
    /// `PUBLIC`: shared by every user of the app.
    Public,
    /// `SHARED`: other users' records shared with this user.
    Shared,
}

impl DatabaseType {
    /// The path segment.
    pub fn as_str(self) -> &'static str {
        match self {
            DatabaseType::Private => "PRIVATE",
            DatabaseType::Public => "PUBLIC",
            DatabaseType::Shared => "SHARED",
        }
    }
}

impl fmt::Display for DatabaseType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The database a data call addresses, and the paths below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabasePath {
    prefix: String,
}

impl DatabasePath {
    /// `…/containers/{container}/environments/{ENV}/databases/{DB}`, each segment encoded.
    pub fn new(container_id: &str, environment: Environment, database: DatabaseType) -> Self {
        Self {
            prefix: format!(
                "/v1/database/containers/{}/environments/{}/databases/{}",
                encode_segment(container_id),
                environment_segment(environment),
                database.as_str()
            ),
        }
    }

    /// getZones, createZone: `…/zones`.
    pub fn zones(&self) -> String {
        format!("{}/zones", self.prefix)
    }

    /// getZone, deleteZone: `…/zones/{zone}`.
    pub fn zone(&self, zone: &str) -> String {
        format!("{}/zones/{}", self.prefix, encode_segment(zone))
    }

    /// createRecord: `…/zones/{zone}/records`.
    pub fn records(&self, zone: &str) -> String {
        self.zone(zone) + "/records"
    }

    /// getRecord, updateRecord, deleteRecord: `…/zones/{zone}/records/{recordName}`.
    pub fn record(&self, zone: &str, record_name: &str) -> String {
        format!("{}/{}", self.records(zone), encode_segment(record_name))
    }

    /// lookupRecords: `…/zones/{zone}/records/lookup`.
    pub fn lookup(&self, zone: &str) -> String {
        self.records(zone) + "/lookup"
    }

    /// queryRecords: `…/zones/{zone}/query`.
    pub fn query(&self, zone: &str) -> String {
        self.zone(zone) + "/query"
    }

    /// queryRecordChanges: `…/zones/{zone}/changes`.
    pub fn changes(&self, zone: &str) -> String {
        self.zone(zone) + "/changes"
    }

    /// deleteRecordsByQuery: `…/zones/{zone}/deletionQuery`.
    pub fn deletion_query(&self, zone: &str) -> String {
        self.zone(zone) + "/deletionQuery"
    }
}
