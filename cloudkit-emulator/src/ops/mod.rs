//! CloudKit's semantics as plain functions over the store: records, zones, change feeds,
//! queries, subscriptions, assets, notifications and users. Each reads its request type from
//! `cloudkit_wire::ws` and answers with the matching wire response type; the HTTP side only
//! routes to them.

// Per-item results are `Result<T, wire::ServerError>` because that is how the wire model
// represents an element that is either a result or an error dictionary; the error dictionary
// is large by nature and lives in a Vec, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub mod aps;
pub mod asset_value;
pub mod assets;
pub mod changes;
pub mod context;
pub mod delivery_order;
pub mod grant;
pub mod limits;
pub mod names;
pub mod notifications;
pub mod query;
pub mod record_dict;
pub mod records;
pub mod reference;
pub mod schema_import;
pub mod share_keys;
pub mod subscription_cache;
pub mod subscription_match;
pub mod subscriptions;
pub mod users;
pub mod users_record;
pub mod zones;
