//! API-token auth (`ckAPIToken`) with an optional, rotating web auth token (`ckWebAuthToken`).

use std::fmt;
use std::sync::{Arc, Mutex};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Response header carrying the rotated web auth token.
pub const WEB_AUTH_TOKEN_HEADER: &str = "X-Apple-CloudKit-Web-Auth-Token";
/// Older spelling CloudKit JS falls back to when [`WEB_AUTH_TOKEN_HEADER`] is absent.
pub const SESSION_HEADER: &str = "X-Apple-CloudKit-Session";

/// What `encodeURIComponent` leaves alone; everything else (notably `+`, `/`, `=`) is escaped.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// A CloudKit API token. `Debug` and `Display` print `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken(String);

impl ApiToken {
    /// Wraps a token from CloudKit Console.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiToken(<redacted>)")
    }
}

/// A web auth token for a signed-in user. `Debug` and `Display` print `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct WebAuthToken(String);

impl WebAuthToken {
    /// Wraps a raw (not percent-encoded) token as CloudKit returned it.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }
    /// The raw token, for persisting it between runs. Handle with care.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for WebAuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebAuthToken(<redacted>)")
    }
}

/// API token plus the current web auth token, shared by every handle of one client.
///
/// Apple documents each web auth token as good for one round trip; the latest one from any
/// response (errors included) replaces the stored one before the next request uses it.
#[derive(Clone)]
pub(crate) struct ApiTokenAuth {
    api_token: ApiToken,
    web_auth_token: Arc<Mutex<Option<WebAuthToken>>>,
    /// Called with each new token the server hands out, so the application can store it.
    on_rotated: Option<RotationHook>,
}

/// What [`ApiTokenAuth`] calls when the server rotates the web auth token.
pub(crate) type RotationHook = Arc<dyn Fn(&WebAuthToken) + Send + Sync>;

impl fmt::Debug for ApiTokenAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiTokenAuth")
            .field("api_token", &self.api_token)
            .field("web_auth_token", &self.current().map(|_| "<redacted>"))
            .field("on_rotated", &self.on_rotated.as_ref().map(|_| "<hook>"))
            .finish()
    }
}

impl ApiTokenAuth {
    pub(crate) fn new(api_token: ApiToken, web_auth_token: Option<WebAuthToken>) -> Self {
        Self {
            api_token,
            web_auth_token: Arc::new(Mutex::new(web_auth_token)),
            on_rotated: None,
        }
    }

    /// The same credentials with `hook` called on every rotation. The token cell stays
    /// shared with `self`.
    pub(crate) fn with_rotation_hook(&self, hook: RotationHook) -> Self {
        Self {
            on_rotated: Some(hook),
            ..self.clone()
        }
    }

    /// Adopts a rotated token; calls the rotation hook (outside the lock) when it differs
    /// from the stored one.
    pub(crate) fn rotate(&self, token: WebAuthToken) {
        let changed = {
            let mut guard = match self.web_auth_token.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            let changed = guard.as_ref() != Some(&token);
            *guard = Some(token.clone());
            changed
        };
        if changed && let Some(hook) = &self.on_rotated {
            hook(&token);
        }
    }

    pub(crate) fn current(&self) -> Option<WebAuthToken> {
        match self.web_auth_token.lock() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub(crate) fn replace(&self, token: WebAuthToken) {
        match self.web_auth_token.lock() {
            Ok(mut guard) => *guard = Some(token),
            Err(poisoned) => *poisoned.into_inner() = Some(token),
        }
    }

    /// The query string to append, each value percent-encoded exactly once.
    /// Drops the web auth token (signed out).
    pub(crate) fn clear(&self) {
        match self.web_auth_token.lock() {
            Ok(mut guard) => *guard = None,
            Err(poisoned) => *poisoned.into_inner() = None,
        }
    }

    pub(crate) fn query_string(&self) -> String {
        let mut query = format!(
            "ckAPIToken={}",
            utf8_percent_encode(self.api_token.expose(), URI_COMPONENT)
        );
        if let Some(token) = self.current() {
            query.push_str("&ckWebAuthToken=");
            query.extend(utf8_percent_encode(token.expose_secret(), URI_COMPONENT));
        }
        query
    }

    /// Query parameter names with their values hidden, for snapshots and logs.
    pub(crate) fn redacted_query(&self) -> Vec<(String, String)> {
        let mut query = vec![("ckAPIToken".to_owned(), "<redacted>".to_owned())];
        if self.current().is_some() {
            query.push(("ckWebAuthToken".to_owned(), "<redacted>".to_owned()));
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_auth_token_is_encoded_exactly_once() {
        let auth = ApiTokenAuth::new(
            ApiToken::new("abc123"),
            Some(WebAuthToken::new("a+b/c=d%e f")),
        );
        assert_eq!(
            auth.query_string(),
            "ckAPIToken=abc123&ckWebAuthToken=a%2Bb%2Fc%3Dd%25e%20f"
        );
        auth.replace(WebAuthToken::new("next=="));
        assert_eq!(
            auth.query_string(),
            "ckAPIToken=abc123&ckWebAuthToken=next%3D%3D"
        );
    }

    #[test]
    fn tokens_never_print() {
        let auth = ApiTokenAuth::new(
            ApiToken::new("apisecret"),
            Some(WebAuthToken::new("websecret")),
        );
        let shown = format!(
            "{auth:?} {:?} {:?}",
            ApiToken::new("apisecret"),
            WebAuthToken::new("websecret")
        );
        assert!(
            !shown.contains("apisecret") && !shown.contains("websecret"),
            "{shown}"
        );
        assert!(shown.contains("<redacted>"));
    }
}
