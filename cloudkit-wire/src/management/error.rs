//! The management API's whole-request error body (spec §8.1).

use std::fmt;

use serde::{Deserialize, Serialize};

/// The body of any non-2xx answer: `{code, message, reason, detailedMessage?, requestUuid?,
/// retryAfterSeconds?}`; a 421 adds `redirectUrl`.
///
/// `code` equals the HTTP status and `reason` is a CKWS-like code such as `NOT_FOUND` (both
/// inferred, spec §8.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestError {
    /// Numeric code (inferred: the HTTP status).
    pub code: i32,
    /// Human-readable text.
    pub message: String,
    /// Short reason, e.g. `BAD_REQUEST` (inferred).
    pub reason: String,
    /// More detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detailed_message: Option<String>,
    /// Correlation id to quote to Apple.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_uuid: Option<String>,
    /// Suggested wait before retrying, in seconds (inferred: with 429 and 503).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<i32>,
    /// Where to sign in (421 `AuthenticationRequiredError` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
}

impl fmt::Display for RequestError {
    /// `BAD_REQUEST (400): message; detail`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.reason, self.code, self.message)?;
        if let Some(detail) = &self.detailed_message {
            write!(f, "; {detail}")?;
        }
        Ok(())
    }
}
