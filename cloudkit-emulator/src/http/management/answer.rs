//! The management API's state and answers: the token check, the team and its containers, and
//! the `RequestError` body every failure carries (spec §8.1).

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cloudkit_wire::management::{MANAGEMENT_TOKEN_HEADER, RequestError};
use cloudkit_wire::ws::Environment;

use crate::error::ServerError;
use crate::ids::new_uuid;
use crate::services::Services;
use crate::state::Shared;

/// What the management routes need: every service, the token, the team.
#[derive(Debug)]
pub struct Management {
    /// Every (container, environment) served.
    pub services: Services,
    /// The accepted management token; `None` turns the API off.
    pub token: Option<String>,
    /// The team id every container belongs to.
    pub team_id: String,
}

impl Management {
    /// The development and production services of `container` (in the emulator's team).
    pub fn container(
        &self,
        team: &str,
        container: &str,
    ) -> Result<(&Arc<Shared>, &Arc<Shared>), Answer> {
        if team != self.team_id {
            return Err(Answer::not_found(format!(
                "team `{}` is not this emulator's; its team is `{}`",
                shown(team),
                self.team_id
            )));
        }
        match (
            self.services.get(container, Environment::Development),
            self.services.get(container, Environment::Production),
        ) {
            (Some(development), Some(production)) => Ok((development, production)),
            _ => Err(Answer::not_found(format!(
                "container `{}` is not served by this emulator",
                shown(container)
            ))),
        }
    }

    /// `Ok` when the request carries the management token.
    pub fn admit(&self, headers: &HeaderMap) -> Result<(), Answer> {
        let Some(expected) = &self.token else {
            return Err(Answer::new(
                StatusCode::UNAUTHORIZED,
                "AUTHENTICATION_FAILED",
                "the management API is off: start the emulator with --management-token TOKEN",
            ));
        };
        let given = headers
            .get(MANAGEMENT_TOKEN_HEADER)
            .and_then(|v| v.to_str().ok());
        if given.is_some_and(|g| constant_time_eq(g.as_bytes(), expected.as_bytes())) {
            Ok(())
        } else {
            Err(Answer::new(
                StatusCode::UNAUTHORIZED,
                "AUTHENTICATION_FAILED",
                "missing or wrong X-Apple-CloudKit-Management-Token",
            ))
        }
    }
}

/// Compares without stopping at the first difference, so the time taken says nothing about
/// how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// At most 64 characters of a name taken from a request, for messages.
pub fn shown(name: &str) -> String {
    name.chars().take(64).collect()
}

/// The environment path segment, `DEVELOPMENT` or `PRODUCTION` in any case (CKTool JS sends
/// upper case).
pub fn environment(segment: &str) -> Result<Environment, Answer> {
    segment.to_ascii_lowercase().parse().map_err(|_| {
        Answer::bad_request(format!(
            "unknown environment `{}`; use DEVELOPMENT or PRODUCTION",
            shown(segment)
        ))
    })
}

/// A management API answer that is not a success: the status and a `RequestError` body.
#[derive(Debug)]
pub struct Answer {
    status: StatusCode,
    reason: &'static str,
    message: String,
}

impl Answer {
    fn new(status: StatusCode, reason: &'static str, message: impl Into<String>) -> Answer {
        Answer {
            status,
            reason,
            message: message.into(),
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
            403 => "ACCESS_DENIED",
            404 => "NOT_FOUND",
            409 => "CONFLICT",
            413 => "QUOTA_EXCEEDED",
            503 => "TRY_AGAIN_LATER",
            _ => "INTERNAL_ERROR",
        };
        Answer::new(status, reason, error.reason)
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
            redirect_url: None,
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
