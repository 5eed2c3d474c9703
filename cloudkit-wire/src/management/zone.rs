//! v1 zones: the `Zone` object and the bodies of getZones, createZone and getZone (spec §4.7,
//! §5.2).

use serde::{Deserialize, Serialize};

/// A zone as getZones and getZone return it (`CKDBZone`), flat unlike CKWS's `zoneID`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Zone {
    /// The name, `_defaultZone` for the default zone.
    pub zone_name: String,
    /// Unique id within the database (inferred: the name for a caller's own zones).
    pub canonical_name: String,
    /// `DEFAULT_ZONE` or `REGULAR_CUSTOM_ZONE` (a free string).
    pub zone_type: String,
    /// Whether this is the default zone.
    pub is_default_zone: bool,
    /// Whether the zone supports atomic multi-record changes.
    pub atomic: bool,
    /// Whether the zone can be shared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_sharable: Option<bool>,
    /// Whether a zone-wide share may be made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_eligible_for_zone_share: Option<bool>,
    /// Whether a hierarchical share may be made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_eligible_for_hierarchical_share: Option<bool>,
    /// The owner's user record name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_record_name: Option<String>,
    /// The zone's current change token (inferred: usable with `/changes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_token: Option<String>,
}

/// The answer of getZones: one page of zones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZonesResponse {
    /// The page.
    pub zones: Vec<Zone>,
    /// Present when more zones follow; pass it back as the `continuationToken` query parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
}

/// The answer of createZone (201) and getZone (200).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneResponse {
    /// The zone.
    pub zone: Zone,
}

/// The only zone type createZone names.
pub const REGULAR_CUSTOM_ZONE: &str = "REGULAR_CUSTOM_ZONE";

/// The body of createZone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateZoneRequest {
    /// The new zone's name.
    pub zone_name: String,
    /// The zone type; only [`REGULAR_CUSTOM_ZONE`] is named (spec §4.7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone_type: Option<String>,
}

impl CreateZoneRequest {
    /// A regular custom zone named `zone_name`.
    pub fn named(zone_name: impl Into<String>) -> Self {
        Self {
            zone_name: zone_name.into(),
            zone_type: Some(REGULAR_CUSTOM_ZONE.to_owned()),
        }
    }
}
