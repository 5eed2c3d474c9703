//! The management API's wire shapes ("CKTool" / v1 API, `spec/management-api.md`): teams,
//! containers, schema export, validate, import and reset, and its error body.
//!
//! This is a different protocol from CloudKit Web Services ([`ws`](crate::ws)): another host
//! (`https://api.icloud.apple.com`), REST paths, token headers instead of query parameters, and
//! errors shaped `{code, message, reason}` (spec §7). The v1 data shapes (zones, records, field
//! values, queries, changes, deletion queries, the sharing objects inside records) are here
//! too.
//!
//! Where the spec marks a fact "(inferred)" this module follows it, and each such choice is kept
//! here so it is easy to correct:
//! - `nextKey`/`previousKey` page containers; a page without `nextKey` is the last (§9).
//! - `RequestError.code` equals the HTTP status; `reason` is a CKWS-like code (§8.1).
//! - an invalid file on validate is a 200 with `isValid: false` and `errorMessage` (§4.4).
//! - the multipart part's `Content-Type` is sent quoted (`""`) as CKTool JS does, so a server
//!   written against CKTool JS accepts our uploads byte for byte (§4.4).
//! - a zone's `canonicalName` equals its `zoneName` for a caller's own zones
//!   ([`ZoneId::named`], §5.2).
//! - a `deleted` record result is what lookup answers for a deleted record too, and a missing
//!   name is an `error` result with `errorCode` `NOT_FOUND` (§4.8, §5.4).
//! - `dryRun: true` reports in `deletedCount` how many records would go (§4.8).
//! - `BatchDeleteError.id` is the record name (§4.8).
//! - the `{databaseType}` segment is sent upper case, as Apple's samples send it
//!   ([`DatabaseType`], §1.3).
//! - every double is written as CKTool JS writes it: no fraction when integral (`2`, not
//!   `2.0`), and a NaN or infinity is an encoding error rather than `null` (§6.3, §10).

mod account;
mod data_path;
mod error;
mod field_value;
mod number;
mod path;
mod query;
mod record;
mod reference;
mod schema;
mod share;
mod zone;

pub use account::{
    Container, ContainerSort, ContainersQuery, ContainersResponse, SortDirection, Team,
    TeamsResponse,
};
pub use data_path::{DatabasePath, DatabaseType};
pub use error::RequestError;
pub use field_value::{FieldType, FieldValue};
pub use path::{
    API_TOKEN_HEADER, DEFAULT_BASE_URL, MANAGEMENT_TOKEN_HEADER, USER_TOKEN_HEADER,
    WEB_AUTH_TOKEN_HEADER, containers_path, encode_segment, environment_segment, reset_path,
    schema_export_path, schema_import_path, schema_validate_path, teams_path,
};
pub use query::{
    BatchDeleteError, DeleteRecordsByQueryRequest, FilterType, MAX_RESULTS_LIMIT,
    PagedBatchDeleteResponse, Query, QueryFilter, QueryRecordsRequest, QuerySort,
    RecordChangesRequest, RecordChangesResponse, RecordsResponse, SortOrder,
};
pub use record::{
    ChangeMetadata, CreateRecordRequest, Fields, LookupRecordsRequest, LookupRecordsResponse,
    ModifyRecordRequest, Record, RecordResponse, RecordResult, RecordSharing,
};
pub use reference::{
    Asset, ForRecord, Location, NullableReference, RecordReference, ReferenceAction, ZoneId,
};
pub use schema::{SCHEMA_UPLOAD_BOUNDARY, SchemaUpload, UploadError, ValidateSchemaResponse};
pub use share::{
    ShareParticipant, StableUrl, UserIdentity, UserIdentityLookupInfo, UserNameComponents,
};

pub use zone::{CreateZoneRequest, REGULAR_CUSTOM_ZONE, Zone, ZoneResponse, ZonesResponse};

#[cfg(test)]
mod data_tests;
#[cfg(test)]
mod tests;
