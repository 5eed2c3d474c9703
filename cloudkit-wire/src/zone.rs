//! Zone identifiers.

use serde::{Deserialize, Serialize};

/// A zone ID dictionary: `{"zoneName", "ownerRecordName"?, "zoneType"?}`.
///
/// `zoneType` appears only in responses (`REGULAR_CUSTOM_ZONE`, `DEFAULT_ZONE`); requests
/// normally leave it out.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneId {
    /// Zone name; `_defaultZone` is the database's default zone.
    pub zone_name: String,
    /// Owner's user record name; absent means the caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_record_name: Option<String>,
    /// Zone kind as reported by the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone_type: Option<String>,
}

impl ZoneId {
    /// Name of the default zone of every database.
    pub const DEFAULT_ZONE_NAME: &'static str = "_defaultZone";

    /// A zone owned by the caller.
    pub fn new(zone_name: impl Into<String>) -> Self {
        ZoneId {
            zone_name: zone_name.into(),
            owner_record_name: None,
            zone_type: None,
        }
    }

    /// The database's default zone.
    pub fn default_zone() -> Self {
        ZoneId::new(Self::DEFAULT_ZONE_NAME)
    }

    /// A zone owned by another user (needed in the shared database).
    pub fn with_owner(mut self, owner_record_name: impl Into<String>) -> Self {
        self.owner_record_name = Some(owner_record_name.into());
        self
    }

    /// Whether this names the default zone.
    pub fn is_default_zone(&self) -> bool {
        self.zone_name == Self::DEFAULT_ZONE_NAME
    }
}
