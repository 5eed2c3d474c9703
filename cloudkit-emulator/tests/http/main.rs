//! Integration tests over real HTTP on 127.0.0.1: the emulator runs in-process, requests go
//! through reqwest with bodies built from `cloudkit_wire::ws`.

mod common;

mod access_denied;
mod auth;
mod changes;
mod concurrency;
mod containers;
mod decode;
mod durability;
mod errors;
mod faults;
mod query;
mod records;
mod schema;
mod serve;
mod sign_in;
mod subscriptions;
mod zones;

// Issue #16: hostile input to ops/ and storage/.
mod asset_access;
mod cascade_notifications;
mod cascades;
mod existence;
mod field_indexes;
mod hostile_names;
mod management;
mod query_limits;
mod response_budget;
mod response_size;
mod subscription_delivery;
mod subscription_grants;
mod subscription_index;
mod subscription_updates;

// HTTP edge hardening (issue #16).
mod body_limits;
mod fuzz;
mod raw;
mod session_restarts;
mod sessions;
mod slow_clients;
mod web_origin;

// Issue #17: where the emulator differed from CloudKit and its clients.
mod push_payloads;
mod query_paging;
mod reserved_names;
mod share_keys;
mod untyped_values;
mod users_contacts;
mod users_record;
mod v1_data;
