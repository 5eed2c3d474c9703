//! `changes/database` and `changes/zone` (§3.14–3.15).

use serde::{Deserialize, Serialize};

use super::error::ServerError;
use super::item;
use super::record::{RecordResult, record_results};
use super::zone::Zone;
use crate::zone::ZoneId;

/// Body of `changes/database`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseChangesRequest {
    /// Database change token; omit for the full history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_token: Option<String>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results_limit: Option<u32>,
}

/// Response of `changes/database`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseChangesResponse {
    /// Changed zones (`deleted: true` for deleted ones), or errors.
    #[serde(default, with = "item::results")]
    pub zones: Vec<Result<Zone, ServerError>>,
    /// Token for the next call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_token: Option<String>,
    /// Whether to call again (`null` reads as false).
    #[serde(default, deserialize_with = "item::null_as_false")]
    pub more_coming: bool,
}

/// One zone in a `changes/zone` request. CloudKit JS puts every option here, not at the top
/// level; so do we.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneChangesRequestZone {
    /// Zone to read.
    #[serde(rename = "zoneID")]
    pub zone_id: ZoneId,
    /// Zone change token; omit for the full history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_token: Option<String>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results_limit: Option<u32>,
    /// Projection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_keys: Option<Vec<String>>,
    /// Only these record types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_record_types: Option<Vec<String>>,
    /// Ask for INT64 values as JSON strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numbers_as_strings: Option<bool>,
    /// Newest first (semantics unconfirmed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse: Option<bool>,
}

impl ZoneChangesRequestZone {
    /// Changes of one zone since a token.
    pub fn new(zone_id: ZoneId, sync_token: Option<String>) -> Self {
        ZoneChangesRequestZone {
            zone_id,
            sync_token,
            results_limit: None,
            desired_keys: None,
            desired_record_types: None,
            numbers_as_strings: None,
            reverse: None,
        }
    }
}

/// Body of `changes/zone`.
///
/// Top-level defaults are accepted on read (Apple documents them, including the misspelling
/// `numberAsStrings`); per-zone values override them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneChangesRequest {
    /// Zones to read.
    pub zones: Vec<ZoneChangesRequestZone>,
    /// Default page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results_limit: Option<u32>,
    /// Default projection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_keys: Option<Vec<String>>,
    /// Default record type filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_record_types: Option<Vec<String>>,
    /// Default for numbers as strings.
    #[serde(
        default,
        alias = "numberAsStrings",
        skip_serializing_if = "Option::is_none"
    )]
    pub numbers_as_strings: Option<bool>,
    /// Default order flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse: Option<bool>,
}

/// The changes of one zone in a `changes/zone` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneChanges {
    /// The zone.
    #[serde(rename = "zoneID")]
    pub zone_id: ZoneId,
    /// Token for the next call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_token: Option<String>,
    /// Changed records, tombstones and errors.
    #[serde(default, with = "record_results")]
    pub records: Vec<RecordResult>,
    /// Whether to call again (`null` from the server reads as false).
    #[serde(default, deserialize_with = "item::null_as_false")]
    pub more_coming: bool,
}

/// Response of `changes/zone`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ZoneChangesResponse {
    /// One element per requested zone: its changes, or a zone error.
    #[serde(default, with = "item::results")]
    pub zones: Vec<Result<ZoneChanges, ServerError>>,
}
