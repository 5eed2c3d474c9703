//! Reading what every CloudKit request carries: its body (within a limit) and its caller.
//!
//! These are plain functions rather than axum extractors because the database handler must
//! first check the route, the container and the injected fault, in that order, before it
//! reads the body or the credentials.

use axum::body::{Body, Bytes};
use axum::http::request::Parts;
use cloudkit_wire::ws::DatabaseScope;

use crate::auth::{Authenticated, Credentials};
use crate::error::ServerError;
use crate::state::Shared;

/// The body, or `None` when it is larger than `limit` bytes.
pub async fn body(body: Body, limit: usize) -> Option<Bytes> {
    axum::body::to_bytes(body, limit).await.ok()
}

/// The authenticated caller of a request on `scope`, from its query string, headers and body;
/// `endpoint_needs_user` asks for a signed-in user even on the public database.
pub fn caller(
    shared: &Shared,
    parts: &Parts,
    body: &[u8],
    scope: DatabaseScope,
    endpoint_needs_user: bool,
) -> Result<Authenticated, ServerError> {
    let target = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned());
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let creds = Credentials::read(&query, header, body, &target);
    shared
        .auth
        .authenticate(&creds, scope, endpoint_needs_user, &shared.sign_in_url())
}
