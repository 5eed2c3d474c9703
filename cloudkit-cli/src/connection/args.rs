//! The data commands' connection flags, resolved flag first, then the `CLOUDKIT_*`
//! environment variables `Client::from_env` reads, then the config file's profile.

use std::path::PathBuf;

use cloudkit_runtime::client::{Client, ClientBuilder, WebAuthToken};
use cloudkit_runtime::{Environment, ZoneId};

use crate::management::config::{self, ConfigFile};

/// The `--database` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DatabaseArg {
    /// The container's public database.
    #[default]
    Public,
    /// The signed-in user's private database (needs a web auth token).
    Private,
    /// Zones other users shared with the signed-in user (needs a web auth token).
    Shared,
}

/// Where a data command sends its calls and with which credentials. Tokens given as flags
/// are visible in the process list: prefer the environment variables or the config file.
#[derive(Clone, Default, clap::Args)]
pub struct ConnectionArgs {
    /// Web Services base URL, e.g. `http://127.0.0.1:PORT` for `cloudkit serve`
    /// [env: CLOUDKIT_BASE_URL; default: `https://api.apple-cloudkit.com`].
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Container id, e.g. iCloud.com.example.notes [env: CLOUDKIT_CONTAINER].
    #[arg(long, value_name = "CONTAINER")]
    container: Option<String>,
    /// `development` or `production` [env: CLOUDKIT_ENVIRONMENT; default: development].
    #[arg(long, value_name = "ENV")]
    environment: Option<String>,
    /// The database.
    #[arg(long, value_enum, default_value = "public")]
    database: DatabaseArg,
    /// The zone.
    #[arg(long, value_name = "ZONE", default_value = ZoneId::DEFAULT_ZONE_NAME)]
    zone: String,
    /// API token [env: CLOUDKIT_API_TOKEN]. Prefer the variable or the config file: a flag
    /// is visible to other users in the process list.
    #[arg(long, value_name = "TOKEN")]
    api_token: Option<String>,
    /// A user's web auth token, for the private and shared databases
    /// [env: CLOUDKIT_WEB_AUTH_TOKEN]. Prefer the variable (see --api-token).
    #[arg(long, value_name = "TOKEN")]
    web_auth_token: Option<String>,
    /// Server-to-server key id (public database) [env: CLOUDKIT_KEY_ID].
    #[arg(long, value_name = "ID")]
    key_id: Option<String>,
    /// The server-to-server key's private PEM file [env: CLOUDKIT_PRIVATE_KEY_FILE].
    #[arg(long, value_name = "FILE")]
    private_key_file: Option<PathBuf>,
    /// Profile in the config file [env: CLOUDKIT_PROFILE; default: the profile whose
    /// container matches, else `default`].
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// Config file [env: CLOUDKIT_CONFIG; default ~/.config/cloudkit/config.toml].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

// By hand: the derived form would print the tokens.
impl std::fmt::Debug for ConnectionArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = |v: &Option<String>| v.as_ref().map(|_| "<redacted>");
        f.debug_struct("ConnectionArgs")
            .field("url", &self.url)
            .field("container", &self.container)
            .field("environment", &self.environment)
            .field("database", &self.database)
            .field("zone", &self.zone)
            .field("api_token", &redacted(&self.api_token))
            .field("web_auth_token", &redacted(&self.web_auth_token))
            .field("key_id", &self.key_id)
            .field("private_key_file", &self.private_key_file)
            .field("profile", &self.profile)
            .finish()
    }
}

/// What the flags resolve to: a client and the user's token, kept apart so that the
/// private and shared databases go through `Client::as_user`.
pub struct Resolved {
    /// The client (API token and/or server-to-server key).
    pub client: Client,
    /// The user's web auth token, when one was given.
    pub web_auth_token: Option<WebAuthToken>,
    /// Whether the client signs with a server-to-server key.
    pub has_server_key: bool,
    /// The database the command addresses.
    pub database: DatabaseArg,
    /// The zone the command addresses.
    pub zone: ZoneId,
}

impl ConnectionArgs {
    /// Resolves these flags against the process environment and the config file.
    pub fn resolve(&self) -> Result<Resolved, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let file = config::load_for(self.config.as_deref(), &var)?;
        self.resolve_with(&var, &file)
    }

    /// [`resolve`](Self::resolve) with the environment and config file given.
    pub fn resolve_with(
        &self,
        var: &dyn Fn(&str) -> Option<String>,
        file: &ConfigFile,
    ) -> Result<Resolved, String> {
        let container = self.container.clone().or_else(|| var("CLOUDKIT_CONTAINER"));
        let profile = file.profile(
            self.profile.clone().or_else(|| var("CLOUDKIT_PROFILE")),
            container.as_deref(),
        )?;
        let pick = |flag: Option<String>, name: &str, from_profile: Option<&String>| {
            flag.or_else(|| var(name))
                .or_else(|| from_profile.cloned())
                .filter(|v| !v.trim().is_empty())
        };
        let container = container
            .or_else(|| profile.and_then(|p| p.container.clone()))
            .ok_or("no container: pass --container, set CLOUDKIT_CONTAINER, or add `container` to a config profile")?;
        let mut builder: ClientBuilder = Client::builder().container(container);
        let environment = pick(
            self.environment.clone(),
            "CLOUDKIT_ENVIRONMENT",
            profile.and_then(|p| p.environment.as_ref()),
        );
        if let Some(environment) = environment {
            let environment: Environment = environment.parse().map_err(|_| {
                format!("environment must be `development` or `production`, got `{environment}`")
            })?;
            builder = builder.environment(environment);
        }
        if let Some(url) = pick(
            self.url.clone(),
            "CLOUDKIT_BASE_URL",
            profile.and_then(|p| p.base_url.as_ref()),
        ) {
            builder = builder.base_url(url);
        }
        let key_id = pick(
            self.key_id.clone(),
            "CLOUDKIT_KEY_ID",
            profile.and_then(|p| p.key_id.as_ref()),
        );
        let key_file = pick(
            self.private_key_file
                .as_ref()
                .map(|p| p.display().to_string()),
            "CLOUDKIT_PRIVATE_KEY_FILE",
            profile.and_then(|p| p.private_key_file.as_ref()),
        );
        let has_server_key = match (key_id, key_file) {
            (Some(key_id), Some(path)) => {
                let pem = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read private key file {path}: {e}"))?;
                builder = builder.server_to_server_key(key_id, pem);
                true
            }
            (Some(_), None) => {
                return Err("a key id needs its private key: pass --private-key-file or set CLOUDKIT_PRIVATE_KEY_FILE".into());
            }
            (None, Some(_)) => {
                return Err(
                    "a private key needs its key id: pass --key-id or set CLOUDKIT_KEY_ID".into(),
                );
            }
            (None, None) => false,
        };
        let api_token = pick(
            self.api_token.clone(),
            "CLOUDKIT_API_TOKEN",
            profile.and_then(|p| p.api_token.as_ref()),
        );
        let has_api_token = api_token.is_some();
        if let Some(token) = api_token {
            builder = builder.api_token(token);
        }
        if !has_api_token && !has_server_key {
            return Err(
                "no credentials: set CLOUDKIT_API_TOKEN (with CLOUDKIT_WEB_AUTH_TOKEN \
                        for the private and shared databases) or CLOUDKIT_KEY_ID and \
                        CLOUDKIT_PRIVATE_KEY_FILE, or add them to a config profile"
                    .into(),
            );
        }
        // Never handed to the builder: the private and shared databases are reached through
        // `Client::as_user`, which keeps the user's token beside the shared client.
        let web_auth_token = pick(self.web_auth_token.clone(), "CLOUDKIT_WEB_AUTH_TOKEN", None)
            .map(WebAuthToken::new);
        let client = builder.build().map_err(|e| e.to_string())?;
        Ok(Resolved {
            client,
            web_auth_token,
            has_server_key,
            database: self.database,
            zone: ZoneId::new(self.zone.clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn variables_fill_what_flags_leave_out_and_tokens_stay_hidden() {
        let args = ConnectionArgs {
            url: Some("http://127.0.0.1:9".into()),
            zone: "_defaultZone".into(),
            ..ConnectionArgs::default()
        };
        let resolved = args
            .resolve_with(
                &vars(&[
                    ("CLOUDKIT_CONTAINER", "iCloud.a"),
                    ("CLOUDKIT_ENVIRONMENT", "production"),
                    ("CLOUDKIT_API_TOKEN", "api-SECRET"),
                    ("CLOUDKIT_WEB_AUTH_TOKEN", "web-SECRET"),
                ]),
                &ConfigFile::default(),
            )
            .expect("resolves");
        assert_eq!(resolved.client.container(), "iCloud.a");
        assert_eq!(resolved.client.environment(), Environment::Production);
        assert_eq!(resolved.client.base_url(), "http://127.0.0.1:9");
        assert!(resolved.web_auth_token.is_some());
        let shown = format!("{:?} {args:?}", resolved.client);
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    #[test]
    fn the_profile_supplies_the_rest_and_missing_pieces_are_named() {
        let file: ConfigFile = toml::from_str(
            r#"
            [profiles.notes]
            container = "iCloud.com.example.notes"
            base_url = "http://127.0.0.1:7"
            api_token = "from-file"
            "#,
        )
        .expect("config");
        let args = ConnectionArgs {
            profile: Some("notes".into()),
            ..ConnectionArgs::default()
        };
        let resolved = args.resolve_with(&vars(&[]), &file).expect("resolves");
        assert_eq!(resolved.client.base_url(), "http://127.0.0.1:7");
        let error = ConnectionArgs::default()
            .resolve_with(
                &vars(&[("CLOUDKIT_CONTAINER", "c")]),
                &ConfigFile::default(),
            )
            .err()
            .expect("no credentials");
        assert!(error.contains("CLOUDKIT_API_TOKEN"), "{error}");
        let error = ConnectionArgs::default()
            .resolve_with(
                &vars(&[("CLOUDKIT_CONTAINER", "c"), ("CLOUDKIT_KEY_ID", "k")]),
                &ConfigFile::default(),
            )
            .err()
            .expect("half a key");
        assert!(error.contains("--private-key-file"), "{error}");
    }
}
