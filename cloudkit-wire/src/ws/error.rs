//! Error dictionaries and server error codes (§5).

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::vocabulary::wire_enum;
use crate::zone::ZoneId;

wire_enum! {
    /// `serverErrorCode` values. Unknown codes are kept in `Other`.
    open ServerErrorCode {
        /// 403: no permission for the endpoint, record, zone or database.
        AccessDenied = "ACCESS_DENIED",
        /// 400: an atomic batch failed.
        AtomicError = "ATOMIC_ERROR",
        /// 401: credentials rejected.
        AuthenticationFailed = "AUTHENTICATION_FAILED",
        /// 421: a signed-in user is needed; `redirectURL` is present.
        AuthenticationRequired = "AUTHENTICATION_REQUIRED",
        /// 400: malformed or invalid request.
        BadRequest = "BAD_REQUEST",
        /// 409: the `recordChangeTag` is stale.
        Conflict = "CONFLICT",
        /// 409: the thing to create exists.
        Exists = "EXISTS",
        /// 500: server fault.
        InternalError = "INTERNAL_ERROR",
        /// 404: resource missing.
        NotFound = "NOT_FOUND",
        /// 413: quota exceeded.
        QuotaExceeded = "QUOTA_EXCEEDED",
        /// 429: rate-limited.
        Throttled = "THROTTLED",
        /// 503: transient server problem.
        TryAgainLater = "TRY_AGAIN_LATER",
        /// 412: a `VALIDATE` reference constraint is violated.
        ValidatingReferenceError = "VALIDATING_REFERENCE_ERROR",
        /// 404: the zone does not exist.
        ZoneNotFound = "ZONE_NOT_FOUND",
        /// A unique-field constraint failed (CloudKit JS only; status unconfirmed).
        UniqueFieldError = "UNIQUE_FIELD_ERROR",
        /// The zone is temporarily busy (CloudKit JS only; status unconfirmed).
        ZoneBusy = "ZONE_BUSY",
    }
}

impl ServerErrorCode {
    /// The HTTP status of a whole-request error with this code.
    ///
    /// Apple's table gives most of them. Our choices where it is silent: `UNIQUE_FIELD_ERROR`
    /// 409 (a constraint clash, like `EXISTS`), `ZONE_BUSY` 503 (transient, like
    /// `TRY_AGAIN_LATER`), unknown codes 500.
    pub fn http_status(&self) -> u16 {
        match self {
            ServerErrorCode::AccessDenied => 403,
            ServerErrorCode::AtomicError | ServerErrorCode::BadRequest => 400,
            ServerErrorCode::AuthenticationFailed => 401,
            ServerErrorCode::AuthenticationRequired => 421,
            ServerErrorCode::Conflict | ServerErrorCode::Exists => 409,
            ServerErrorCode::UniqueFieldError => 409,
            ServerErrorCode::InternalError | ServerErrorCode::Other(_) => 500,
            ServerErrorCode::NotFound | ServerErrorCode::ZoneNotFound => 404,
            ServerErrorCode::QuotaExceeded => 413,
            ServerErrorCode::Throttled => 429,
            ServerErrorCode::TryAgainLater | ServerErrorCode::ZoneBusy => 503,
            ServerErrorCode::ValidatingReferenceError => 412,
        }
    }

    /// Whether repeating the same request later may succeed without changing it.
    ///
    /// True for `THROTTLED`, `TRY_AGAIN_LATER` and `ZONE_BUSY`. `INTERNAL_ERROR` is not
    /// retryable by code alone (it also reports duplicate subscriptions); retry it only when the
    /// error carries `retryAfter` (see [`ServerError::is_retryable`]).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ServerErrorCode::Throttled | ServerErrorCode::TryAgainLater | ServerErrorCode::ZoneBusy
        )
    }
}

/// The keys of an error dictionary (§5.1). Reached through [`ServerError`], which derefs to it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDictionary {
    /// Record the error belongs to (record errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_name: Option<String>,
    /// Subscription the error belongs to; `subscriptionId` is accepted on read.
    #[serde(
        rename = "subscriptionID",
        alias = "subscriptionId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub subscription_id: Option<String>,
    /// Zone the error belongs to (zone errors).
    #[serde(rename = "zoneID", default, skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<ZoneId>,
    /// The error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_error_code: Option<ServerErrorCode>,
    /// Undocumented second code that CloudKit JS treats like `serverErrorCode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_error_code: Option<String>,
    /// Free text; not stable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Suggested wait in seconds (unit unconfirmed; seconds assumed).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "seconds::serialize",
        deserialize_with = "seconds::deserialize"
    )]
    pub retry_after: Option<f64>,
    /// Server correlation ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// Sign-in URL with `AUTHENTICATION_REQUIRED`; `redirectUrl` is accepted on read.
    #[serde(
        rename = "redirectURL",
        alias = "redirectUrl",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub redirect_url: Option<String>,
}

/// An error dictionary: a whole-request error body or a per-item error element.
///
/// An element of a result array is an error if and only if it has `serverErrorCode` or
/// `extensionErrorCode`. The keys live in a boxed [`ErrorDictionary`] (read them through
/// `Deref`, e.g. `err.reason`), which keeps `Result<T, ServerError>` small.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ServerError(Box<ErrorDictionary>);

impl From<ErrorDictionary> for ServerError {
    fn from(dictionary: ErrorDictionary) -> Self {
        ServerError(Box::new(dictionary))
    }
}

impl std::ops::Deref for ServerError {
    type Target = ErrorDictionary;

    fn deref(&self) -> &ErrorDictionary {
        &self.0
    }
}

impl std::ops::DerefMut for ServerError {
    fn deref_mut(&mut self) -> &mut ErrorDictionary {
        &mut self.0
    }
}

impl ServerError {
    /// An error with a code and a reason.
    pub fn new(code: ServerErrorCode, reason: impl Into<String>) -> Self {
        ServerError::from(ErrorDictionary {
            server_error_code: Some(code),
            reason: Some(reason.into()),
            ..ErrorDictionary::default()
        })
    }

    /// The error for one record.
    pub fn for_record(mut self, record_name: impl Into<String>) -> Self {
        self.record_name = Some(record_name.into());
        self
    }

    /// The error for one zone.
    pub fn for_zone(mut self, zone_id: ZoneId) -> Self {
        self.zone_id = Some(zone_id);
        self
    }

    /// The error for one subscription.
    pub fn for_subscription(mut self, subscription_id: impl Into<String>) -> Self {
        self.subscription_id = Some(subscription_id.into());
        self
    }

    /// The code; `None` when only `extensionErrorCode` was sent.
    pub fn code(&self) -> Option<&ServerErrorCode> {
        self.server_error_code.as_ref()
    }

    /// `retryAfter` as a duration (negative or non-finite values are ignored).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
    }

    /// Whether the request may succeed if repeated later: the code says so, or the server gave
    /// `retryAfter`.
    pub fn is_retryable(&self) -> bool {
        self.retry_after.is_some() || self.code().is_some_and(ServerErrorCode::is_retryable)
    }

    /// The HTTP status this error is sent with as a whole-request error.
    pub fn http_status(&self) -> u16 {
        self.code().map_or(500, ServerErrorCode::http_status)
    }
}

impl ServerError {
    /// Unwraps the dictionary.
    pub fn into_dictionary(self) -> ErrorDictionary {
        *self.0
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.server_error_code, &self.extension_error_code) {
            (Some(code), _) => write!(f, "{code}")?,
            (None, Some(ext)) => write!(f, "{ext}")?,
            (None, None) => f.write_str("unknown CloudKit error")?,
        }
        if let Some(reason) = &self.reason {
            write!(f, ": {reason}")?;
        }
        if let Some(name) = &self.record_name {
            write!(f, " (record `{name}`)")?;
        }
        if let Some(zone) = &self.zone_id {
            write!(f, " (zone `{}`)", zone.zone_name)?;
        }
        if let Some(id) = &self.subscription_id {
            write!(f, " (subscription `{id}`)")?;
        }
        if let Some(uuid) = &self.uuid {
            write!(f, " [uuid {uuid}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServerError {}

/// `retryAfter`: any JSON number on read; written as an integer when it is whole.
mod seconds {
    use super::*;

    pub(super) fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) if v.fract() == 0.0 && v.abs() < 9.0e15 => s.serialize_i64(*v as i64),
            Some(v) => s.serialize_f64(*v),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Option::<f64>::deserialize(d)
    }
}
