//! The one mapping from CloudKit's error to an HTTP response, and the JSON response every
//! handler answers with.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::{ServerError, ServerErrorCode};
use crate::ids::new_uuid;

/// The header carrying the request UUID, which is also the `uuid` of an error body.
pub const REQUEST_UUID: &str = "x-apple-request-uuid";

/// Marks a response that answers an internal error, so that [`super::layer`] logs it once.
#[derive(Debug, Clone)]
pub struct InternalError(pub String);

/// The CloudKit error a response answers, for the request log line (see
/// [`crate::request_log`]).
#[derive(Debug, Clone)]
pub struct AnsweredError {
    /// The `serverErrorCode`.
    pub code: String,
    /// The `reason`.
    pub reason: String,
}

/// A JSON response with this status and body.
pub fn json(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    response
}

/// A whole-request error: the status from the code, the error dictionary as the body, its
/// `uuid` also in the request UUID header.
impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let uuid = new_uuid();
        let body = serde_json::to_vec(&self.to_wire(&uuid)).unwrap_or_else(|_| b"{}".to_vec());
        let status =
            StatusCode::from_u16(self.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = json(status, body);
        let headers = response.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&uuid) {
            headers.insert(REQUEST_UUID, v);
        }
        if status == StatusCode::METHOD_NOT_ALLOWED {
            headers.insert(header::ALLOW, HeaderValue::from_static("OPTIONS"));
        }
        response.extensions_mut().insert(AnsweredError {
            code: self.code.as_str().to_owned(),
            reason: self.reason.clone(),
        });
        if self.code == ServerErrorCode::InternalError {
            response
                .extensions_mut()
                .insert(InternalError(self.to_string()));
        }
        response
    }
}
