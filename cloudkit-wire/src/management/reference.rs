//! The v1 objects a field value or record points with: zone ids, references, assets and
//! locations (spec §5.2, §5.3, §6.4).

use serde::{Deserialize, Serialize};

use super::number::{double, optional_double};

/// A zone as records and references name it (`CKDBZoneId`). `canonicalName` is required: an
/// object without it fails to decode in CKTool JS (spec §5.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneId {
    /// The zone name, `_defaultZone` for the default zone.
    pub zone_name: String,
    /// The zone's unique id within the database (inferred: equal to `zoneName` for a caller's
    /// own zones).
    pub canonical_name: String,
    /// `DEFAULT_ZONE` or `REGULAR_CUSTOM_ZONE` (a free string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone_type: Option<String>,
    /// The owner's user record name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_record_name: Option<String>,
}

impl ZoneId {
    /// A caller's own zone: `canonicalName` equal to `zoneName` (inferred, spec §5.2).
    pub fn named(zone_name: impl Into<String>) -> Self {
        let zone_name = zone_name.into();
        Self {
            canonical_name: zone_name.clone(),
            zone_name,
            zone_type: None,
            owner_record_name: None,
        }
    }
}

/// What happens to a record when the one it references goes (spec §5.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReferenceAction {
    /// Nothing.
    None,
    /// The referencing record is deleted too.
    DeleteSelf,
    /// The target must exist.
    Validate,
}

/// The value of a `referenceType` field: key `zone`, not CKWS `zoneID` (spec §5.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordReference {
    /// The target's record name.
    pub record_name: String,
    /// The target's owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The target's zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<ZoneId>,
    /// The delete rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<ReferenceAction>,
}

impl RecordReference {
    /// A reference to `record_name`, zone and action left to the server.
    pub fn to(record_name: impl Into<String>) -> Self {
        Self {
            record_name: record_name.into(),
            owner: None,
            zone: None,
            action: None,
        }
    }
}

/// A record's `share` or `parent`: like a reference, every key optional (spec §5.3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NullableReference {
    /// The target's record name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_name: Option<String>,
    /// The target's zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<ZoneId>,
    /// The delete rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<ReferenceAction>,
}

/// `forRecord` on a share's create or update: the root being shared (spec §5.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ForRecord {
    /// The root's record name.
    pub record_name: String,
    /// The root's change tag.
    pub record_change_tag: String,
}

/// The value of an `assetType` field. Note `downloadUrl` (CKWS: `downloadURL`), spec §6.4.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Asset {
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// The upload receipt (when saving an uploaded asset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    /// Checksum of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_checksum: Option<String>,
    /// Key for encrypted assets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapping_key: Option<String>,
    /// Checksum of the reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_checksum: Option<String>,
    /// Where to download the bytes (responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_url: Option<String>,
}

/// The value of a `locationType` field (spec §6.4). Doubles are written as CKTool JS writes
/// them: `37`, not `37.0`; not finite is an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// Degrees north.
    #[serde(serialize_with = "double")]
    pub latitude: f64,
    /// Degrees east.
    #[serde(serialize_with = "double")]
    pub longitude: f64,
    /// Metres.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_double"
    )]
    pub altitude: Option<f64>,
    /// Metres.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_double"
    )]
    pub horizontal_accuracy: Option<f64>,
    /// Metres.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_double"
    )]
    pub vertical_accuracy: Option<f64>,
    /// Direction of travel, degrees (inferred unit).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_double"
    )]
    pub course: Option<f64>,
    /// Metres per second.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_double"
    )]
    pub speed: Option<f64>,
    /// When the fix was taken, ISO-8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}
