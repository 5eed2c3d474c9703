//! Configuring a [`ManagementClient`]: tokens, base URL, timeouts, retries, size limit.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use cloudkit_wire::management::DEFAULT_BASE_URL;

use super::error::Error;
use super::handle::{Inner, ManagementClient};
use super::token::{ApiToken, ManagementToken, UserToken, WebAuthToken};
use crate::client::{
    ConfigError, DEFAULT_MAX_RESPONSE_BYTES, RetryPolicy, check_base_url, install_crypto_provider,
};

/// Builds a [`ManagementClient`]. Start with [`ManagementClient::builder`].
#[derive(Clone)]
pub struct ManagementClientBuilder {
    base_url: String,
    management_token: Option<ManagementToken>,
    user_token: Option<UserToken>,
    api_token: Option<ApiToken>,
    web_auth_token: Option<WebAuthToken>,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_bytes: u64,
    allow_insecure_http: bool,
}

impl fmt::Debug for ManagementClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagementClientBuilder")
            .field("base_url", &self.base_url)
            .field("management_token", &self.management_token)
            .field("user_token", &self.user_token)
            .field("api_token", &self.api_token)
            .field("web_auth_token", &self.web_auth_token)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Default for ManagementClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            management_token: None,
            user_token: None,
            api_token: None,
            web_auth_token: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            allow_insecure_http: false,
        }
    }
}

impl ManagementClientBuilder {
    /// The management token, sent as `X-Apple-CloudKit-Management-Token` (teams, containers,
    /// schema, reset).
    pub fn management_token(mut self, token: ManagementToken) -> Self {
        self.management_token = Some(token);
        self
    }

    /// The user token, sent as `X-Apple-CloudKit-User-Token`. Like CKTool JS, every token
    /// given is sent on every call.
    pub fn user_token(mut self, token: UserToken) -> Self {
        self.user_token = Some(token);
        self
    }

    /// The container's API token, sent as `X-Apple-CloudKit-API-Token` (v1 data calls).
    pub fn api_token(mut self, token: ApiToken) -> Self {
        self.api_token = Some(token);
        self
    }

    /// A signed-in user's web auth token, sent as `X-Apple-CloudKit-Web-Auth-Token` beside the
    /// API token (v1 data calls that read or write a user's data).
    pub fn web_auth_token(mut self, token: WebAuthToken) -> Self {
        self.web_auth_token = Some(token);
        self
    }

    /// Another server, e.g. the emulator: `http://127.0.0.1:8080`. Its path is kept as a
    /// prefix of every request path, as CKTool JS does (spec §1.1).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Retry policy (default: the Web Services client's default).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Whole-request timeout (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Largest answer accepted, in bytes (default: the Web Services client's).
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Allows plain `http://` to hosts other than this machine. Off by default: the tokens
    /// would travel in the clear.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<ManagementClient, Error> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        check_base_url(&base_url, self.allow_insecure_http).map_err(config)?;
        let tokens = [
            self.management_token
                .as_ref()
                .is_some_and(|t| !t.is_empty()),
            self.user_token.as_ref().is_some_and(|t| !t.is_empty()),
            self.api_token.as_ref().is_some_and(|t| !t.is_empty()),
        ];
        if !tokens.contains(&true) {
            return Err(config(ConfigError::MissingAuth));
        }
        install_crypto_provider();
        // No redirects at all: a redirect would carry the token headers to wherever the
        // server points, and no management operation is documented to redirect.
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!("cloudkit-rs/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| config(ConfigError::Http(e.without_url().to_string())))?;
        Ok(ManagementClient {
            inner: Arc::new(Inner {
                http,
                base_url,
                management_token: self.management_token.filter(|t| !t.is_empty()),
                user_token: self.user_token.filter(|t| !t.is_empty()),
                api_token: self.api_token.filter(|t| !t.is_empty()),
                web_auth_token: self.web_auth_token.filter(|t| !t.is_empty()),
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
            }),
        })
    }
}

impl ManagementClient {
    /// Starts a builder.
    pub fn builder() -> ManagementClientBuilder {
        ManagementClientBuilder::default()
    }
}

fn config(error: ConfigError) -> Error {
    Error::Client(error.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_a_token_and_a_safe_url() {
        let token = || ManagementToken::new("t0ken");
        assert!(ManagementClient::builder().build().is_err());
        assert!(
            ManagementClient::builder()
                .management_token(ManagementToken::new("  "))
                .build()
                .is_err()
        );
        assert!(
            ManagementClient::builder()
                .management_token(token())
                .build()
                .is_ok()
        );
        let insecure = ManagementClient::builder()
            .management_token(token())
            .base_url("http://example.com")
            .build()
            .expect_err("plain http elsewhere");
        assert!(insecure.to_string().contains("plain http"));
        assert!(
            ManagementClient::builder()
                .management_token(token())
                .base_url("http://127.0.0.1:9/prefix/")
                .build()
                .is_ok()
        );
        let builder = ManagementClient::builder().management_token(token());
        assert!(!format!("{builder:?}").contains("t0ken"));
        // An API token alone is enough for the data calls; a web auth token alone is not.
        let data = ManagementClient::builder()
            .api_token(ApiToken::new("ap1"))
            .web_auth_token(WebAuthToken::new("w3b"));
        assert!(!format!("{data:?}").contains("ap1") && !format!("{data:?}").contains("w3b"));
        let client = data.build().expect("api token");
        assert!(!format!("{client:?}").contains("w3b"));
        assert!(
            ManagementClient::builder()
                .web_auth_token(WebAuthToken::new("w3b"))
                .build()
                .is_err()
        );
    }
}
