//! `records/modify`, `records/lookup`, `records/query` and `records/changes` (§3.1–3.4).

use serde::{Deserialize, Serialize};

use super::query::Query;
use super::record::{Record, RecordResult, record_results};
use crate::vocabulary::wire_enum;
use crate::zone::ZoneId;

wire_enum! {
    /// `operationType` of a record operation.
    closed RecordOperationType {
        /// Create; `EXISTS` if the name is taken.
        Create = "create",
        /// Change the fields sent; needs the change tag.
        Update = "update",
        /// Update ignoring the change tag; creates if missing.
        ForceUpdate = "forceUpdate",
        /// Replace the whole record; needs the change tag.
        Replace = "replace",
        /// Replace ignoring the change tag; creates if missing.
        ForceReplace = "forceReplace",
        /// Delete; needs the change tag.
        Delete = "delete",
        /// Delete ignoring the change tag.
        ForceDelete = "forceDelete",
    }
}

impl RecordOperationType {
    /// Whether the server checks `recordChangeTag` for this operation.
    pub const fn checks_change_tag(self) -> bool {
        matches!(
            self,
            RecordOperationType::Update
                | RecordOperationType::Replace
                | RecordOperationType::Delete
        )
    }

    /// Whether this deletes the record.
    pub const fn is_delete(self) -> bool {
        matches!(
            self,
            RecordOperationType::Delete | RecordOperationType::ForceDelete
        )
    }
}

/// One record operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordOperation {
    /// What to do.
    pub operation_type: RecordOperationType,
    /// The record to write, or `{"recordName", "recordChangeTag"?}` to delete.
    pub record: Record,
    /// Overrides the request's `desiredKeys` for this operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_keys: Option<Vec<String>>,
}

impl RecordOperation {
    /// An operation on a record. For deletes only the name, change tag and zone of the record
    /// are kept (CloudKit JS strips the rest too).
    pub fn new(operation_type: RecordOperationType, record: Record) -> Self {
        let record = if operation_type.is_delete() {
            Record {
                record_name: record.record_name,
                record_change_tag: record.record_change_tag,
                zone_id: record.zone_id,
                ..Record::default()
            }
        } else {
            record
        };
        RecordOperation {
            operation_type,
            record,
            desired_keys: None,
        }
    }
}

/// Body of `records/modify`.
///
/// `atomic` has conflicting documented defaults; the client should always set it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModifyRecordsRequest {
    /// Operations, applied in order (at most 200).
    pub operations: Vec<RecordOperation>,
    /// Zone of all operations; default zone if absent.
    #[serde(rename = "zoneID", default, skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<ZoneId>,
    /// All-or-nothing (custom zones only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub atomic: Option<bool>,
    /// Fields to echo in the response; `None` = all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_keys: Option<Vec<String>>,
    /// Ask for INT64 values as JSON strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numbers_as_strings: Option<bool>,
}

/// Response of `records/modify` and `records/lookup`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RecordsResponse {
    /// One element per operation / requested record, in order.
    #[serde(default, with = "record_results")]
    pub records: Vec<RecordResult>,
}

/// One record to fetch in `records/lookup`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordLookup {
    /// Name of the record.
    pub record_name: String,
    /// Per-record projection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_keys: Option<Vec<String>>,
}

impl RecordLookup {
    /// Fetch a record by name.
    pub fn new(record_name: impl Into<String>) -> Self {
        RecordLookup {
            record_name: record_name.into(),
            desired_keys: None,
        }
    }
}

/// Body of `records/lookup`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LookupRecordsRequest {
    /// Records to fetch.
    pub records: Vec<RecordLookup>,
    /// Zone; default zone if absent.
    #[serde(rename = "zoneID", default, skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<ZoneId>,
    /// Projection; `None` = all fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_keys: Option<Vec<String>>,
    /// Ask for INT64 values as JSON strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numbers_as_strings: Option<bool>,
    /// Accepted by CloudKit JS; meaning unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_privacy_mask_type: Option<String>,
}

/// Body of `records/query`. Send either `zone_id` or `zone_wide`, never both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryRecordsRequest {
    /// The query.
    pub query: Query,
    /// Zone to search; default zone if absent.
    #[serde(rename = "zoneID", default, skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<ZoneId>,
    /// Search all zones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone_wide: Option<bool>,
    /// Page size (max 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results_limit: Option<u32>,
    /// Cursor from the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation_marker: Option<String>,
    /// Projection; `None` = all fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_keys: Option<Vec<String>>,
    /// Ask for INT64 values as JSON strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numbers_as_strings: Option<bool>,
}

impl QueryRecordsRequest {
    /// A request for the first page of a query.
    pub fn new(query: Query) -> Self {
        QueryRecordsRequest {
            query,
            zone_id: None,
            zone_wide: None,
            results_limit: None,
            continuation_marker: None,
            desired_keys: None,
            numbers_as_strings: None,
        }
    }
}

/// Response of `records/query`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryRecordsResponse {
    /// This page.
    #[serde(default, with = "record_results")]
    pub records: Vec<RecordResult>,
    /// Present only when more results exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation_marker: Option<String>,
}

/// Body of `records/changes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordChangesRequest {
    /// A custom zone.
    #[serde(rename = "zoneID")]
    pub zone_id: ZoneId,
    /// Token from the previous call; omit for the full history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_token: Option<String>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results_limit: Option<u32>,
    /// Projection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_keys: Option<Vec<String>>,
    /// Ask for INT64 values as JSON strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numbers_as_strings: Option<bool>,
}

/// Response of `records/changes`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordChangesResponse {
    /// Changed records, tombstones and errors.
    #[serde(default, with = "record_results")]
    pub records: Vec<RecordResult>,
    /// Token for the next call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_token: Option<String>,
    /// Whether to call again with the new token.
    #[serde(default, deserialize_with = "super::item::null_as_false")]
    pub more_coming: bool,
    /// Order flag echoed by the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse: Option<bool>,
}
