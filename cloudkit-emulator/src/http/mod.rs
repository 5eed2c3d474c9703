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
mod response;
mod sign_in;

use std::sync::Arc;

use std::time::Duration;

use axum::Router;
use tower_http::timeout::TimeoutLayer;

pub use origin::WebPolicy;

use crate::services::Services;
use crate::state::Shared;

/// The router: one router per concern merged, and every other path through the database
/// handler, so that unknown paths get CloudKit's answer. A request that takes longer than
/// `request_timeout` is answered `503 TRY_AGAIN_LATER`.
pub fn router(shared: Arc<Shared>, request_timeout: Duration) -> Router {
    Router::new()
        .merge(sign_in::routes())
        .merge(assets::routes())
        .merge(courier::routes())
        .fallback(database::handle)
        .layer(TimeoutLayer::with_status_code(
            layer::TIMED_OUT,
            request_timeout,
        ))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            layer::cloudkit_headers,
        ))
        .with_state(shared)
}

/// The router of every service of `services` (see [`crate::services`]) and of the management
/// API over them: a front that picks the service for each request.
pub fn services_router(
    services: &Services,
    management: Arc<management::Management>,
    request_timeout: Duration,
) -> Router {
    let routers: Vec<Router> = services
        .all()
        .iter()
        .map(|shared| router(shared.clone(), request_timeout))
        .collect();
    front::router(services.clone(), routers).merge(management::routes(management))
}
