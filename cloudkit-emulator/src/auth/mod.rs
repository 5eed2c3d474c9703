//! Who is calling: API tokens, web auth tokens and server-to-server keys (spec §2).

pub mod signature;
pub mod web_auth;

use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

use crate::clock::Clock;
use crate::error::{ServerError, ServerErrorCode};
use cloudkit_wire::ws::DatabaseScope;
use signature::{DATE_HEADER, KEY_ID_HEADER, SIGNATURE_HEADER, ServerKeys, SignedRequest};
pub use web_auth::{Sessions, User, WebAuthToken};

/// The identity a request acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// API token only: no user.
    Anonymous,
    /// A signed-in test user.
    User(User),
    /// A server-to-server key, acting as a fixed identity tied to the key (spec §2.3).
    ServerKey {
        /// The key ID.
        key_id: String,
        /// The record name writes are attributed to.
        user_record_name: String,
    },
}

impl Caller {
    /// The user record name writes are attributed to, if the caller has one.
    pub fn user_record_name(&self) -> Option<&str> {
        match self {
            Caller::Anonymous => None,
            Caller::User(u) => Some(&u.user_record_name),
            Caller::ServerKey {
                user_record_name, ..
            } => Some(user_record_name),
        }
    }
}

/// An API token accepted in `ckAPIToken`. Redacted in `Debug`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ApiToken(pub String);

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiToken(<redacted>)")
    }
}

/// Everything needed to decide who a request is.
#[derive(Debug)]
pub struct Authenticator {
    /// Accepted API tokens. Empty = API-token checking is off (any or none accepted).
    pub api_tokens: HashSet<ApiToken>,
    /// Registered server-to-server keys.
    pub server_keys: ServerKeys,
    /// Issued web auth tokens.
    pub sessions: Sessions,
    /// Allowed clock skew of a signed request's date, either way.
    pub signature_window: Duration,
    /// The time signatures are checked against instead of the clock (tests).
    pub signature_clock: Clock,
}

/// What the request presented in its target and headers (the body comes later, see
/// [`Admission`]).
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    /// `ckAPIToken`, decoded.
    pub api_token: Option<&'a str>,
    /// `ckWebAuthToken` (or `ckSession`), decoded.
    pub web_auth_token: Option<&'a str>,
    /// `X-Apple-CloudKit-Request-KeyID`.
    pub key_id: Option<&'a str>,
    /// `X-Apple-CloudKit-Request-ISO8601Date`.
    pub date: Option<&'a str>,
    /// `X-Apple-CloudKit-Request-SignatureV1`.
    pub signature: Option<&'a str>,
    /// The target as received.
    pub target: &'a str,
}

impl<'a> Credentials<'a> {
    /// Reads the credentials from decoded query pairs and a header lookup.
    pub fn read(
        query: &'a [(String, String)],
        header: impl Fn(&str) -> Option<&'a str>,
        target: &'a str,
    ) -> Credentials<'a> {
        let param = |name: &str| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        Credentials {
            api_token: param("ckAPIToken"),
            web_auth_token: param("ckWebAuthToken").or_else(|| param("ckSession")),
            key_id: header(KEY_ID_HEADER),
            date: header(DATE_HEADER),
            signature: header(SIGNATURE_HEADER),
            target,
        }
    }
}

/// The answer of [`Authenticator::admit`]: who the request is, or, for a signed request whose
/// key and date already passed, what is left to check once the body is read.
#[derive(Debug, Clone)]
pub enum Admission {
    /// Decided from the target and headers alone.
    Known(Authenticated),
    /// A server-to-server request: the signature covers the body hash, so
    /// [`Authenticator::verify_body`] finishes the check.
    Signed(PendingSignature),
}

/// The signature headers of a request admitted so far, waiting for its body.
#[derive(Debug, Clone)]
pub struct PendingSignature {
    key_id: String,
    date: String,
    signature: String,
    target: String,
}

/// The outcome of authentication.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// Who the request acts as.
    pub caller: Caller,
    /// The web auth token presented, so that the response can rotate it.
    pub presented_token: Option<String>,
}

/// The `AUTHENTICATION_REQUIRED` answer, pointing at the sign-in page.
pub fn authentication_required(redirect_url: &str) -> ServerError {
    let mut e = ServerError::new(
        ServerErrorCode::AuthenticationRequired,
        "request needs authorization",
    );
    e.redirect_url = Some(redirect_url.to_owned());
    e
}

impl Authenticator {
    /// Decides, from the target and headers only, whether the request may go on to have its
    /// body read, so that a stranger cannot make the emulator read megabytes. API and web auth
    /// tokens are checked in full here; a signed request is checked as far as it can be
    /// without the body (complete headers, known key, date in the window, public database).
    /// `endpoint_needs_user` says the endpoint wants a user even on the public database.
    pub fn admit(
        &self,
        creds: &Credentials<'_>,
        scope: DatabaseScope,
        endpoint_needs_user: bool,
        redirect_url: &str,
    ) -> Result<Admission, ServerError> {
        let signed = creds.key_id.is_some() || creds.signature.is_some() || creds.date.is_some();
        if signed {
            let (Some(key_id), Some(date), Some(signature)) =
                (creds.key_id, creds.date, creds.signature)
            else {
                return Err(ServerError::new(
                    ServerErrorCode::AuthenticationFailed,
                    "Authentication failed",
                ));
            };
            let now = self.signature_clock.now();
            self.server_keys
                .check_headers(key_id, date, now, self.signature_window)?;
            if scope != DatabaseScope::Public {
                return Err(ServerError::new(
                    ServerErrorCode::AuthenticationFailed,
                    "server-to-server keys can only access the public database",
                ));
            }
            return Ok(Admission::Signed(PendingSignature {
                key_id: key_id.to_owned(),
                date: date.to_owned(),
                signature: signature.to_owned(),
                target: creds.target.to_owned(),
            }));
        }
        if !self.api_tokens.is_empty() {
            let known = creds
                .api_token
                .is_some_and(|t| self.api_tokens.contains(&ApiToken(t.to_owned())));
            if !known {
                return Err(ServerError::new(
                    ServerErrorCode::AuthenticationFailed,
                    "missing or unknown ckAPIToken",
                ));
            }
        }
        let caller = match creds.web_auth_token {
            Some(token) => match self.sessions.user(token) {
                Some(user) => Caller::User(user),
                None => return Err(authentication_required(redirect_url)),
            },
            None => Caller::Anonymous,
        };
        let needs_user = scope != DatabaseScope::Public || endpoint_needs_user;
        if needs_user && caller == Caller::Anonymous {
            return Err(authentication_required(redirect_url));
        }
        Ok(Admission::Known(Authenticated {
            caller,
            presented_token: creds.web_auth_token.map(str::to_owned),
        }))
    }

    /// Finishes an admission with the body: verifies a pending signature over it.
    pub fn verify_body(
        &self,
        admission: Admission,
        body: &[u8],
    ) -> Result<Authenticated, ServerError> {
        let pending = match admission {
            Admission::Known(authenticated) => return Ok(authenticated),
            Admission::Signed(pending) => pending,
        };
        let request = SignedRequest {
            key_id: &pending.key_id,
            date: &pending.date,
            signature: &pending.signature,
            body,
            target: &pending.target,
        };
        let now = self.signature_clock.now();
        let key_id = self
            .server_keys
            .verify(&request, now, self.signature_window)?;
        let user_record_name = User::named(&format!("server key {key_id}")).user_record_name;
        Ok(Authenticated {
            caller: Caller::ServerKey {
                key_id,
                user_record_name,
            },
            presented_token: None,
        })
    }

    /// Whether `token` is an accepted API token (any token when none is configured).
    pub fn accepts_api_token(&self, token: Option<&str>) -> bool {
        self.api_tokens.is_empty()
            || token.is_some_and(|t| self.api_tokens.contains(&ApiToken(t.to_owned())))
    }
}
