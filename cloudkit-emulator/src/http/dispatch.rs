//! The `Endpoint` table: each CloudKit endpoint's request body parsed into its wire type and
//! handed to the operation in [`crate::ops`], the answer encoded back.

// Per-item results in the wire responses carry large error dictionaries; see `ops`.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::body::Bytes;
use cloudkit_wire::ws as wire;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::endpoint::{Endpoint, Route};
use super::numbers;
use crate::auth::Caller;
use crate::error::ServerError;
use crate::ops::context::Ctx;
use crate::ops::{assets, changes, query, records, subscriptions, users, users_record, zones};
use crate::state::Shared;

/// Runs the endpoint of `route` on a blocking thread (SQLite) and returns the JSON body of a
/// 200 response.
pub async fn run(
    shared: Arc<Shared>,
    route: Route,
    caller: Caller,
    body: Bytes,
) -> Result<Vec<u8>, ServerError> {
    tokio::task::spawn_blocking(move || dispatch(&shared, &route, &caller, &body))
        .await
        .map_err(|e| ServerError::internal(format!("endpoint task failed: {e}")))?
}

/// The table: which operation answers which endpoint, and how its body is read.
fn dispatch(
    shared: &Shared,
    route: &Route,
    caller: &Caller,
    body: &[u8],
) -> Result<Vec<u8>, ServerError> {
    let ctx = Ctx {
        shared,
        scope: route.scope,
        caller,
    };
    // CloudKit has a `Users` record for everyone who used the app; the first request makes it.
    users_record::ensure(&ctx)?;
    match route.endpoint {
        Endpoint::RecordsModify => {
            let request: wire::ModifyRecordsRequest = parse(body)?;
            let strings = request.numbers_as_strings == Some(true);
            numbers(json(&records::modify(&ctx, request)?), strings)
        }
        Endpoint::RecordsLookup => {
            let request: wire::LookupRecordsRequest = parse(body)?;
            let strings = request.numbers_as_strings == Some(true);
            numbers(json(&records::lookup(&ctx, request)?), strings)
        }
        Endpoint::RecordsQuery => {
            let request: wire::QueryRecordsRequest = parse(body)?;
            let strings = request.numbers_as_strings == Some(true);
            numbers(json(&query::records_query(&ctx, request)?), strings)
        }
        Endpoint::RecordsChanges => {
            let request: wire::RecordChangesRequest = parse(body)?;
            let strings = request.numbers_as_strings == Some(true);
            numbers(json(&changes::records(&ctx, request)?), strings)
        }
        Endpoint::ChangesDatabase => json(&changes::database(&ctx, parse_or_default(body)?)?),
        Endpoint::ChangesZone => {
            let request: wire::ZoneChangesRequest = parse(body)?;
            // Top-level or per-zone: either asks for strings (per-zone mixes are not worth
            // honouring separately).
            let strings = request.numbers_as_strings == Some(true)
                || request
                    .zones
                    .iter()
                    .any(|z| z.numbers_as_strings == Some(true));
            numbers(json(&changes::zones(&ctx, request)?), strings)
        }
        Endpoint::ZonesList => json(&zones::list(&ctx)?),
        Endpoint::ZonesLookup => json(&zones::lookup(&ctx, parse(body)?)?),
        Endpoint::ZonesModify => json(&zones::modify(&ctx, parse(body)?)?),
        Endpoint::ZonesChanges => json(&changes::zones_deprecated(&ctx, parse_or_default(body)?)?),
        Endpoint::SubscriptionsList => json(&subscriptions::list(&ctx)?),
        Endpoint::SubscriptionsLookup => json(&subscriptions::lookup(&ctx, parse(body)?)?),
        Endpoint::SubscriptionsModify => json(&subscriptions::modify(&ctx, parse(body)?)?),
        Endpoint::UsersCaller => json(&users::caller(&ctx)?),
        Endpoint::UsersCurrent => json(&users::current(&ctx)?),
        Endpoint::UsersDiscover => {
            let request = if body.iter().all(u8::is_ascii_whitespace) {
                None
            } else {
                Some(parse(body)?)
            };
            json(&users::discover(&ctx, request)?)
        }
        Endpoint::UsersLookupEmail => json(&users::lookup(&ctx, parse(body)?, true)?),
        Endpoint::UsersLookupId => json(&users::lookup(&ctx, parse(body)?, false)?),
        Endpoint::UsersLookupContacts => {
            json(&users::lookup_contacts(&ctx, parse_or_default(body)?)?)
        }
        Endpoint::AssetsUpload => json(&assets::upload(&ctx, parse(body)?)?),
        Endpoint::AssetsRereference => json(&assets::rereference(&ctx, parse(body)?)?),
    }
}

fn numbers(body: Result<Vec<u8>, ServerError>, as_strings: bool) -> Result<Vec<u8>, ServerError> {
    if as_strings {
        body.map(numbers::stringify)
    } else {
        body
    }
}

fn json<T: Serialize>(value: &T) -> Result<Vec<u8>, ServerError> {
    serde_json::to_vec(value)
        .map_err(|e| ServerError::internal(format!("cannot encode response: {e}")))
}

/// Parses a request body as JSON, whatever its declared content type (CloudKit JS sends
/// `text/plain`).
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ServerError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ServerError::bad_request(
            "BadRequestException: missing request body",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        ServerError::bad_request(format!("BadRequestException: Unexpected input: {e}"))
    })
}

fn parse_or_default<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, ServerError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    parse(body)
}
