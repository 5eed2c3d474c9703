//! Reading what every CloudKit request carries: its caller and its body (within a limit).
//!
//! These are plain functions rather than axum extractors because the database handler must
//! first check the route, the container and the injected fault, in that order, then the
//! credentials the headers carry, and only then read the body.

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};
use axum::http::request::Parts;
use cloudkit_wire::ws::DatabaseScope;
use tokio::sync::OwnedSemaphorePermit;

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

/// A read body's share of the emulator's memory budget for bodies, given back when dropped:
/// keep it until the body's bytes are no longer needed.
#[derive(Debug)]
pub struct Held(#[allow(dead_code)] Option<OwnedSemaphorePermit>);

/// The body (`what` names it in errors), at most `limit` bytes. A declared `Content-Length`
/// over the limit is refused before a byte is read; a body that grows past it while streaming
/// is cut off there, so at most `limit` bytes are ever held. The bytes are also counted
/// against the budget shared by every request ([`Shared::body_budget`]): when it is spent,
/// the answer is `503 TRY_AGAIN_LATER` with a `retryAfter`, before anything is read.
pub async fn body(
    shared: &Shared,
    parts: &Parts,
    body: Body,
    limit: usize,
    what: &str,
) -> Result<(Bytes, Held), ServerError> {
    let limit_u64 = u64::try_from(limit).unwrap_or(u64::MAX);
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit_u64) {
        return Err(too_large(what, limit_u64));
    }
    // Without a length or chunked encoding there is no body (HTTP/1.1); a chunked body of
    // unknown length may use the whole limit.
    let chunked = parts.headers.contains_key(TRANSFER_ENCODING);
    let share = match declared {
        Some(n) => n,
        None if chunked => limit_u64,
        None => 0,
    };
    let share = u32::try_from(share).unwrap_or(u32::MAX);
    let held = if share == 0 {
        Held(None)
    } else {
        let permit = shared
            .body_budget
            .clone()
            .try_acquire_many_owned(share)
            .map_err(|_| {
                ServerError::new(
                    ServerErrorCode::TryAgainLater,
                    "the emulator is holding as many request bodies as it allows; try again",
                )
                .with_retry_after(1)
            })?;
        Held(Some(permit))
    };
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large(what, limit_u64))?;
    Ok((bytes, held))
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
