//! What a management call can fail with.

use cloudkit_wire::management::RequestError;

/// A failed management call. No variant contains a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with the management API's error body (spec §8.1).
    #[error("{operation}: {error} (HTTP {status})")]
    Request {
        /// The operation, e.g. `exportSchema`.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The decoded body.
        error: Box<RequestError>,
        /// `Retry-After` header or `retryAfterSeconds`, in seconds.
        retry_after: Option<f64>,
    },
    /// A non-2xx answer without that body (a proxy page, a CKWS error body, nothing).
    #[error("{operation}: HTTP {status} without a management error body: {excerpt}")]
    Status {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// `Retry-After` header, in seconds.
        retry_after: Option<f64>,
        /// At most the first 200 bytes of the body.
        excerpt: String,
    },
    /// A 2xx answer that is not what the operation returns.
    #[error("{operation}: unexpected response (HTTP {status}): {message}")]
    UnexpectedResponse {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// What was wrong, with at most the first 200 bytes of the body.
        message: String,
    },
    /// The call was refused before sending: a parameter out of the API's range (e.g.
    /// `resultsLimit` outside 1–200) or a value JSON cannot carry (a NaN double). CKTool JS's
    /// `InvalidParametersError`.
    #[error("{operation}: invalid parameters: {message}")]
    InvalidParameters {
        /// The operation.
        operation: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Retrying stopped (attempts used up, deadline, or a server wait longer than allowed).
    #[error("{operation}: gave up after {attempts} attempt(s): {source}")]
    GaveUp {
        /// The operation.
        operation: &'static str,
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        source: Box<Error>,
    },
    /// Transport failures, answers over the size limit and configuration errors, as the Web
    /// Services client reports them.
    #[error(transparent)]
    Client(#[from] crate::client::Error),
}

impl Error {
    /// The HTTP status of a server answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Request { status, .. }
            | Error::Status { status, .. }
            | Error::UnexpectedResponse { status, .. } => Some(*status),
            Error::GaveUp { source, .. } => source.status(),
            Error::Client(_) | Error::InvalidParameters { .. } => None,
        }
    }

    /// The server's decoded error body, if there was one.
    pub fn request_error(&self) -> Option<&RequestError> {
        match self {
            Error::Request { error, .. } => Some(error),
            Error::GaveUp { source, .. } => source.request_error(),
            _ => None,
        }
    }

    /// Whether the retry policy sends the request again: HTTP 429 and 503, a
    /// `TRY_AGAIN_LATER`/`THROTTLED` reason (inferred: CKWS's names), and the transport
    /// failures the Web Services client retries.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Request { status, error, .. } => {
                matches!(status, 429 | 503)
                    || matches!(error.reason.as_str(), "TRY_AGAIN_LATER" | "THROTTLED")
            }
            Error::Status { status, .. } => matches!(status, 429 | 503),
            Error::Client(e) => e.is_transient(),
            Error::UnexpectedResponse { .. }
            | Error::GaveUp { .. }
            | Error::InvalidParameters { .. } => false,
        }
    }

    /// How long the server asked to wait, in seconds.
    pub fn retry_after(&self) -> Option<f64> {
        match self {
            Error::Request { retry_after, .. } | Error::Status { retry_after, .. } => *retry_after,
            Error::Client(e) => e.retry_after(),
            _ => None,
        }
    }

    /// Decodes a non-2xx answer.
    pub(crate) fn from_status(
        operation: &'static str,
        status: u16,
        body: &[u8],
        header_retry_after: Option<f64>,
    ) -> Self {
        match serde_json::from_slice::<RequestError>(body) {
            Ok(error) => {
                let retry_after = header_retry_after
                    .or_else(|| error.retry_after_seconds.map(f64::from))
                    .filter(|s| s.is_finite() && *s >= 0.0);
                Error::Request {
                    operation,
                    status,
                    error: Box::new(error),
                    retry_after,
                }
            }
            Err(_) => Error::Status {
                operation,
                status,
                retry_after: header_retry_after,
                excerpt: excerpt(body),
            },
        }
    }

    pub(crate) fn unexpected(
        operation: &'static str,
        status: u16,
        what: &str,
        body: &[u8],
    ) -> Self {
        Error::UnexpectedResponse {
            operation,
            status,
            message: format!("{what}: {}", excerpt(body)),
        }
    }
}

/// At most the first 200 bytes of a body, as text.
fn excerpt(body: &[u8]) -> String {
    let cut = &body[..body.len().min(200)];
    let text = String::from_utf8_lossy(cut);
    if body.len() > 200 {
        format!("{text}…")
    } else if text.is_empty() {
        "(empty body)".to_owned()
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_decode_and_classify() {
        let throttled = Error::from_status(
            "getTeams",
            429,
            br#"{"code":429,"message":"slow down","reason":"THROTTLED","retryAfterSeconds":3}"#,
            None,
        );
        assert!(throttled.is_transient());
        assert_eq!(throttled.retry_after(), Some(3.0));
        assert_eq!(
            throttled.to_string(),
            "getTeams: THROTTLED (429): slow down (HTTP 429)"
        );

        let denied = Error::from_status(
            "getTeams",
            401,
            br#"{"code":401,"message":"bad token","reason":"AUTHENTICATION_FAILED"}"#,
            None,
        );
        assert!(!denied.is_transient());
        assert_eq!(
            denied.request_error().map(|e| e.reason.as_str()),
            Some("AUTHENTICATION_FAILED")
        );

        let proxy = Error::from_status("getTeams", 503, b"<html>busy</html>", Some(1.0));
        assert!(proxy.is_transient());
        assert!(proxy.to_string().contains("<html>busy</html>"));
        assert!(
            Error::from_status("x", 500, b"", None)
                .to_string()
                .contains("(empty body)")
        );
    }
}
