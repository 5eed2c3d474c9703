//! Zone dictionaries and the `zones/*` endpoints (§3.10–3.13, §4.4).

use serde::{Deserialize, Serialize};

use super::error::ServerError;
use super::item;
use crate::vocabulary::wire_enum;
use crate::zone::ZoneId;

/// A zone dictionary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Zone {
    /// The zone's ID.
    #[serde(rename = "zoneID")]
    pub zone_id: ZoneId,
    /// Current position in the zone's history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_token: Option<String>,
    /// Whether the zone supports atomic batches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub atomic: Option<bool>,
    /// True for deleted zones in change feeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
}

impl Zone {
    /// A zone dictionary with only its ID (the request form).
    pub fn new(zone_id: ZoneId) -> Self {
        Zone {
            zone_id,
            sync_token: None,
            atomic: None,
            deleted: None,
        }
    }
}

/// Response of `zones/list`, `zones/lookup` and `zones/modify`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ZonesResponse {
    /// One zone (or error) per zone / operation.
    #[serde(default, with = "item::results")]
    pub zones: Vec<Result<Zone, ServerError>>,
}

/// Body of `zones/lookup`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ZonesLookupRequest {
    /// Zones to fetch.
    pub zones: Vec<ZoneId>,
}

wire_enum! {
    /// `operationType` of a zone operation.
    closed ZoneOperationType {
        /// Create the zone.
        Create = "create",
        /// Delete the zone and everything in it.
        Delete = "delete",
    }
}

/// One zone operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneOperation {
    /// What to do.
    pub operation_type: ZoneOperationType,
    /// The zone (`{"zoneID"}`).
    pub zone: Zone,
}

impl ZoneOperation {
    /// Create a zone.
    pub fn create(zone_id: ZoneId) -> Self {
        ZoneOperation {
            operation_type: ZoneOperationType::Create,
            zone: Zone::new(zone_id),
        }
    }

    /// Delete a zone.
    pub fn delete(zone_id: ZoneId) -> Self {
        ZoneOperation {
            operation_type: ZoneOperationType::Delete,
            zone: Zone::new(zone_id),
        }
    }
}

/// Body of `zones/modify`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ZonesModifyRequest {
    /// Operations, applied in order.
    pub operations: Vec<ZoneOperation>,
}

/// Body of the deprecated `zones/changes`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZonesChangesRequest {
    /// Token from the previous call; the wire key really is `metaSyncToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta_sync_token: Option<String>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results_limit: Option<u32>,
}

/// Response of the deprecated `zones/changes`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZonesChangesResponse {
    /// Changed zones (or errors).
    #[serde(default, with = "item::results")]
    pub zones: Vec<Result<Zone, ServerError>>,
    /// Token for the next call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta_sync_token: Option<String>,
    /// Whether to call again.
    #[serde(default, deserialize_with = "super::item::null_as_false")]
    pub more_coming: bool,
}
