//! Reading what every CloudKit request carries: its caller and its body (within a limit).
//!
//! These are plain functions rather than axum extractors because the database handler must
//! first check the route, the container and the injected fault, in that order, then the
//! credentials the headers carry, and only then read the body.

use axum::body::{Body, Bytes};
use axum::http::header::CONTENT_LENGTH;
use axum::http::request::Parts;
use cloudkit_wire::ws::DatabaseScope;

use crate::auth::{Admission, Credentials};
use crate::error::{ServerError, ServerErrorCode};
use crate::state::Shared;

/// The `QUOTA_EXCEEDED` (413) answer for a body over `limit` bytes.
pub fn too_large(what: &str, limit: u64) -> ServerError {
    ServerError::new(
        ServerErrorCode::QuotaExceeded,
        format!("{what} is larger than the limit of {limit} bytes"),
    )
}

/// The body, at most `limit` bytes. A declared `Content-Length` over the limit is refused
/// before a byte is read; a body that grows past it while streaming is cut off there, so at
/// most `limit` bytes are ever held.
pub async fn body(parts: &Parts, body: Body, limit: usize) -> Result<Bytes, ServerError> {
    let limit_u64 = u64::try_from(limit).unwrap_or(u64::MAX);
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit_u64) {
        return Err(too_large("request body", limit_u64));
    }
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large("request body", limit_u64))
}

/// The decoded query pairs of a request.
pub fn query_pairs(parts: &Parts) -> Vec<(String, String)> {
    parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

/// Admits a request on `scope` from its query string and headers, before its body is read;
/// `endpoint_needs_user` asks for a signed-in user even on the public database.
pub fn admit(
    shared: &Shared,
    parts: &Parts,
    scope: DatabaseScope,
    endpoint_needs_user: bool,
) -> Result<Admission, ServerError> {
    let target = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned());
    let query = query_pairs(parts);
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let creds = Credentials::read(&query, header, &target);
    let redirect = shared.sign_in_url_for(creds.api_token);
    shared
        .auth
        .admit(&creds, scope, endpoint_needs_user, &redirect)
}
