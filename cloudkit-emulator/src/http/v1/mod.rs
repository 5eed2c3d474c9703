//! The v1 data API (spec `management-api.md` §4.7–4.8, what CKTool JS calls for zones and
//! records) over the same store and rules as Web Services. Served: zones (list, create, get,
//! delete), records (create, get, update, delete, lookup, query), record changes and deletion
//! queries, and the session user. Not yet: asset upload URLs (v1 names no record for the
//! upload, and the emulator binds an upload to its record) and shared records (sharing).

mod call;
mod changes;
mod deletion;
mod query;
mod records;
mod session;
mod values;
mod zones;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::services::Services;

/// The routes, on the emulator's address.
pub fn routes(services: Arc<Services>) -> Router {
    let database =
        "/v1/database/containers/{container}/environments/{environment}/databases/{database}";
    Router::new()
        .route(
            &format!("{database}/zones"),
            get(zones::list).post(zones::create),
        )
        .route(
            &format!("{database}/zones/{{zone}}"),
            get(zones::get).delete(zones::delete),
        )
        .route(
            &format!("{database}/zones/{{zone}}/records"),
            post(records::create),
        )
        .route(
            &format!("{database}/zones/{{zone}}/records/lookup"),
            post(records::lookup),
        )
        .route(
            &format!("{database}/zones/{{zone}}/records/{{name}}"),
            get(records::get)
                .put(records::update)
                .delete(records::delete),
        )
        .route(
            &format!("{database}/zones/{{zone}}/query"),
            post(records::query),
        )
        .route(
            &format!("{database}/zones/{{zone}}/changes"),
            post(changes::records),
        )
        .route(
            &format!("{database}/zones/{{zone}}/deletionQuery"),
            post(deletion::delete_by_query),
        )
        .route(
            "/v1/database/containers/{container}/environments/{environment}/session/user",
            get(session::user),
        )
        .with_state(services)
}
