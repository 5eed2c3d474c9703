//! The endpoints: each reads its request type from `cloudkit_wire::ws`, works on the
//! store, and answers with the matching wire response type.

// Per-item results are `Result<T, wire::ServerError>` because that is how the wire model
// represents an element that is either a result or an error dictionary; the error dictionary
// is large by nature and lives in a Vec, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub(crate) mod assets;
mod changes;
pub(crate) mod notifications;
mod numbers;
mod query;
mod records;
mod reference;
mod subscriptions;
mod users;
mod zones;

use serde::Serialize;
use serde::de::DeserializeOwned;

use cloudkit_wire::ZoneId;
use cloudkit_wire::ws as wire;

use crate::auth::Caller;
use crate::error::{ServerError, ServerErrorCode};
use crate::ids::new_uuid;
use crate::route::{Endpoint, Route};
use crate::state::Shared;
use crate::storage::{DatabaseKey, StoredZone, Tx};
use crate::sync_token::SyncToken;
use cloudkit_wire::ws::DatabaseScope;

/// Most operations per modify request and most results per response (spec §6).
pub const MAX_ITEMS: usize = 200;

/// Largest record, fields only (spec §6: 1 MB excluding assets).
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// Owner name CloudKit reports for the public database's zone.
const PUBLIC_OWNER: &str = "_defaultOwner";

/// One request's context.
pub struct Ctx<'a> {
    /// Shared state.
    pub shared: &'a Shared,
    /// The route.
    pub route: &'a Route,
    /// The caller.
    pub caller: &'a Caller,
}

/// Runs the endpoint of `route` and returns the JSON body of a 200 response.
pub fn dispatch(
    shared: &Shared,
    route: &Route,
    caller: &Caller,
    body: &[u8],
) -> Result<Vec<u8>, ServerError> {
    let ctx = Ctx {
        shared,
        route,
        caller,
    };
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
            numbers(json(&query::query(&ctx, request)?), strings)
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

/// An error element for one item.
fn item_error(error: &ServerError) -> wire::ServerError {
    error.to_wire(&new_uuid())
}

/// Checks the number of items in a request.
fn check_count(what: &str, n: usize) -> Result<(), ServerError> {
    if n > MAX_ITEMS {
        return Err(ServerError::bad_request(format!(
            "too many {what} in one request: {n}, the limit is {MAX_ITEMS}"
        )));
    }
    Ok(())
}

/// The page size asked for: the default and the maximum are both 200 (spec §6).
fn results_limit(asked: Option<u32>) -> usize {
    match asked {
        None | Some(0) => MAX_ITEMS,
        Some(n) => usize::try_from(n).unwrap_or(MAX_ITEMS).min(MAX_ITEMS),
    }
}

/// The zone a request addresses, resolved to a stored database.
#[derive(Debug, Clone)]
pub struct ZoneTarget {
    /// The database it is stored in.
    pub db: DatabaseKey,
    /// The zone name.
    pub zone_name: String,
    /// The zone's owner as reported in zone IDs.
    pub owner_record_name: String,
}

impl ZoneTarget {
    /// Whether this is the database's default zone.
    pub fn is_default(&self) -> bool {
        self.zone_name == ZoneId::DEFAULT_ZONE_NAME
    }

    /// The zone ID dictionary sent back.
    pub fn zone_id(&self) -> ZoneId {
        let mut id = ZoneId::new(self.zone_name.clone()).with_owner(self.owner_record_name.clone());
        id.zone_type = Some(
            if self.is_default() {
                "DEFAULT_ZONE"
            } else {
                "REGULAR_CUSTOM_ZONE"
            }
            .to_owned(),
        );
        id
    }
}

impl Ctx<'_> {
    /// The user the request acts as; every endpoint that gets here without one is public.
    pub fn user_record_name(&self) -> Option<&str> {
        self.caller.user_record_name()
    }

    /// The stored database of this request's scope (for the shared scope: none until sharing
    /// exists, so every zone there is missing).
    pub fn database(&self) -> Result<Option<DatabaseKey>, ServerError> {
        Ok(match self.route.scope {
            DatabaseScope::Public => Some(DatabaseKey::public()),
            DatabaseScope::Private => {
                let user = self.user_record_name().ok_or_else(|| {
                    ServerError::new(
                        ServerErrorCode::AuthenticationRequired,
                        "request needs authorization",
                    )
                })?;
                Some(DatabaseKey::private(user))
            }
            // Shares (cloudkit.share records and accepted participants) are a later piece; the
            // shared database of every user is empty until then.
            DatabaseScope::Shared => None,
        })
    }

    /// Resolves a zone ID of the request (absent = default zone) without checking that the
    /// zone exists.
    pub fn zone_target(&self, zone_id: Option<&ZoneId>) -> Result<ZoneTarget, ServerError> {
        let zone_name = zone_id.map_or(ZoneId::DEFAULT_ZONE_NAME, |z| z.zone_name.as_str());
        if zone_name.is_empty() {
            return Err(ServerError::bad_request("zoneName must not be empty"));
        }
        let db = self.database()?.ok_or_else(|| {
            ServerError::new(
                ServerErrorCode::ZoneNotFound,
                format!("zone '{zone_name}' does not exist"),
            )
        })?;
        if let Some(owner) = zone_id.and_then(|z| z.owner_record_name.as_deref()) {
            let own = match self.route.scope {
                DatabaseScope::Public => owner == PUBLIC_OWNER,
                _ => owner == db.owner || owner == "__defaultOwner__" || owner == PUBLIC_OWNER,
            };
            if !own {
                return Err(ServerError::new(
                    ServerErrorCode::ZoneNotFound,
                    format!("zone '{zone_name}' of owner '{owner}' does not exist"),
                ));
            }
        }
        let owner_record_name = match self.route.scope {
            DatabaseScope::Public => PUBLIC_OWNER.to_owned(),
            _ => db.owner.clone(),
        };
        Ok(ZoneTarget {
            db,
            zone_name: zone_name.to_owned(),
            owner_record_name,
        })
    }

    /// Resolves a zone and checks that it exists; returns its stored row (none for the
    /// default zone).
    pub fn existing_zone(
        &self,
        tx: &Tx<'_>,
        zone_id: Option<&ZoneId>,
    ) -> Result<(ZoneTarget, Option<StoredZone>), ServerError> {
        let target = self.zone_target(zone_id)?;
        if target.is_default() {
            return Ok((target, None));
        }
        if self.route.scope == DatabaseScope::Public {
            return Err(ServerError::new(
                ServerErrorCode::ZoneNotFound,
                format!(
                    "zone '{}' does not exist: the public database has only the default zone",
                    target.zone_name
                ),
            ));
        }
        match tx.zone(&target.db, &target.zone_name)? {
            Some(z) if !z.deleted => Ok((target, Some(z))),
            _ => Err(ServerError::new(
                ServerErrorCode::ZoneNotFound,
                format!("zone '{}' does not exist", target.zone_name),
            )),
        }
    }
}

/// The zone dictionary of a zone.
fn zone_dict(target: &ZoneTarget, stored: Option<&StoredZone>) -> wire::Zone {
    let mut zone = wire::Zone::new(target.zone_id());
    if let Some(z) = stored {
        zone.sync_token = Some(
            SyncToken::Zone {
                zone_name: z.zone_name.clone(),
                epoch: z.epoch,
                seq: z.change_seq,
            }
            .encode(),
        );
        zone.atomic = Some(true);
    } else {
        zone.atomic = Some(false);
    }
    zone
}
