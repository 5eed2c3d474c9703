//! One client, many users: per-user handles that share the client's connection pool, with the
//! auth mode in the type.
//!
//! A web backend builds one [`Client`] at start-up (its server-to-server key for the public
//! database, its API token for users) and, per request, a [`UserSession`] from the caller's
//! web auth token with [`Client::as_user`]. Making one costs a few small allocations (no new
//! `reqwest::Client`, no new connections); requests, retries and [`Client::stats`] counters go
//! through the client's pool. CloudKit rotates web auth tokens; [`Session::on_token_rotated`]
//! hands each new one to the application to store.
//!
//! A [`ServerSession`] ([`Client::as_server`]) signs with the key and reaches only the public
//! database: `private_database()` and `shared_database()` do not compile on it. A [`Client`]
//! itself has only the public database; a client built with a web auth token (or that adopted
//! one after a sign-in) reaches its user's databases through [`Client::signed_in`].

use std::marker::PhantomData;
use std::sync::Arc;

use super::auth::Auth;
use super::auth::WebAuthToken;
use super::auth::api_token::ApiTokenAuth;
use super::database::{Database, PrivateDatabase, PublicDatabase, SharedDatabase};
use super::handle::Client;
use super::sign_in::NotApiTokenClient;
use super::users::Users;

mod sealed {
    pub trait Sealed {}
}

/// How a [`Session`] authenticates: [`AsUser`] or [`AsServer`].
pub trait AuthMode: sealed::Sealed + Send + Sync + 'static {}

/// Modes that carry a signed-in user: the private and shared databases need one.
#[diagnostic::on_unimplemented(
    message = "a server-to-server key reaches only the public database",
    label = "the private and shared databases need a signed-in user",
    note = "make a per-user handle with `client.as_user(web_auth_token)`"
)]
pub trait SignedIn: AuthMode {}

/// Marker: an API token with one user's web auth token.
#[derive(Clone, Copy, Debug)]
pub struct AsUser;
/// Marker: requests signed with the client's server-to-server key.
#[derive(Clone, Copy, Debug)]
pub struct AsServer;

impl sealed::Sealed for AsUser {}
impl sealed::Sealed for AsServer {}
impl AuthMode for AsUser {}
impl AuthMode for AsServer {}
impl SignedIn for AsUser {}

/// A handle on the client's container with one way of authenticating, fixed in the type.
/// Cheap to clone; clones share the connection pool and (for users) the current token.
pub struct Session<A: AuthMode> {
    client: Client,
    mode: PhantomData<A>,
}

/// One signed-in user's handle: public, private and shared databases, users calls.
pub type UserSession = Session<AsUser>;
/// The server-to-server key's handle: the public database only.
pub type ServerSession = Session<AsServer>;

impl<A: AuthMode> Clone for Session<A> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            mode: PhantomData,
        }
    }
}

impl<A: AuthMode> std::fmt::Debug for Session<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("mode", &std::any::type_name::<A>().rsplit("::").next())
            .field("client", &self.client)
            .finish()
    }
}

/// [`Client::as_server`] on a client built without a server-to-server key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("this client has no server-to-server key; add one with `server_to_server_key(..)`")]
pub struct NoServerKey;

/// [`Client::signed_in`] on a client without a web auth token: anonymous (API token only) or
/// signing with a server-to-server key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "this client has no signed-in user; build it with `web_auth_token(..)` (or \
     CLOUDKIT_WEB_AUTH_TOKEN), adopt one after a sign-in with `set_web_auth_token`, or make a \
     per-user handle with `as_user(token)`"
)]
pub struct NotSignedIn;

impl Client {
    /// The handle of the user this client is signed in as (its web auth token, given to the
    /// builder, read by [`Client::from_env`] or adopted with
    /// [`set_web_auth_token`](Client::set_web_auth_token)): the private and shared databases
    /// are reached through it. It shares this client's token: rotations reach both.
    ///
    /// ```
    /// use cloudkit_runtime::client::{Client, NotSignedIn};
    ///
    /// let client = Client::builder()
    ///     .container("iCloud.com.example.notes")
    ///     .api_token("api-token")
    ///     .web_auth_token("web-auth-token")
    ///     .build()?;
    /// let _private = client.signed_in()?.private_database();
    ///
    /// let anonymous = Client::builder()
    ///     .container("iCloud.com.example.notes")
    ///     .api_token("api-token")
    ///     .build()?;
    /// assert_eq!(anonymous.signed_in().err(), Some(NotSignedIn));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn signed_in(&self) -> Result<UserSession, NotSignedIn> {
        match &self.transport.auth {
            Auth::ApiToken(auth) if auth.current().is_some() => Ok(Session::new(self.clone())),
            _ => Err(NotSignedIn),
        }
    }

    /// A handle acting as the user `token` belongs to, sharing this client's connection pool.
    /// Needs an API token on the client (alone or beside a server-to-server key). Rotated
    /// tokens stay with this handle and its clones, never with the client or other users.
    ///
    /// ```
    /// use cloudkit_runtime::client::{Client, UserSession, WebAuthToken};
    ///
    /// let client = Client::builder()
    ///     .container("iCloud.com.example.notes")
    ///     .api_token("api-token")
    ///     .build()?;
    /// // Per HTTP request: the caller's stored token.
    /// let alice: UserSession = client
    ///     .as_user(WebAuthToken::new("alice-token"))?
    ///     .on_token_rotated(|token| {
    ///         // store `token.expose_secret()` with alice's session
    ///         let _ = token;
    ///     });
    /// let _private = alice.private_database();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_user(&self, token: WebAuthToken) -> Result<UserSession, NotApiTokenClient> {
        let api_token = self
            .transport
            .user_api_token
            .clone()
            .ok_or(NotApiTokenClient)?;
        let auth = ApiTokenAuth::new(api_token, Some(token));
        Ok(Session::new(self.with_auth(auth)))
    }

    /// The handle that signs with this client's server-to-server key: public database only.
    ///
    /// ```compile_fail
    /// # fn f(client: cloudkit_runtime::client::Client) {
    /// let server = client.as_server().unwrap();
    /// // A server-to-server key has no user: this does not compile.
    /// let private = server.private_database();
    /// # }
    /// ```
    pub fn as_server(&self) -> Result<ServerSession, NoServerKey> {
        match &self.transport.auth {
            Auth::ServerKey(_) => Ok(Session::new(self.clone())),
            Auth::ApiToken(_) => Err(NoServerKey),
        }
    }

    fn with_auth(&self, auth: ApiTokenAuth) -> Client {
        Client {
            transport: Arc::new(self.transport.with_auth(auth)),
        }
    }
}

impl<A: AuthMode> Session<A> {
    fn new(client: Client) -> Self {
        Self {
            client,
            mode: PhantomData,
        }
    }

    /// The public database, as this user (records they create are theirs) or as the server.
    pub fn public_database(&self) -> PublicDatabase {
        self.client.public_database()
    }

    /// This user's private database.
    pub fn private_database(&self) -> PrivateDatabase
    where
        A: SignedIn,
    {
        Database::new(self.client.clone())
    }

    /// The shared database: zones other users shared with this user.
    pub fn shared_database(&self) -> SharedDatabase
    where
        A: SignedIn,
    {
        Database::new(self.client.clone())
    }

    /// User identity and discovery calls, as this user.
    pub fn users(&self) -> Users
    where
        A: SignedIn,
    {
        self.client.users()
    }

    /// The untyped client behind this handle (same pool, this handle's auth).
    pub fn client(&self) -> &Client {
        &self.client
    }
}

impl UserSession {
    /// Calls `hook` with every new web auth token the server hands out for this user (CloudKit
    /// rotates them, and a spent one may be refused), outside any lock and before the request
    /// that brought it returns. Store the token there so the user's next request starts from
    /// it. Replaces an earlier hook; the token stays shared with the handle it came from.
    pub fn on_token_rotated(
        self,
        hook: impl Fn(&WebAuthToken) + Send + Sync + 'static,
    ) -> UserSession {
        let Auth::ApiToken(auth) = &self.client.transport.auth else {
            return self;
        };
        let auth = auth.with_rotation_hook(Arc::new(hook));
        Session::new(self.client.with_auth(auth))
    }

    /// The user's current web auth token (the latest rotation), to store.
    pub fn web_auth_token(&self) -> Option<WebAuthToken> {
        self.client.web_auth_token()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_sessions_need_an_api_token_and_server_sessions_a_key() {
        let key = super::super::auth::server_key::tests::SPEC_KEY;
        let base = || Client::builder().container("iCloud.com.example.notes");
        let token = || WebAuthToken::new("w");
        let key_only = base()
            .server_to_server_key("k", key)
            .build()
            .expect("client");
        assert_eq!(key_only.as_user(token()).err(), Some(NotApiTokenClient));
        assert!(key_only.as_server().is_ok());
        let token_only = base().api_token("t").build().expect("client");
        assert_eq!(token_only.as_server().err(), Some(NoServerKey));
        let both = base()
            .server_to_server_key("k", key)
            .api_token("t")
            .build()
            .expect("client");
        let alice = both.as_user(token()).expect("api token");
        assert_eq!(alice.web_auth_token(), Some(token()));
        assert_eq!(
            both.web_auth_token(),
            None,
            "the client itself stays unsigned-in"
        );
        assert_eq!(
            both.signed_in().err(),
            Some(NotSignedIn),
            "signs with the key"
        );
        assert_eq!(token_only.signed_in().err(), Some(NotSignedIn), "anonymous");
        let signed_in = base()
            .api_token("t")
            .web_auth_token("w")
            .build()
            .expect("client");
        assert_eq!(
            signed_in.signed_in().expect("signed in").web_auth_token(),
            Some(token())
        );
        let shown = format!("{alice:?} {:?}", both.as_server().expect("key"));
        assert!(
            !shown.contains("\"w\"") && !shown.contains("MHcC"),
            "{shown}"
        );
    }
}
