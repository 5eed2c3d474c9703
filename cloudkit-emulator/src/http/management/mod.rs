//! The management API (spec `management-api.md`, the API of `cktool` and CKTool JS) for the
//! containers this emulator serves: teams and containers, schema export, validate, import and
//! reset. It is on only when the emulator was given a management token
//! ([`crate::EmulatorBuilder::management_token`]); every request must carry it in
//! `X-Apple-CloudKit-Management-Token`. The emulator's one team holds every container served.

mod account;
mod answer;
mod schema;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post, put};

pub use answer::Management;

/// The routes, on the emulator's address beside CloudKit Web Services.
pub fn routes(management: Arc<Management>) -> Router {
    let schema_base = "/v1/database/teams/{team}/containers/{container}/environments/{environment}";
    Router::new()
        .route("/users/current/teams", get(account::teams))
        .route("/teams/{team}/containers", get(account::containers))
        .route(&format!("{schema_base}/schema/export"), get(schema::export))
        .route(
            &format!("{schema_base}/schema/validate"),
            post(schema::validate),
        )
        .route(&format!("{schema_base}/schema"), put(schema::import))
        .route(&format!("{schema_base}/reset"), post(schema::reset))
        .route(
            "/v1/database/teams/{team}/containers/{container}/containerConfig/reset",
            post(schema::reset_config),
        )
        .with_state(management)
}
