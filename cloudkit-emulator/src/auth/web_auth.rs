//! Web auth tokens: signed-in test users (web-services spec §2.2).
//!
//! The emulator knows named test users. [`Sessions::sign_in`] issues a token for one; a request
//! carrying it as `ckWebAuthToken` acts as that user, and every response carries a fresh token in
//! `X-Apple-CloudKit-Web-Auth-Token`. The sign-in web page that issues tokens to browsers is a
//! later piece; it will call [`Sessions::sign_in`] too.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest as _, Sha256};

/// A web auth token. Its value never appears in `Debug` output.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct WebAuthToken(String);

impl WebAuthToken {
    /// The raw token, to be percent-encoded once into `ckWebAuthToken`.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for WebAuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebAuthToken(<redacted>)")
    }
}

/// A test user as the emulator knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The name used to sign in, e.g. `alice`.
    pub name: String,
    /// The user record name, `_` followed by 32 hex digits, stable for a name.
    pub user_record_name: String,
}

impl User {
    /// The user for a test name. The record name is derived from the name so that it is the
    /// same across restarts of a file-backed emulator.
    pub fn named(name: &str) -> User {
        let digest = Sha256::digest(format!("cloudkit-emulator user {name}").as_bytes());
        let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        User {
            name: name.to_owned(),
            user_record_name: format!("_{hex}"),
        }
    }
}

struct Session {
    user: User,
    expires: Instant,
}

/// Issued tokens and the users they stand for.
pub struct Sessions {
    tokens: Mutex<HashMap<WebAuthToken, Session>>,
    lifetime: Duration,
    strict_rotation: bool,
}

impl fmt::Debug for Sessions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sessions")
            .field("lifetime", &self.lifetime)
            .field("strict_rotation", &self.strict_rotation)
            .finish_non_exhaustive()
    }
}

impl Sessions {
    /// A store whose tokens live `lifetime`. With `strict_rotation`, a token is good for one
    /// request only (Apple's documented rule); otherwise it stays valid until it expires, as the
    /// live service behaves.
    pub fn new(lifetime: Duration, strict_rotation: bool) -> Sessions {
        Sessions {
            tokens: Mutex::new(HashMap::new()),
            lifetime,
            strict_rotation,
        }
    }

    fn issue(&self, user: User) -> WebAuthToken {
        let bytes: [u8; 48] = rand::random();
        // Standard base64 keeps `+`, `/` and `=` in tokens, so clients that do not
        // percent-encode them fail here as they would against iCloud.
        let token = WebAuthToken(STANDARD.encode(bytes));
        let session = Session {
            user,
            expires: Instant::now() + self.lifetime,
        };
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.retain(|_, s| s.expires > Instant::now());
            tokens.insert(token.clone(), session);
        }
        token
    }

    /// Signs in the test user `name` and returns a fresh token for it.
    pub fn sign_in(&self, name: &str) -> WebAuthToken {
        self.issue(User::named(name))
    }

    /// The user a token stands for, if it is known and not expired.
    pub fn user(&self, token: &str) -> Option<User> {
        let tokens = self.tokens.lock().ok()?;
        let session = tokens.get(&WebAuthToken(token.to_owned()))?;
        (session.expires > Instant::now()).then(|| session.user.clone())
    }

    /// Forgets a token: requests carrying it are refused from now on (sign-out).
    pub fn revoke(&self, token: &str) {
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.remove(&WebAuthToken(token.to_owned()));
        }
    }

    /// Issues the token that replaces `token` in the response.
    pub fn rotate(&self, token: &str, user: &User) -> WebAuthToken {
        if self.strict_rotation
            && let Ok(mut tokens) = self.tokens.lock()
        {
            tokens.remove(&WebAuthToken(token.to_owned()));
        }
        self.issue(user.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_stable_and_distinct() {
        let a = User::named("alice");
        assert_eq!(a, User::named("alice"));
        assert_ne!(a.user_record_name, User::named("bob").user_record_name);
        assert!(a.user_record_name.starts_with('_'));
        assert_eq!(a.user_record_name.len(), 33);
    }

    #[test]
    fn tokens_resolve_rotate_and_redact() {
        let strict = Sessions::new(Duration::from_secs(60), true);
        let t = strict.sign_in("alice");
        assert_eq!(
            strict.user(t.expose()).map(|u| u.name),
            Some("alice".to_owned())
        );
        let user = User::named("alice");
        let t2 = strict.rotate(t.expose(), &user);
        assert!(strict.user(t.expose()).is_none());
        assert!(strict.user(t2.expose()).is_some());
        assert_eq!(format!("{t2:?}"), "WebAuthToken(<redacted>)");

        let lenient = Sessions::new(Duration::from_secs(60), false);
        let t = lenient.sign_in("bob");
        let _ = lenient.rotate(t.expose(), &User::named("bob"));
        assert!(lenient.user(t.expose()).is_some());
        assert!(lenient.user("nope").is_none());
    }
}
