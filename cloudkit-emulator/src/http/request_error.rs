//! The v1 API's error answer (`RequestError`, spec `management-api.md` §8.1), shared by the
//! management routes and the v1 data routes, and their JSON answers.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cloudkit_wire::management::RequestError;

use crate::error::ServerError;
use crate::ids::new_uuid;

/// A management API answer that is not a success: the status and a `RequestError` body.
#[derive(Debug)]
pub struct Answer {
    status: StatusCode,
    reason: &'static str,
    message: String,
    redirect_url: Option<String>,
}

impl Answer {
    pub fn new(status: StatusCode, reason: &'static str, message: impl Into<String>) -> Answer {
        Answer {
            status,
            reason,
            message: message.into(),
            redirect_url: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Answer {
        Answer::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
    }

    pub fn not_found(message: impl Into<String>) -> Answer {
        Answer::new(StatusCode::NOT_FOUND, "NOT_FOUND", message)
    }
}

/// A CloudKit error from an operation, in the management API's shape.
impl From<ServerError> for Answer {
    fn from(error: ServerError) -> Answer {
        let status =
            StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let reason = match status.as_u16() {
            400 => "BAD_REQUEST",
            401 => "AUTHENTICATION_FAILED",
            421 => "AUTHENTICATION_REQUIRED",
            403 => "ACCESS_DENIED",
            404 => "NOT_FOUND",
            409 => "CONFLICT",
            413 => "QUOTA_EXCEEDED",
            503 => "TRY_AGAIN_LATER",
            _ => "INTERNAL_ERROR",
        };
        let mut answer = Answer::new(status, reason, error.reason);
        answer.redirect_url = error.redirect_url;
        answer
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let body = RequestError {
            code: i32::from(self.status.as_u16()),
            message: self.message,
            reason: self.reason.to_owned(),
            detailed_message: None,
            request_uuid: Some(new_uuid()),
            retry_after_seconds: None,
            redirect_url: self.redirect_url,
        };
        json(self.status, &body)
    }
}

/// A JSON answer with the exact status CKTool JS expects.
pub fn json<T: serde::Serialize>(status: StatusCode, value: &T) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = Response::new(axum::body::Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}
