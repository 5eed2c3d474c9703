//! The config file: `$CLOUDKIT_CONFIG`, else `$XDG_CONFIG_HOME/cloudkit/config.toml`, else
//! `~/.config/cloudkit/config.toml`. One `[profiles.NAME]` table per container:
//!
//! ```toml
//! [profiles.notes]
//! team = "ABCDE12345"
//! container = "iCloud.com.example.notes"
//! management_token = "…"          # the file must then be owner-only (chmod 600)
//! url = "http://127.0.0.1:8080"    # optional: another host, e.g. the emulator
//! # The data commands (`records`, `zones`, `subscriptions`, `changes`):
//! environment = "development"
//! base_url = "http://127.0.0.1:8080" # optional: Web Services host, e.g. the emulator
//! api_token = "…"                    # and/or key_id + private_key_file
//! key_id = "…"
//! private_key_file = "/path/to/eckey.pem"
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A parsed config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One container's settings. Any of them may be left out and given by flag or variable.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Team id.
    pub team: Option<String>,
    /// Container id.
    pub container: Option<String>,
    /// Management token.
    pub management_token: Option<String>,
    /// Management API base URL.
    pub url: Option<String>,
    /// Web Services environment for the data commands: `development` or `production`.
    pub environment: Option<String>,
    /// Web Services base URL for the data commands.
    pub base_url: Option<String>,
    /// API token for the data commands.
    pub api_token: Option<String>,
    /// Server-to-server key id for the data commands.
    pub key_id: Option<String>,
    /// The server-to-server private key's PEM file.
    pub private_key_file: Option<String>,
}

impl Profile {
    /// Whether the profile holds a secret (the file must then be owner-only).
    fn holds_secret(&self) -> bool {
        self.management_token.is_some() || self.api_token.is_some()
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("team", &self.team)
            .field("container", &self.container)
            .field(
                "management_token",
                &self.management_token.as_ref().map(|_| "<redacted>"),
            )
            .field("url", &self.url)
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("api_token", &self.api_token.as_ref().map(|_| "<redacted>"))
            .field("key_id", &self.key_id)
            .field("private_key_file", &self.private_key_file)
            .finish()
    }
}

impl ConfigFile {
    /// The profile named by flag or variable (which must exist), else the one for
    /// `container`, else `default` if present.
    pub fn profile(
        &self,
        name: Option<String>,
        container: Option<&str>,
    ) -> Result<Option<&Profile>, String> {
        if let Some(name) = name {
            return self
                .profiles
                .get(&name)
                .map(Some)
                .ok_or_else(|| format!("no profile `{name}` in the config file"));
        }
        let by_container = container.and_then(|c| {
            self.profiles
                .values()
                .find(|p| p.container.as_deref() == Some(c))
        });
        Ok(by_container.or_else(|| self.profiles.get("default")))
    }
}

/// Where the config file is looked for, from the environment.
pub fn config_path(var: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(path) = var("CLOUDKIT_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let base = var("XDG_CONFIG_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            var("HOME")
                .filter(|p| !p.is_empty())
                .map(|h| Path::new(&h).join(".config"))
        })?;
    Some(base.join("cloudkit").join("config.toml"))
}

/// The config file a command uses: `explicit` (`--config`), else the one the environment
/// names ([`config_path`]); none at all is an empty config.
pub fn load_for(
    explicit: Option<&Path>,
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<ConfigFile, String> {
    match explicit.map(Path::to_path_buf).or_else(|| config_path(var)) {
        Some(path) => load(&path),
        None => Ok(ConfigFile::default()),
    }
}

/// Reads the config file at `path`; a missing file is an empty config. A file holding a token
/// must be readable by its owner only.
pub fn load(path: &Path) -> Result<ConfigFile, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
        Err(e) => return Err(format!("cannot read config file {}: {e}", path.display())),
    };
    // The parser's message quotes the offending line, which may be a token: name the
    // position only.
    let config: ConfigFile = toml::from_str(&text).map_err(|e| {
        let at = e.span().map_or(String::new(), |span| {
            let line = text[..span.start.min(text.len())].lines().count().max(1);
            format!(" (line {line})")
        });
        format!("config file {} is not valid{at}", path.display())
    })?;
    if config.profiles.values().any(Profile::holds_secret) {
        check_owner_only(path)?;
    }
    Ok(config)
}

#[cfg(unix)]
fn check_owner_only(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path)
        .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(format!(
            "config file {} holds a token but others can read it (mode {:o}); run `chmod 600 {}`",
            path.display(),
            mode & 0o777,
            path.display()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_owner_only(_path: &Path) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_prefers_the_variable_then_xdg_then_home() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(
            config_path(&vars(&[("CLOUDKIT_CONFIG", "/x.toml"), ("HOME", "/h")])),
            Some(PathBuf::from("/x.toml"))
        );
        assert_eq!(
            config_path(&vars(&[("XDG_CONFIG_HOME", "/c"), ("HOME", "/h")])),
            Some(PathBuf::from("/c/cloudkit/config.toml"))
        );
        assert_eq!(
            config_path(&vars(&[("HOME", "/h")])),
            Some(PathBuf::from("/h/.config/cloudkit/config.toml"))
        );
        assert_eq!(config_path(&vars(&[])), None);
    }

    #[test]
    fn a_bad_file_is_named_without_quoting_its_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[profiles.a]\nmanagement_token = s3cret-unquoted\n").expect("write");
        let error = load(&path).expect_err("invalid");
        assert!(error.contains("line 2"), "{error}");
        assert!(!error.contains("s3cret"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn a_token_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[profiles.a]\nmanagement_token = \"s3cret\"\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let error = load(&path).expect_err("group/world readable");
        assert!(error.contains("chmod 600"), "{error}");
        assert!(!error.contains("s3cret"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let config = load(&path).expect("owner-only is fine");
        assert!(!format!("{config:?}").contains("s3cret"));
    }
}
