//! The management API's wire shapes ("CKTool" / v1 API, `spec/management-api.md`): teams,
//! containers, schema export, validate, import and reset, and its error body.
//!
//! This is a different protocol from CloudKit Web Services ([`ws`](crate::ws)): another host
//! (`https://api.icloud.apple.com`), REST paths, token headers instead of query parameters, and
//! errors shaped `{code, message, reason}` (spec §7). Only the schema and account slice is here;
//! the v1 record and zone shapes come later.
//!
//! Where the spec marks a fact "(inferred)" this module follows it, and each such choice is kept
//! here so it is easy to correct:
//! - `nextKey`/`previousKey` page containers; a page without `nextKey` is the last (§9).
//! - `RequestError.code` equals the HTTP status; `reason` is a CKWS-like code (§8.1).
//! - an invalid file on validate is a 200 with `isValid: false` and `errorMessage` (§4.4).
//! - the multipart part's `Content-Type` is sent quoted (`""`) as CKTool JS does, so a server
//!   written against CKTool JS accepts our uploads byte for byte (§4.4).

mod account;
mod error;
mod path;
mod schema;

pub use account::{
    Container, ContainerSort, ContainersQuery, ContainersResponse, SortDirection, Team,
    TeamsResponse,
};
pub use error::RequestError;
pub use path::{
    DEFAULT_BASE_URL, MANAGEMENT_TOKEN_HEADER, USER_TOKEN_HEADER, containers_path, encode_segment,
    environment_segment, reset_path, schema_export_path, schema_import_path, schema_validate_path,
    teams_path,
};
pub use schema::{SCHEMA_UPLOAD_BOUNDARY, SchemaUpload, UploadError, ValidateSchemaResponse};

#[cfg(test)]
mod tests;
