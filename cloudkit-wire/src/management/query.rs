//! v1 queries and the paged calls built on them: queryRecords, deleteRecordsByQuery and
//! queryRecordChanges (spec §4.8, §5.6, §9).

use serde::{Deserialize, Deserializer, Serialize};

use super::field_value::FieldValue;
use super::number::optional_double;
use super::record::{Record, RecordResult};

/// The most records one page of query, changes or deletionQuery may ask for; CKTool JS checks
/// `resultsLimit` is within 1–200 before sending (spec §10).
pub const MAX_RESULTS_LIMIT: i32 = 200;

/// A query over one zone (the path's): a record type, filters (ANDed, inferred), sorts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Query {
    /// The record type.
    pub record_type: String,
    /// Filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<QueryFilter>>,
    /// Sorts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sorts: Option<Vec<QuerySort>>,
}

impl Query {
    /// Every record of `record_type`.
    pub fn all(record_type: impl Into<String>) -> Self {
        Self {
            record_type: record_type.into(),
            filters: None,
            sorts: None,
        }
    }
}

/// The 21 v1 filter names (spec §5.6). Two differ from CKWS: [`FilterType::ListNotContains`]
/// and [`FilterType::ListNotContainsAny`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FilterType {
    /// `EQUALS`.
    Equals,
    /// `NOT_EQUALS`.
    NotEquals,
    /// `LESS_THAN`.
    LessThan,
    /// `LESS_THAN_OR_EQUALS`.
    LessThanOrEquals,
    /// `GREATER_THAN`.
    GreaterThan,
    /// `GREATER_THAN_OR_EQUALS`.
    GreaterThanOrEquals,
    /// `NEAR`, with [`QueryFilter::radius_in_kilometers`].
    Near,
    /// `CONTAINS_ALL_TOKENS`.
    ContainsAllTokens,
    /// `CONTAINS_ANY_TOKENS`.
    ContainsAnyTokens,
    /// `IN`, with a list value.
    In,
    /// `NOT_IN`, with a list value.
    NotIn,
    /// `LIST_CONTAINS`.
    ListContains,
    /// `LIST_NOT_CONTAINS` (CKWS: `NOT_LIST_CONTAINS`).
    ListNotContains,
    /// `LIST_CONTAINS_ANY`.
    ListContainsAny,
    /// `LIST_NOT_CONTAINS_ANY` (CKWS: `NOT_LIST_CONTAINS_ANY`).
    ListNotContainsAny,
    /// `LIST_CONTAINS_ALL`.
    ListContainsAll,
    /// `NOT_LIST_CONTAINS_ALL`.
    NotListContainsAll,
    /// `BEGINS_WITH`.
    BeginsWith,
    /// `NOT_BEGINS_WITH`.
    NotBeginsWith,
    /// `LIST_MEMBER_BEGINS_WITH`.
    ListMemberBeginsWith,
    /// `NOT_LIST_MEMBER_BEGINS_WITH`.
    NotListMemberBeginsWith,
}

/// One filter: key `type`, not CKWS `comparator`; system fields by their schema name (e.g.
/// `___createTime`, inferred).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryFilter {
    /// The comparison.
    #[serde(rename = "type")]
    pub filter_type: FilterType,
    /// The value compared with.
    pub field_value: FieldValue,
    /// The field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// With `NEAR`: the circle's radius (CKWS: `distance` in metres).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_double"
    )]
    pub radius_in_kilometers: Option<f64>,
}

impl QueryFilter {
    /// `field_name <filter_type> value`.
    pub fn new(field_name: impl Into<String>, filter_type: FilterType, value: FieldValue) -> Self {
        Self {
            filter_type,
            field_value: value,
            field_name: Some(field_name.into()),
            radius_in_kilometers: None,
        }
    }
}

/// Sort direction: sent upper case, read in any casing (spec §5.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SortOrder {
    /// `ASC`.
    #[serde(rename = "ASC")]
    Ascending,
    /// `DESC`.
    #[serde(rename = "DESC")]
    Descending,
}

impl<'de> Deserialize<'de> for SortOrder {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match text.to_ascii_uppercase().as_str() {
            "ASC" => Ok(SortOrder::Ascending),
            "DESC" => Ok(SortOrder::Descending),
            _ => Err(serde::de::Error::custom(format!(
                "sort order `{text}` is not ASC or DESC"
            ))),
        }
    }
}

/// One sort key (CKWS: `sortBy` with `ascending`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuerySort {
    /// The direction.
    pub order: SortOrder,
    /// The field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
}

/// The body of queryRecords. The client resends it unchanged but for `continuationToken`
/// (spec §9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryRecordsRequest {
    /// The query.
    pub query: Query,
    /// Page size, 1–200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results_limit: Option<i32>,
    /// From the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
    /// Absent: every field; `[]`: metadata only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_fields: Option<Vec<String>>,
}

impl QueryRecordsRequest {
    /// The first page of `query`, server-sized.
    pub fn new(query: Query) -> Self {
        Self {
            query,
            results_limit: None,
            continuation_token: None,
            requested_fields: None,
        }
    }
}

/// The answer of queryRecords: one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordsResponse {
    /// The page.
    pub records: Vec<Record>,
    /// Present when more records follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
}

/// The body of deleteRecordsByQuery: filters like a query's, no sorts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteRecordsByQueryRequest {
    /// The record type.
    pub record_type: String,
    /// Filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<QueryFilter>>,
    /// `true`: delete nothing (inferred: `deletedCount` says how many would go).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
    /// Most records deleted by this call, 1–200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results_limit: Option<i32>,
    /// Continues a previous batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
}

impl DeleteRecordsByQueryRequest {
    /// Deletes every record of `record_type` matching `filters`.
    pub fn new(record_type: impl Into<String>, filters: Vec<QueryFilter>) -> Self {
        Self {
            record_type: record_type.into(),
            filters: (!filters.is_empty()).then_some(filters),
            dry_run: None,
            results_limit: None,
            continuation_token: None,
        }
    }
}

/// The answer of deleteRecordsByQuery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PagedBatchDeleteResponse {
    /// How many were deleted (or would be, on a dry run).
    pub deleted_count: i32,
    /// Records that could not be deleted.
    pub errors: Vec<BatchDeleteError>,
    /// Present when more remain to delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
}

/// One record deleteRecordsByQuery could not delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchDeleteError {
    /// The record name (inferred).
    pub id: String,
    /// A CKWS-like code.
    pub code: String,
    /// Human-readable text.
    pub message: String,
}

/// The body of queryRecordChanges; all keys optional, and the client sends an empty body when
/// none is set (spec §4.8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordChangesRequest {
    /// Where the previous call stopped; absent: from the zone's creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_token: Option<String>,
    /// Page size, 1–200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results_limit: Option<i32>,
    /// Only these record types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_record_types: Option<Vec<String>>,
    /// Only these fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_fields: Option<Vec<String>>,
}

impl RecordChangesRequest {
    /// Whether no key is set, so the body is sent empty as CKTool JS does.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// The answer of queryRecordChanges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordChangesResponse {
    /// `existing` for created or changed records, `deleted` for removed ones (inferred).
    pub record_results: Vec<RecordResult>,
    /// Whether to call again with `change_token` for more.
    pub more_coming: bool,
    /// Pass it back next time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_token: Option<String>,
}
