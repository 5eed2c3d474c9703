//! The HTTP side: routing, request reading, and CloudKit's responses. Handlers read a request,
//! call [`crate::ops`] and write the answer; they never call each other.

mod assets;
mod courier;
mod database;
mod dispatch;
mod endpoint;
mod extract;
mod front;
mod layer;
pub mod listen;
pub mod management;
mod numbers;
mod origin;
mod request_error;
mod response;
mod sign_in;
mod v1;

use std::sync::Arc;

use std::time::Duration;

use axum::Router;
use tower_http::timeout::TimeoutLayer;

pub use origin::WebPolicy;

use crate::services::Services;
use crate::state::Shared;

/// One service's routes: one router per concern merged, and every other path through the
/// database handler, so that unknown paths get CloudKit's answer.
fn service_routes(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(sign_in::routes())
        .merge(assets::routes())
        .merge(courier::routes())
        .fallback(database::handle)
        .with_state(shared)
}

/// The router of every service of `services` (see [`crate::services`]), of the management API
/// and of the v1 data API: a front that picks the service for each request, all behind one
/// middleware ([`layer`]: Host and Origin checks, CORS, CloudKit's headers, the request log)
/// and one request timeout (past `request_timeout` the answer is `503 TRY_AGAIN_LATER`).
pub fn services_router(
    services: &Services,
    management: Arc<management::Management>,
    request_timeout: Duration,
) -> Router {
    let routers: Vec<Router> = services
        .all()
        .iter()
        .map(|shared| service_routes(shared.clone()))
        .collect();
    front::router(services.clone(), routers)
        .merge(management::routes(management))
        .merge(v1::routes(Arc::new(services.clone())))
        .layer(TimeoutLayer::with_status_code(
            layer::TIMED_OUT,
            request_timeout,
        ))
        // Every service shares one web policy, so the first one's state serves for all.
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(services.first()),
            layer::cloudkit_headers,
        ))
}
