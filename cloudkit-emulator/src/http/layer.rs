//! The middleware every route goes through: the `Host` and `Origin` checks
//! ([`super::origin`]), CORS (preflights answered here), the request UUID and CloudKit's
//! response headers, the request timeout's answer, and one log line per internal error.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};

use super::response::{InternalError, REQUEST_UUID};
use crate::error::{ServerError, ServerErrorCode};
use crate::ids::new_uuid;
use crate::state::Shared;

/// The status tower-http's timeout layer answers with, turned into CloudKit's error here.
/// (No handler answers 408 itself.)
pub const TIMED_OUT: StatusCode = StatusCode::REQUEST_TIMEOUT;

/// Refuses requests for another host or from a page of another origin, answers CORS
/// preflights, and adds CloudKit's headers to every other response.
pub async fn cloudkit_headers(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let origin = match refusal(&shared, request.headers()) {
        Ok(origin) => origin,
        Err(e) => return finish(e.into_response(), None),
    };
    if request.method() == Method::OPTIONS {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NO_CONTENT;
        let headers = response.headers_mut();
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, OPTIONS"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("*"),
        );
        return finish(response, origin);
    }
    let mut response = next.run(request).await;
    if response.status() == TIMED_OUT {
        response = ServerError::new(
            ServerErrorCode::TryAgainLater,
            "the request took too long to answer (request timeout)",
        )
        .into_response();
    }
    if let Some(InternalError(error)) = response.extensions().get::<InternalError>() {
        tracing::error!(%error, "request failed");
    }
    finish(response, origin)
}

/// The allowed `Origin` of the request (if it has one), or why it is refused.
fn refusal(shared: &Shared, headers: &HeaderMap) -> Result<Option<HeaderValue>, ServerError> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if !host.is_some_and(|h| shared.web.allows_host(h)) {
        return Err(ServerError::new(
            ServerErrorCode::AccessDenied,
            format!(
                "Host '{}' does not name this emulator; allow it with EmulatorBuilder::allowed_host or `cloudkit serve --allowed-host`",
                host.unwrap_or_default()
            ),
        ));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(None);
    };
    let text = origin.to_str().unwrap_or_default();
    if !shared.web.allows_origin(text) {
        return Err(ServerError::new(
            ServerErrorCode::AccessDenied,
            format!(
                "pages of origin '{text}' may not call this emulator; allow it with EmulatorBuilder::allowed_origin or `cloudkit serve --allowed-origin`"
            ),
        ));
    }
    Ok(Some(origin.clone()))
}

/// CloudKit's headers, and CORS for an allowed origin: that origin reflected, never `*`.
fn finish(mut response: Response, origin: Option<HeaderValue>) -> Response {
    let headers = response.headers_mut();
    if !headers.contains_key(REQUEST_UUID)
        && let Ok(v) = HeaderValue::from_str(&new_uuid())
    {
        headers.insert(REQUEST_UUID, v);
    }
    headers.insert(
        "x-responding-instance",
        HeaderValue::from_static("cloudkit-emulator"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(
                "X-Apple-Request-UUID, X-Apple-CloudKit-Web-Auth-Token, X-Responding-Instance",
            ),
        );
    }
    response
}
