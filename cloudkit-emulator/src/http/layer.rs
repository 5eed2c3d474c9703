//! The middleware every route goes through: CORS (preflights answered here), the request
//! UUID and CloudKit's response headers, and one log line per internal error.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};

use super::response::{InternalError, REQUEST_UUID};
use crate::error::{ServerError, ServerErrorCode};
use crate::ids::new_uuid;

/// The status tower-http's timeout layer answers with, turned into CloudKit's error here.
/// (No handler answers 408 itself.)
pub const TIMED_OUT: StatusCode = StatusCode::REQUEST_TIMEOUT;

/// Answers CORS preflights, and adds CloudKit's headers to every other response.
pub async fn cloudkit_headers(request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NO_CONTENT;
        let headers = response.headers_mut();
        cors(headers);
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, OPTIONS"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("*"),
        );
        return response;
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
    cors(headers);
    response
}

/// Browsers may call from any origin and read CloudKit's own headers.
fn cors(headers: &mut HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(
            "X-Apple-Request-UUID, X-Apple-CloudKit-Web-Auth-Token, X-Responding-Instance",
        ),
    );
}
