//! Web sign-in (spec §2.2): recognising `AUTHENTICATION_REQUIRED`, adopting the token a
//! sign-in hands back, and signing out.
//!
//! A client with an API token and no user gets `421 AUTHENTICATION_REQUIRED` for anything that
//! needs a user; [`Error::sign_in_required`] gives the sign-in page to open. When the page
//! redirects to the app's callback URL with `?ckWebAuthToken=…` (or posts a message with
//! `ckWebAuthToken` / `ckSession`), pass the token to [`Client::set_web_auth_token`]
//! ([`token_from_callback`] reads it out of the callback URL). From then on the client sends it
//! and adopts every rotated token the server returns.

use reqwest::Url;

use super::auth::Auth;
use super::auth::api_token::WebAuthToken;
use super::error::Error;
use super::handle::Client;
use cloudkit_wire::ws::ServerErrorCode;

/// A request needed a signed-in user. Open [`SignInRequired::redirect_url`] for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInRequired {
    /// The sign-in page (`redirectURL`, or `redirectUrl` as CloudKit JS also accepts).
    pub redirect_url: String,
}

impl Error {
    /// `Some` when the server answered `AUTHENTICATION_REQUIRED` with a sign-in page.
    pub fn sign_in_required(&self) -> Option<SignInRequired> {
        let server = self.server()?;
        if server.code() != ServerErrorCode::AuthenticationRequired {
            return None;
        }
        Some(SignInRequired {
            redirect_url: server.redirect_url()?.to_owned(),
        })
    }
}

/// The web auth token in a sign-in callback URL (`ckWebAuthToken`, or `ckSession` as some
/// clients report it), decoded; `None` when the URL carries neither.
pub fn token_from_callback(callback_url: &str) -> Option<WebAuthToken> {
    let url = Url::parse(callback_url).ok()?;
    let mut session = None;
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "ckWebAuthToken" => return Some(WebAuthToken::new(value.into_owned())),
            "ckSession" => session = Some(WebAuthToken::new(value.into_owned())),
            _ => {}
        }
    }
    session
}

/// Setting a web auth token on a client that signs with a server-to-server key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a client with a server-to-server key has no user; web auth tokens need an API token")]
pub struct NotApiTokenClient;

impl Client {
    /// Adopts a web auth token obtained from a sign-in (callback URL or post-message). Every
    /// clone of this client uses it from the next request on.
    pub fn set_web_auth_token(&self, token: WebAuthToken) -> Result<(), NotApiTokenClient> {
        match &self.transport.auth {
            Auth::ApiToken(auth) => {
                auth.replace(token);
                Ok(())
            }
            Auth::ServerKey(_) => Err(NotApiTokenClient),
        }
    }

    /// Completes a sign-in on the local emulator's sign-in page as test user `user`: follows
    /// `redirect_url` (from [`Error::sign_in_required`]) with `user` and a callback URL, reads
    /// the token from the redirect and adopts it. For tests and local development; a real
    /// iCloud sign-in needs a browser.
    pub async fn sign_in_as_test_user(
        &self,
        redirect_url: &str,
        user: &str,
    ) -> Result<WebAuthToken, Error> {
        const ENDPOINT: &str = "signin";
        let mut url = Url::parse(redirect_url)
            .map_err(|e| Error::unexpected(ENDPOINT, 0, &format!("bad redirectURL: {e}"), b""))?;
        url.query_pairs_mut()
            .append_pair("user", user)
            .append_pair("callback", "http://localhost/cloudkit-callback");
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::transport(ENDPOINT, e))?;
        let response = http
            .get(url)
            .send()
            .await
            .map_err(|e| Error::transport(ENDPOINT, e))?;
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await.unwrap_or_default();
        let token = location
            .as_deref()
            .and_then(token_from_callback)
            .ok_or_else(|| {
                Error::unexpected(
                    ENDPOINT,
                    status,
                    "sign-in did not redirect with a token",
                    &body,
                )
            })?;
        self.set_web_auth_token(token.clone())
            .map_err(|e| Error::unexpected(ENDPOINT, status, &e.to_string(), b""))?;
        Ok(token)
    }

    /// Forgets the web auth token locally: later requests go out with the API token only.
    pub fn forget_web_auth_token(&self) {
        if let Auth::ApiToken(auth) = &self.transport.auth {
            auth.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_tokens_are_read_under_both_names() {
        let t = token_from_callback("https://app.example/cb?x=1&ckWebAuthToken=a%2Bb%2F%3D");
        assert_eq!(
            t.map(|t| t.expose_secret().to_owned()),
            Some("a+b/=".into())
        );
        let t = token_from_callback("https://app.example/cb?ckSession=s1");
        assert_eq!(t.map(|t| t.expose_secret().to_owned()), Some("s1".into()));
        assert!(token_from_callback("https://app.example/cb").is_none());
        assert!(token_from_callback("not a url").is_none());
    }
}
