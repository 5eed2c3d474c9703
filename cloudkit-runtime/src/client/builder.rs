//! Configuring a [`Client`]: container, environment, base URL, timeouts, retries, auth.

use std::fmt;
use std::sync::{Arc, Once};
use std::time::Duration;

use super::auth::api_token::ApiTokenAuth;
use super::auth::{ApiToken, Auth, KeyError, ServerToServerKey, WebAuthToken};
use super::error::{ConfigError, Error};
use super::handle::Client;
use super::retry::RetryPolicy;
use super::transport::{Limits, Transport};
use super::url_policy::{check_base_url, redirect_policy};
use cloudkit_wire::ws::Environment;

/// Apple's CloudKit Web Services host.
pub const DEFAULT_BASE_URL: &str = "https://api.apple-cloudkit.com";

/// Default largest JSON answer: 64 MiB (a page of 200 records of up to 1 MB each fits, with
/// room for the JSON around them).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// Default largest asset download: 256 MiB (CloudKit's documented asset limit is 50 MB).
pub const DEFAULT_MAX_ASSET_DOWNLOAD_BYTES: u64 = 256 * 1024 * 1024;

enum AuthChoice {
    Key(Result<ServerToServerKey, KeyError>),
    Token(ApiToken),
}

/// Builds a [`Client`]. Start with [`Client::builder`].
pub struct ClientBuilder {
    container: Option<String>,
    environment: Environment,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    auth: Vec<AuthChoice>,
    web_auth_token: Option<WebAuthToken>,
    max_response_bytes: u64,
    max_asset_download_bytes: u64,
    allow_insecure_http: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("container", &self.container)
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("credentials", &"<redacted>")
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            container: None,
            environment: Environment::Development,
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            auth: Vec::new(),
            web_auth_token: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_asset_download_bytes: DEFAULT_MAX_ASSET_DOWNLOAD_BYTES,
            allow_insecure_http: false,
        }
    }
}

impl ClientBuilder {
    /// The container identifier, e.g. `iCloud.com.example.notes`.
    pub fn container(mut self, container: impl Into<String>) -> Self {
        self.container = Some(container.into());
        self
    }

    /// Development (default) or production.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Where to send requests; default [`DEFAULT_BASE_URL`]. Point it at the emulator in tests.
    /// Plain `http://` is accepted only for this machine (`localhost`, 127.0.0.0/8, `::1`)
    /// unless [`allow_insecure_http`](Self::allow_insecure_http) is set.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Whole-request timeout (default 60 s). A timed-out request counts as transient.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Connection timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Accept plain `http://` to hosts other than this machine (base URL and asset URLs): an
    /// emulator on another machine of a trusted network, say. Off by default, because tokens,
    /// signed requests and record data would travel in the clear.
    ///
    /// ```
    /// use cloudkit_runtime::client::{Client, ConfigError, Error};
    /// let builder = || Client::builder().container("iCloud.a.b").api_token("t")
    ///     .base_url("http://build-box.local:8080");
    /// assert!(matches!(builder().build(), Err(Error::Config(ConfigError::InsecureHttp(_)))));
    /// assert!(builder().allow_insecure_http(true).build().is_ok());
    /// ```
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Largest JSON answer accepted, in bytes (default [`DEFAULT_MAX_RESPONSE_BYTES`]). A
    /// longer one is [`Error::ResponseTooLarge`], read no further.
    ///
    /// ```
    /// # use cloudkit_runtime::client::Client;
    /// let client = Client::builder().container("iCloud.a.b").api_token("t")
    ///     .max_response_bytes(8 * 1024 * 1024)
    ///     .build()?;
    /// # Ok::<(), cloudkit_runtime::client::Error>(())
    /// ```
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Largest asset download accepted, in bytes (default
    /// [`DEFAULT_MAX_ASSET_DOWNLOAD_BYTES`]).
    pub fn max_asset_download_bytes(mut self, bytes: u64) -> Self {
        self.max_asset_download_bytes = bytes;
        self
    }

    /// Retry policy for transient failures; default [`RetryPolicy::default`].
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Authenticate with a server-to-server key (public database only): the key ID from
    /// CloudKit Console and the private key PEM (SEC1 or PKCS#8). With an
    /// [`api_token`](Self::api_token) as well, the key signs this client's requests and the
    /// token serves per-user handles ([`Client::as_user`]).
    pub fn server_to_server_key(mut self, key_id: impl Into<String>, pem: impl AsRef<str>) -> Self {
        self.auth.push(AuthChoice::Key(ServerToServerKey::from_pem(
            key_id,
            pem.as_ref(),
        )));
        self
    }

    /// Authenticate with an already loaded server-to-server key.
    pub fn server_key(mut self, key: ServerToServerKey) -> Self {
        self.auth.push(AuthChoice::Key(Ok(key)));
        self
    }

    /// Authenticate with an API token. Beside a server-to-server key, it is used only by
    /// per-user handles ([`Client::as_user`]).
    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.auth.push(AuthChoice::Token(ApiToken::new(token)));
        self
    }

    /// A signed-in user's web auth token (raw, not percent-encoded). Needs an API token. The
    /// client replaces it with the rotated token from every response.
    pub fn web_auth_token(mut self, token: impl Into<String>) -> Self {
        self.web_auth_token = Some(WebAuthToken::new(token));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let container = self
            .container
            .filter(|c| !c.trim().is_empty())
            .ok_or(ConfigError::MissingContainer)?;
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        check_base_url(&base_url, self.allow_insecure_http)?;
        let (key, api_token) = one_of_each(self.auth)?;
        let (auth, user_api_token) = match (key, api_token) {
            (Some(key), api_token) => {
                if self.web_auth_token.is_some() {
                    return Err(ConfigError::WebAuthTokenWithoutApiToken.into());
                }
                (Auth::ServerKey(key), api_token)
            }
            (None, Some(token)) => (
                Auth::ApiToken(ApiTokenAuth::new(token.clone(), self.web_auth_token)),
                Some(token),
            ),
            (None, None) => return Err(ConfigError::MissingAuth.into()),
        };
        install_crypto_provider();
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!("cloudkit-rs/", env!("CARGO_PKG_VERSION")))
            .redirect(redirect_policy())
            .build()
            .map_err(|e| ConfigError::Http(e.without_url().to_string()))?;
        Ok(Client {
            transport: Arc::new(
                Transport::new(
                    http,
                    base_url,
                    container,
                    self.environment,
                    auth,
                    self.retry,
                    Limits {
                        response_bytes: self.max_response_bytes,
                        asset_bytes: self.max_asset_download_bytes,
                        allow_insecure_http: self.allow_insecure_http,
                    },
                )
                .with_user_api_token(user_api_token),
            ),
        })
    }
}

/// At most one server-to-server key and one API token. Both together is the multi-user
/// backend's setup: the key signs the client's own (public database) requests, the API token
/// goes with each user's web auth token in [`Client::as_user`] handles.
fn one_of_each(
    choices: Vec<AuthChoice>,
) -> Result<(Option<ServerToServerKey>, Option<ApiToken>), Error> {
    let (mut key, mut token) = (None, None);
    for choice in choices {
        match choice {
            AuthChoice::Key(k) if key.is_none() => key = Some(k?),
            AuthChoice::Token(t) if token.is_none() => token = Some(t),
            _ => return Err(ConfigError::ConflictingAuth.into()),
        }
    }
    Ok((key, token))
}

/// rustls needs a process-wide crypto provider when built without a default one; we use ring
/// (fast to build, no C toolchain surprises). If the application installed another provider
/// first, that one stays.
pub(crate) fn install_crypto_provider() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl Client {
    /// Starts a builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Builds a client from environment variables:
    ///
    /// | variable | meaning |
    /// | --- | --- |
    /// | `CLOUDKIT_CONTAINER` | container identifier (required) |
    /// | `CLOUDKIT_ENVIRONMENT` | `development` (default) or `production` |
    /// | `CLOUDKIT_BASE_URL` | default `https://api.apple-cloudkit.com` |
    /// | `CLOUDKIT_KEY_ID` + `CLOUDKIT_PRIVATE_KEY_FILE` | server-to-server key |
    /// | `CLOUDKIT_API_TOKEN` (+ `CLOUDKIT_WEB_AUTH_TOKEN`) | API token auth |
    pub fn from_env() -> Result<Client, Error> {
        Self::builder_from_vars(|name| std::env::var(name).ok())?.build()
    }

    pub(crate) fn builder_from_vars(
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<ClientBuilder, Error> {
        let mut builder = Client::builder().container(
            var("CLOUDKIT_CONTAINER").ok_or(ConfigError::MissingVariable("CLOUDKIT_CONTAINER"))?,
        );
        if let Some(env) = var("CLOUDKIT_ENVIRONMENT") {
            builder = builder.environment(env.parse().map_err(
                |e: cloudkit_wire::ws::UnknownEnvironment| ConfigError::InvalidEnvironment(e.0),
            )?);
        }
        if let Some(url) = var("CLOUDKIT_BASE_URL") {
            builder = builder.base_url(url);
        }
        match (var("CLOUDKIT_KEY_ID"), var("CLOUDKIT_PRIVATE_KEY_FILE")) {
            (Some(key_id), Some(path)) => {
                let pem = std::fs::read_to_string(&path).map_err(|e| ConfigError::KeyFile {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
                builder = builder.server_to_server_key(key_id, pem);
            }
            (Some(_), None) => {
                return Err(ConfigError::MissingVariable("CLOUDKIT_PRIVATE_KEY_FILE").into());
            }
            (None, Some(_)) => return Err(ConfigError::MissingVariable("CLOUDKIT_KEY_ID").into()),
            (None, None) => {}
        }
        if let Some(token) = var("CLOUDKIT_API_TOKEN") {
            builder = builder.api_token(token);
        }
        if let Some(token) = var("CLOUDKIT_WEB_AUTH_TOKEN") {
            builder = builder.web_auth_token(token);
        }
        Ok(builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_err(result: Result<Client, Error>) -> ConfigError {
        match result {
            Err(Error::Config(e)) => e,
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn one_key_and_one_api_token_at_most() {
        let base = || Client::builder().container("iCloud.com.example.notes");
        assert_eq!(config_err(base().build()), ConfigError::MissingAuth);
        assert_eq!(
            config_err(base().api_token("t").api_token("u").build()),
            ConfigError::ConflictingAuth
        );
        let key = super::super::auth::server_key::tests::SPEC_KEY;
        assert_eq!(
            config_err(
                base()
                    .server_to_server_key("k", key)
                    .server_to_server_key("k2", key)
                    .build()
            ),
            ConfigError::ConflictingAuth
        );
        // A key for the client itself and an API token for per-user handles.
        assert!(
            base()
                .api_token("t")
                .server_to_server_key("k", key)
                .build()
                .is_ok()
        );
        assert_eq!(
            config_err(
                base()
                    .server_to_server_key("k", super::super::auth::server_key::tests::SPEC_KEY)
                    .web_auth_token("w")
                    .build()
            ),
            ConfigError::WebAuthTokenWithoutApiToken
        );
        assert_eq!(
            config_err(Client::builder().api_token("t").build()),
            ConfigError::MissingContainer
        );
        assert!(base().api_token("t").web_auth_token("w").build().is_ok());
        assert!(matches!(
            base().server_to_server_key("k", "nope").build(),
            Err(Error::Key(KeyError::InvalidPem))
        ));
    }

    #[test]
    fn from_vars_reads_every_variable() {
        let vars = |name: &str| match name {
            "CLOUDKIT_CONTAINER" => Some("iCloud.a.b".to_owned()),
            "CLOUDKIT_ENVIRONMENT" => Some("production".to_owned()),
            "CLOUDKIT_BASE_URL" => Some("http://127.0.0.1:9/".to_owned()),
            "CLOUDKIT_API_TOKEN" => Some("api-SECRET-1".to_owned()),
            "CLOUDKIT_WEB_AUTH_TOKEN" => Some("web-SECRET-2".to_owned()),
            _ => None,
        };
        let client = Client::builder_from_vars(vars)
            .and_then(ClientBuilder::build)
            .expect("client");
        assert_eq!(client.container(), "iCloud.a.b");
        assert_eq!(client.environment(), Environment::Production);
        assert_eq!(client.base_url(), "http://127.0.0.1:9");
        let shown = format!("{client:?}");
        assert!(
            !shown.contains("tok\"") && !shown.contains("web\""),
            "{shown}"
        );

        let bad_env = |name: &str| match name {
            "CLOUDKIT_CONTAINER" => Some("c".to_owned()),
            "CLOUDKIT_ENVIRONMENT" => Some("Production".to_owned()),
            _ => None,
        };
        assert!(matches!(
            Client::builder_from_vars(bad_env),
            Err(Error::Config(ConfigError::InvalidEnvironment(_)))
        ));
        let half_key = |name: &str| match name {
            "CLOUDKIT_CONTAINER" => Some("c".to_owned()),
            "CLOUDKIT_KEY_ID" => Some("k".to_owned()),
            _ => None,
        };
        assert!(matches!(
            Client::builder_from_vars(half_key),
            Err(Error::Config(ConfigError::MissingVariable(
                "CLOUDKIT_PRIVATE_KEY_FILE"
            )))
        ));
    }

    #[test]
    fn from_vars_loads_a_server_key_file() {
        let path = std::env::temp_dir().join(format!("ck-key-{}.pem", std::process::id()));
        std::fs::write(&path, super::super::auth::server_key::tests::SPEC_KEY).expect("write");
        let file = path.display().to_string();
        let vars = |name: &str| match name {
            "CLOUDKIT_CONTAINER" => Some("iCloud.a.b".to_owned()),
            "CLOUDKIT_KEY_ID" => Some("kid".to_owned()),
            "CLOUDKIT_PRIVATE_KEY_FILE" => Some(file.clone()),
            _ => None,
        };
        let client = Client::builder_from_vars(vars)
            .and_then(ClientBuilder::build)
            .expect("client");
        let _ = std::fs::remove_file(&path);
        assert_eq!(client.environment(), Environment::Development);
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        assert!(!format!("{client:?}").contains("MHcCAQ"));
        let missing = |name: &str| match name {
            "CLOUDKIT_CONTAINER" => Some("c".to_owned()),
            "CLOUDKIT_KEY_ID" => Some("kid".to_owned()),
            "CLOUDKIT_PRIVATE_KEY_FILE" => Some("/nonexistent/key.pem".to_owned()),
            _ => None,
        };
        assert!(matches!(
            Client::builder_from_vars(missing),
            Err(Error::Config(ConfigError::KeyFile { .. }))
        ));
    }
}
