//! One error type for everything the client can report, and the configuration errors
//! building a client can report.
//! One concept with records/outcome.rs: [`Error::BatchIncomplete`] carries the outcomes a
//! batch got before it stopped, and an outcome that does not decode is an [`Error`].

use std::fmt;

use super::auth::KeyError;
use cloudkit_wire::ws::{ServerError as WireServerError, ServerErrorCode, ZoneId};

/// Everything that can go wrong between a call on a database handle and its typed result.
///
/// No variant ever contains an API token, web auth token, key or signature. `Debug` reads like
/// `Display`, followed by the chain of causes.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// CloudKit answered with an error dictionary: for the whole request (with an HTTP status)
    /// or for one item of a batch (record, zone, subscription).
    #[error(transparent)]
    Server(Box<ServerFailure>),
    /// The request did not complete: connection refused or dropped, timeout, TLS failure.
    #[error("{endpoint}: transport failure ({kind}){}", serve_hint(*local_port))]
    Transport {
        /// `entity/action`.
        endpoint: &'static str,
        /// What kind of failure; timeouts and dropped connections are retried.
        kind: TransportKind,
        /// The port, when a connection to a loopback address (the emulator) was refused:
        /// nothing listens there, so waiting will not help and this is not retried.
        local_port: Option<u16>,
        /// The HTTP library's error, its URL removed (in API-token mode the query string
        /// carries the tokens).
        #[source]
        source: reqwest::Error,
    },
    /// HTTP 503 or 429 (or any status with a `Retry-After` header) without a JSON error
    /// dictionary (CloudKit JS calls this `SERVICE_UNAVAILABLE`). Retried.
    #[error("{endpoint}: service unavailable (HTTP {status}, no error dictionary){}", after_hint(*retry_after))]
    ServiceUnavailable {
        /// `entity/action`.
        endpoint: &'static str,
        /// The HTTP status.
        status: u16,
        /// The `Retry-After` header, in seconds.
        retry_after: Option<f64>,
    },
    /// Retrying stopped before the request succeeded because the next wait would pass the
    /// retry deadline ([`RetryPolicy::max_elapsed`](super::RetryPolicy::max_elapsed)) or is
    /// longer than one wait may be ([`RetryPolicy::max_wait`](super::RetryPolicy::max_wait)).
    #[error(
        "{endpoint}: gave up after {attempts} attempt(s) in {:.1} s{}: {source}",
        elapsed.as_secs_f64(),
        after_hint(*retry_after)
    )]
    GaveUp {
        /// `entity/action`.
        endpoint: &'static str,
        /// Attempts made of the request that gave up.
        attempts: u32,
        /// Time from the first attempt of the whole call until giving up (one deadline per
        /// call: [`RetryPolicy::max_elapsed`](super::RetryPolicy::max_elapsed)).
        elapsed: std::time::Duration,
        /// How long the server asked to wait (`retryAfter` or `Retry-After`), in seconds.
        retry_after: Option<f64>,
        /// The last failure.
        source: Box<Error>,
    },
    /// The server's answer could not be understood: malformed JSON, missing keys, or a
    /// non-JSON error body.
    #[error("{endpoint}: unexpected response (HTTP {status}): {message}")]
    UnexpectedResponse {
        /// `entity/action`.
        endpoint: &'static str,
        /// The HTTP status.
        status: u16,
        /// What was wrong, with at most the first 200 bytes of the body.
        message: String,
    },
    /// The server's answer was longer than the client accepts
    /// ([`ClientBuilder::max_response_bytes`](super::ClientBuilder::max_response_bytes), or
    /// [`max_asset_download_bytes`](super::ClientBuilder::max_asset_download_bytes) for asset
    /// downloads); it was not read further.
    #[error("{endpoint}: the answer is larger than the {limit} bytes this client accepts")]
    ResponseTooLarge {
        /// `entity/action`.
        endpoint: &'static str,
        /// The limit in force, in bytes.
        limit: u64,
    },
    /// Reading or writing a local file or stream failed (asset uploads and downloads).
    #[error("{endpoint}: I/O error: {source}")]
    Io {
        /// What was being done, e.g. `asset download`.
        endpoint: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A record came back but does not decode into the requested Rust type.
    #[error("record `{record_name}` does not decode: {message}")]
    RecordDecode {
        /// The record's name.
        record_name: String,
        /// Why.
        message: String,
    },
    /// A request body could not be serialised.
    #[error("{endpoint}: request body could not be encoded: {message}")]
    Encode {
        /// `entity/action`.
        endpoint: &'static str,
        /// Why.
        message: String,
    },
    /// The server returned the same continuation marker or sync token twice without
    /// progress; following it would loop forever.
    #[error("{endpoint}: the server repeated its continuation without progress; stopping")]
    ContinuationStalled {
        /// `entity/action`.
        endpoint: &'static str,
    },
    /// A [`QueryCursor`](super::QueryCursor) was handed to another query than the one it
    /// came from (another record type, filter, sort, zone, page size or database).
    #[error("records/query: this cursor belongs to another query; start again from the first page")]
    CursorMismatch,
    /// An atomic batch has more operations than one request may carry; CloudKit cannot make
    /// several requests atomic together.
    #[error("atomic batch of {count} operations exceeds the {max} one request can carry")]
    TooManyOperations {
        /// Operations in the batch.
        count: usize,
        /// The per-request limit.
        max: usize,
    },
    /// The operations of one batch name different zones; a `records/modify` request applies
    /// to exactly one zone.
    #[error("one batch spans zones `{first}` and `{second}`; send one batch per zone")]
    ZoneMismatch {
        /// One zone.
        first: String,
        /// Another.
        second: String,
    },
    /// A batch of several requests stopped part way: some requests were answered, one failed
    /// as a whole, later ones were not sent. Nothing is dropped: every operation index is in
    /// `completed` (with its result) or in `not_completed`.
    #[error(
        "batch incomplete: {} operations answered, {} not ({source})",
        completed.len(),
        not_completed.len()
    )]
    BatchIncomplete {
        /// `(operation index, result)` for operations whose request was answered.
        completed: Vec<(usize, Result<super::records::RecordOutcome, ServerFailure>)>,
        /// Indices of operations whose request failed or was not sent; they may or may not
        /// have been applied.
        not_completed: Vec<usize>,
        /// Why the batch stopped.
        source: Box<Error>,
    },
    /// The server-to-server key could not be loaded.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The client configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

/// A client configuration that cannot work. Never contains key or token text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No container identifier was given.
    #[error("no container identifier given (e.g. `iCloud.com.example.notes`)")]
    MissingContainer,
    /// Neither an API token nor a server-to-server key was given.
    #[error("no credentials given: call `api_token(..)` or `server_to_server_key(..)`")]
    MissingAuth,
    /// Two API tokens or two server-to-server keys were given. (One of each is fine: the key
    /// signs the client's requests, the token serves [`Client::as_user`](super::Client::as_user)
    /// handles.)
    #[error("two API tokens or two server-to-server keys were given; keep one")]
    ConflictingAuth,
    /// A web auth token only makes sense with an API token.
    #[error("a web auth token needs an API token (not a server-to-server key)")]
    WebAuthTokenWithoutApiToken,
    /// The environment string is not `development` or `production`.
    #[error("environment must be `development` or `production`, got `{0}`")]
    InvalidEnvironment(String),
    /// The base URL is not an `http(s)://host[:port]` URL.
    #[error("base URL must start with http:// or https://, got `{0}`")]
    InvalidBaseUrl(String),
    /// A plain `http://` base URL to a host other than this machine; opt in with
    /// [`ClientBuilder::allow_insecure_http`](super::ClientBuilder::allow_insecure_http).
    #[error(
        "base URL `{0}` is plain http to another machine: tokens and data would travel in the clear; use https, or call `allow_insecure_http(true)`"
    )]
    InsecureHttp(String),
    /// A required environment variable is missing.
    #[error("environment variable {0} is not set")]
    MissingVariable(&'static str),
    /// The private key file could not be read.
    #[error("could not read private key file {path}: {message}")]
    KeyFile {
        /// The file path.
        path: String,
        /// The I/O error.
        message: String,
    },
    /// The HTTP client could not be built.
    #[error("could not build the HTTP client: {0}")]
    Http(String),
}

/// Kinds of transport failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// Could not connect.
    Connect,
    /// Timed out.
    Timeout,
    /// The connection broke while sending or reading the response.
    Interrupted,
    /// Anything else (TLS, redirects, ...); not retried.
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "connect",
            TransportKind::Timeout => "timeout",
            TransportKind::Interrupted => "connection interrupted",
            TransportKind::Other => "other",
        })
    }
}

/// A CloudKit error dictionary together with where it came from.
///
/// The dictionary carries the code, reason, `retryAfter`, `uuid`, `redirectURL` and the
/// record, zone or subscription it concerns.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerFailure {
    /// `entity/action` of the request.
    pub endpoint: &'static str,
    /// HTTP status for whole-request errors; `None` for per-item errors (which arrive in 200s).
    pub http_status: Option<u16>,
    /// The error dictionary as the server sent it.
    pub dictionary: WireServerError,
    /// The `Retry-After` header of a whole-request error, in seconds (some throttling answers
    /// carry it instead of `retryAfter`).
    pub header_retry_after: Option<f64>,
    /// For `CONFLICT` on a record write: the record as the server has it now (looked up by the
    /// client after the conflict), so the caller can merge and write again.
    pub server_record: Option<Box<cloudkit_wire::ws::Record>>,
}

impl fmt::Display for ServerFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.endpoint, self.code().as_str())?;
        if let Some(status) = self.http_status {
            write!(f, " (HTTP {status})")?;
        }
        let d = &self.dictionary;
        if let Some(name) = &d.record_name {
            write!(f, " for record `{name}`")?;
        }
        if let Some(zone) = &d.zone_id {
            write!(f, " for zone `{}`", zone.zone_name)?;
        }
        if let Some(id) = &d.subscription_id {
            write!(f, " for subscription `{id}`")?;
        }
        if let Some(reason) = &d.reason {
            write!(f, ": {reason}")?;
        }
        if let Some(after) = self.retry_after() {
            write!(f, " (retry after {after} s)")?;
        }
        if let Some(uuid) = &d.uuid {
            write!(f, " [uuid {uuid}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServerFailure {}

impl ServerFailure {
    pub(crate) fn new(
        endpoint: &'static str,
        http_status: Option<u16>,
        dictionary: WireServerError,
    ) -> Self {
        Self {
            endpoint,
            http_status,
            dictionary,
            header_retry_after: None,
            server_record: None,
        }
    }

    /// `serverErrorCode` (or `extensionErrorCode`, or `UNKNOWN` when neither is present).
    pub fn code(&self) -> ServerErrorCode {
        match (
            &self.dictionary.server_error_code,
            &self.dictionary.extension_error_code,
        ) {
            (Some(code), _) => code.clone(),
            (None, Some(ext)) => ServerErrorCode::Other(ext.clone()),
            (None, None) => ServerErrorCode::Other("UNKNOWN".to_owned()),
        }
    }

    /// `reason`.
    pub fn reason(&self) -> Option<&str> {
        self.dictionary.reason.as_deref()
    }

    /// `retryAfter` (or the `Retry-After` header), in seconds.
    pub fn retry_after(&self) -> Option<f64> {
        self.dictionary.retry_after.or(self.header_retry_after)
    }

    /// `uuid`: quote it when reporting a server problem.
    pub fn uuid(&self) -> Option<&str> {
        self.dictionary.uuid.as_deref()
    }

    /// `redirectURL` (sign-in page), with `AUTHENTICATION_REQUIRED`.
    pub fn redirect_url(&self) -> Option<&str> {
        self.dictionary.redirect_url.as_deref()
    }

    /// The record the error is about.
    pub fn record_name(&self) -> Option<&str> {
        self.dictionary.record_name.as_deref()
    }

    /// The zone the error is about.
    pub fn zone_id(&self) -> Option<&ZoneId> {
        self.dictionary.zone_id.as_ref()
    }

    /// The subscription the error is about.
    pub fn subscription_id(&self) -> Option<&str> {
        self.dictionary.subscription_id.as_deref()
    }

    /// Whether waiting and sending again may succeed: `TRY_AGAIN_LATER`, `THROTTLED`,
    /// `ZONE_BUSY` (whatever the HTTP status), or any error carrying `retryAfter` or a
    /// `Retry-After` header. The code and the hints decide, not the status: throttling has
    /// been seen live as `ACCESS_DENIED` with a retry hint, so `ACCESS_DENIED` with one is
    /// retried and without one is final.
    pub fn is_transient(&self) -> bool {
        self.dictionary.is_retryable() || self.header_retry_after.is_some()
    }
}

/// Per-item results of a batch answer, each error dictionary tied to `endpoint`.
pub(crate) fn per_item<T>(
    endpoint: &'static str,
    items: Vec<Result<T, WireServerError>>,
) -> Vec<Result<T, ServerFailure>> {
    items
        .into_iter()
        .map(|item| item.map_err(|d| ServerFailure::new(endpoint, None, d)))
        .collect()
}

impl From<ServerFailure> for Error {
    fn from(e: ServerFailure) -> Self {
        Error::Server(Box::new(e))
    }
}

impl Error {
    /// The server error, if this is one.
    pub fn server(&self) -> Option<&ServerFailure> {
        match self {
            Error::Server(e) => Some(e),
            _ => None,
        }
    }

    /// The server error code, if this is a server error.
    pub fn code(&self) -> Option<ServerErrorCode> {
        self.server().map(ServerFailure::code)
    }

    /// `NOT_FOUND` (record, subscription) or `ZONE_NOT_FOUND`.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self.code(),
            Some(ServerErrorCode::NotFound | ServerErrorCode::ZoneNotFound)
        )
    }

    /// `CONFLICT`: the record changed on the server since it was read.
    pub fn is_conflict(&self) -> bool {
        matches!(self.code(), Some(ServerErrorCode::Conflict))
    }

    /// Whether the retry policy treats this as transient.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Server(e) => e.is_transient(),
            Error::ServiceUnavailable { .. } => true,
            Error::Transport {
                kind, local_port, ..
            } => {
                local_port.is_none()
                    && matches!(
                        kind,
                        TransportKind::Connect
                            | TransportKind::Timeout
                            | TransportKind::Interrupted
                    )
            }
            _ => false,
        }
    }

    /// The server's `retryAfter` hint (or `Retry-After` header), in seconds.
    pub fn retry_after(&self) -> Option<f64> {
        match self {
            Error::ServiceUnavailable { retry_after, .. } | Error::GaveUp { retry_after, .. } => {
                *retry_after
            }
            _ => self.server().and_then(ServerFailure::retry_after),
        }
    }

    pub(crate) fn transport(endpoint: &'static str, e: reqwest::Error) -> Self {
        let kind = if e.is_timeout() {
            TransportKind::Timeout
        } else if e.is_connect() {
            TransportKind::Connect
        } else if e.is_request() || e.is_body() || e.is_decode() {
            TransportKind::Interrupted
        } else {
            TransportKind::Other
        };
        let local_port = if kind == TransportKind::Connect && refused(&e) {
            e.url()
                .filter(|url| super::loopback::is_loopback(url))
                .and_then(reqwest::Url::port_or_known_default)
        } else {
            None
        };
        Error::Transport {
            endpoint,
            kind,
            local_port,
            // The URL carries ckAPIToken/ckWebAuthToken in API-token mode: drop it.
            source: e.without_url(),
        }
    }

    /// An error answer (non-2xx) of `endpoint`: the server failure when the body is an error
    /// dictionary with `serverErrorCode` or `extensionErrorCode`, [`Error::ServiceUnavailable`]
    /// for a 503 without one, else [`Error::UnexpectedResponse`].
    ///
    /// `retry_after` is the answer's `Retry-After` header, in seconds.
    pub(crate) fn from_status(
        endpoint: &'static str,
        status: u16,
        body: &[u8],
        retry_after: Option<f64>,
    ) -> Self {
        match serde_json::from_slice::<WireServerError>(body) {
            Ok(dict) if dict.server_error_code.is_some() || dict.extension_error_code.is_some() => {
                let mut failure = ServerFailure::new(endpoint, Some(status), dict);
                failure.header_retry_after = retry_after;
                failure.into()
            }
            _ if status == 503 || status == 429 || retry_after.is_some() => {
                Error::ServiceUnavailable {
                    endpoint,
                    status,
                    retry_after,
                }
            }
            Ok(_) => Error::unexpected(
                endpoint,
                status,
                "error status without serverErrorCode",
                body,
            ),
            Err(e) => Error::unexpected(
                endpoint,
                status,
                &format!("error status without an error dictionary ({e})"),
                body,
            ),
        }
    }

    pub(crate) fn io(endpoint: &'static str, source: std::io::Error) -> Self {
        Error::Io { endpoint, source }
    }

    /// A 2xx body of `endpoint` that does not decode.
    pub(crate) fn undecodable(endpoint: &'static str, e: &serde_json::Error, body: &[u8]) -> Self {
        Error::unexpected(endpoint, 200, &e.to_string(), body)
    }

    /// An answer with another number of results than the request had items.
    pub(crate) fn count_mismatch(
        endpoint: &'static str,
        what: &str,
        got: usize,
        sent: usize,
        body: &[u8],
    ) -> Self {
        Error::unexpected(
            endpoint,
            200,
            &format!("{got} results for {sent} {what}"),
            body,
        )
    }

    pub(crate) fn unexpected(endpoint: &'static str, status: u16, what: &str, body: &[u8]) -> Self {
        let cut = body.len().min(200);
        let snippet = String::from_utf8_lossy(body.get(..cut).unwrap_or_default());
        Error::UnexpectedResponse {
            endpoint,
            status,
            message: format!("{what}; body starts with: {snippet}"),
        }
    }
}

impl fmt::Debug for Error {
    /// The `Display` text, then each cause: what a person reads in `expect` and `{:?}` output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")?;
        let mut cause = std::error::Error::source(self);
        while let Some(error) = cause {
            write!(f, "\n  caused by: {error}")?;
            cause = error.source();
        }
        Ok(())
    }
}

/// The hint a refused connection to the local emulator gets.
fn serve_hint(local_port: Option<u16>) -> String {
    local_port.map_or_else(String::new, |port| {
        format!(": connection refused; is `cloudkit serve` running on port {port}?")
    })
}

/// The server's wait, when it gave one.
fn after_hint(retry_after: Option<f64>) -> String {
    retry_after.map_or_else(String::new, |s| {
        format!(" (the server asked to wait {s} s)")
    })
}

/// Whether the connection was refused (nothing listening), as opposed to unreachable or slow.
fn refused(e: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(error) = cause {
        if let Some(io) = error.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return true;
        }
        cause = error.source();
    }
    false
}
