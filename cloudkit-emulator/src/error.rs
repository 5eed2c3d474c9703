//! Server errors: what the emulator answers when a request, or one item of it, fails.
//!
//! A [`ServerError`] becomes either a whole-request error (HTTP status from the code, body an
//! error dictionary) or a per-item error element inside a 200 response (spec §5.3).

use std::fmt;

pub use cloudkit_wire::ws::ServerErrorCode;

use crate::ids::new_uuid;
use crate::storage::StorageError;

/// One failure, with what CloudKit would say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerError {
    /// The `serverErrorCode`.
    pub code: ServerErrorCode,
    /// Free text for a person.
    pub reason: String,
    /// Seconds to wait before retrying, for retryable codes.
    pub retry_after: Option<u64>,
    /// The sign-in page, with `AUTHENTICATION_REQUIRED`.
    pub redirect_url: Option<String>,
    /// Overrides the code's usual HTTP status (405 for a wrong method).
    pub status: Option<u16>,
}

impl ServerError {
    /// An error with this code and reason.
    pub fn new(code: ServerErrorCode, reason: impl Into<String>) -> Self {
        ServerError {
            code,
            reason: reason.into(),
            retry_after: None,
            redirect_url: None,
            status: None,
        }
    }

    /// `BAD_REQUEST` with this reason.
    pub fn bad_request(reason: impl Into<String>) -> Self {
        Self::new(ServerErrorCode::BadRequest, reason)
    }

    /// `INTERNAL_ERROR` with this reason.
    pub fn internal(reason: impl Into<String>) -> Self {
        Self::new(ServerErrorCode::InternalError, reason)
    }

    /// Adds a `retryAfter` in seconds.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// The HTTP status this error is sent with as a whole-request error (spec §5.2; 503 for
    /// `ZONE_BUSY`, whose status is undocumented).
    pub fn http_status(&self) -> u16 {
        self.status.unwrap_or_else(|| self.code.http_status())
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.reason)
    }
}

impl std::error::Error for ServerError {}

/// The reason every storage failure is answered with: SQLite's own message names tables and
/// SQL, which are the server's business, not the client's.
pub const STORAGE_FAILURE_REASON: &str = "internal error while storing or reading data";

/// A storage failure is CloudKit's `INTERNAL_ERROR` with a generic reason; the details are
/// logged here, the one place that still has them, and never sent.
impl From<StorageError> for ServerError {
    fn from(e: StorageError) -> Self {
        tracing::error!(error = %e, "storage failure");
        ServerError::internal(STORAGE_FAILURE_REASON)
    }
}

impl ServerError {
    /// The error dictionary sent for this error (whole-request or per item).
    pub fn to_wire(&self, uuid: &str) -> cloudkit_wire::ws::ServerError {
        let mut e = cloudkit_wire::ws::ServerError::new(self.code.clone(), self.reason.clone());
        e.uuid = Some(uuid.to_owned());
        // Whole seconds fit an f64 exactly.
        e.retry_after = self.retry_after.map(|s| s as f64);
        e.redirect_url = self.redirect_url.clone();
        e
    }
}

/// The error element of one item of a batch, with its own `uuid`. An internal error is
/// logged here, as the response it goes out in is a success.
pub fn item_error(error: &ServerError) -> cloudkit_wire::ws::ServerError {
    if error.code == ServerErrorCode::InternalError {
        tracing::error!(%error, "item failed");
    }
    error.to_wire(&new_uuid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_failures_do_not_show_sql() {
        let sqlite = rusqlite::Connection::open_in_memory()
            .and_then(|c| c.execute_batch("SELECT * FROM no_such_table"))
            .err()
            .map(StorageError::from);
        let Some(e) = sqlite else {
            panic!("the statement should fail")
        };
        let answered = ServerError::from(e);
        assert_eq!(answered.code, ServerErrorCode::InternalError);
        assert!(!answered.reason.contains("no_such_table"), "{answered}");
    }
}
