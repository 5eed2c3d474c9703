//! The two mutually exclusive ways to authenticate: API token (optionally with a signed-in
//! user's web auth token) or a server-to-server key.

pub mod api_token;
pub mod server_key;

pub use api_token::{ApiToken, WebAuthToken};
pub use server_key::{KeyError, RequestSignature, ServerToServerKey};

use api_token::ApiTokenAuth;

/// How a client authenticates. Exactly one mode per client.
#[derive(Clone, Debug)]
pub(crate) enum Auth {
    ApiToken(ApiTokenAuth),
    ServerKey(ServerToServerKey),
}
