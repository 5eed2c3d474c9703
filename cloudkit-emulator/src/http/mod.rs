//! The HTTP side: routing, request reading, and CloudKit's responses. Handlers read a request,
//! call [`crate::ops`] and write the answer; they never call each other.

mod assets;
mod courier;
mod database;
mod dispatch;
mod endpoint;
mod extract;
mod layer;
mod numbers;
mod response;
mod sign_in;

use std::sync::Arc;

use axum::Router;

use crate::state::Shared;

/// The router: one router per concern merged, and every other path through the database
/// handler, so that unknown paths get CloudKit's answer.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(sign_in::routes())
        .merge(assets::routes())
        .merge(courier::routes())
        .fallback(database::handle)
        .layer(axum::middleware::from_fn(layer::cloudkit_headers))
        .with_state(shared)
}
