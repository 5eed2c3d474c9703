//! Server errors: what the emulator answers when a request, or one item of it, fails.
//!
//! A [`ServerError`] becomes either a whole-request error (HTTP status from the code, body an
//! error dictionary) or a per-item error element inside a 200 response (spec §5.3).

use std::fmt;

/// CloudKit's server error codes (web-services spec §5.2) that the emulator can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// 403: the caller lacks permission.
    AccessDenied,
    /// 400: an atomic batch failed because of another operation in it.
    AtomicError,
    /// 401: credentials rejected.
    AuthenticationFailed,
    /// 421: a signed-in user is needed.
    AuthenticationRequired,
    /// 400: malformed or invalid request.
    BadRequest,
    /// 409: stale `recordChangeTag`.
    Conflict,
    /// 409: create of something that exists.
    Exists,
    /// 500: server fault.
    InternalError,
    /// 404: resource missing.
    NotFound,
    /// 413: quota exceeded.
    QuotaExceeded,
    /// 429: rate limited.
    Throttled,
    /// 503: transient problem.
    TryAgainLater,
    /// 412: a `VALIDATE` reference constraint failed.
    ValidatingReferenceError,
    /// 404: the zone does not exist.
    ZoneNotFound,
    /// 503 (unconfirmed status): the zone is busy.
    ZoneBusy,
}

impl ErrorCode {
    /// The code as it appears in `serverErrorCode`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::AccessDenied => "ACCESS_DENIED",
            ErrorCode::AtomicError => "ATOMIC_ERROR",
            ErrorCode::AuthenticationFailed => "AUTHENTICATION_FAILED",
            ErrorCode::AuthenticationRequired => "AUTHENTICATION_REQUIRED",
            ErrorCode::BadRequest => "BAD_REQUEST",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::Exists => "EXISTS",
            ErrorCode::InternalError => "INTERNAL_ERROR",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::QuotaExceeded => "QUOTA_EXCEEDED",
            ErrorCode::Throttled => "THROTTLED",
            ErrorCode::TryAgainLater => "TRY_AGAIN_LATER",
            ErrorCode::ValidatingReferenceError => "VALIDATING_REFERENCE_ERROR",
            ErrorCode::ZoneNotFound => "ZONE_NOT_FOUND",
            ErrorCode::ZoneBusy => "ZONE_BUSY",
        }
    }

    /// The HTTP status of a whole-request error with this code (spec §5.2). `ZONE_BUSY` has
    /// no documented status; 503 matches its retry-later meaning.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::AccessDenied => 403,
            ErrorCode::AtomicError | ErrorCode::BadRequest => 400,
            ErrorCode::AuthenticationFailed => 401,
            ErrorCode::AuthenticationRequired => 421,
            ErrorCode::Conflict | ErrorCode::Exists => 409,
            ErrorCode::InternalError => 500,
            ErrorCode::NotFound | ErrorCode::ZoneNotFound => 404,
            ErrorCode::QuotaExceeded => 413,
            ErrorCode::Throttled => 429,
            ErrorCode::TryAgainLater | ErrorCode::ZoneBusy => 503,
            ErrorCode::ValidatingReferenceError => 412,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One failure, with what CloudKit would say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerError {
    /// The `serverErrorCode`.
    pub code: ErrorCode,
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
    pub fn new(code: ErrorCode, reason: impl Into<String>) -> Self {
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
        Self::new(ErrorCode::BadRequest, reason)
    }

    /// `INTERNAL_ERROR` with this reason.
    pub fn internal(reason: impl Into<String>) -> Self {
        Self::new(ErrorCode::InternalError, reason)
    }

    /// Adds a `retryAfter` in seconds.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// The HTTP status this error is sent with as a whole-request error.
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

impl From<rusqlite::Error> for ServerError {
    fn from(e: rusqlite::Error) -> Self {
        tracing::error!(error = %e, "storage failure");
        ServerError::internal(format!("storage failure: {e}"))
    }
}

impl ServerError {
    /// The error dictionary sent for this error (whole-request or per item).
    pub fn to_wire(&self, uuid: &str) -> cloudkit_runtime::wire::ServerError {
        let code = cloudkit_runtime::wire::ServerErrorCode::from(self.code.as_str());
        let mut e = cloudkit_runtime::wire::ServerError::new(code, self.reason.clone());
        e.uuid = Some(uuid.to_owned());
        // Whole seconds fit an f64 exactly.
        e.retry_after = self.retry_after.map(|s| s as f64);
        e.redirect_url = self.redirect_url.clone();
        e
    }
}
