//! Which team, container, host and token a command uses: flags first, then environment
//! variables, then the config file's profile.

use std::path::PathBuf;

use cloudkit_runtime::management::ManagementToken;

use super::config::{self, ConfigFile};

/// Flags naming the container and credentials, shared by every command that talks to the
/// management API.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TargetArgs {
    /// Team id [env: CLOUDKIT_TEAM].
    #[arg(long, value_name = "TEAM")]
    team: Option<String>,
    /// Container id, e.g. iCloud.com.example.notes [env: CLOUDKIT_CONTAINER].
    #[arg(long, value_name = "CONTAINER")]
    container: Option<String>,
    /// Management API base URL, e.g. the emulator [env: CLOUDKIT_MANAGEMENT_URL; default: Apple's api.icloud.apple.com].
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Profile in the config file [env: CLOUDKIT_PROFILE; default: the profile whose container
    /// matches, else `default`].
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// Management token. Prefer CLOUDKIT_MANAGEMENT_TOKEN or the config file: a flag is
    /// visible to other users in the process list.
    #[arg(long, value_name = "TOKEN")]
    management_token: Option<String>,
    /// Config file [env: CLOUDKIT_CONFIG; default ~/.config/cloudkit/config.toml].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// Where a command sends its calls. `Debug` never shows the token.
#[derive(Debug, Clone)]
pub struct Target {
    /// Team id.
    pub team: String,
    /// Container id.
    pub container: String,
    /// Base URL, when not Apple's.
    pub url: Option<String>,
    /// The management token.
    pub token: ManagementToken,
}

impl TargetArgs {
    /// Resolves the target from these flags, the process environment and the config file.
    pub fn resolve(&self) -> Result<Target, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let file = config::load_for(self.config.as_deref(), &var)?;
        self.resolve_with(&var, &file)
    }

    /// [`resolve`](Self::resolve) with the environment and config file given.
    pub fn resolve_with(
        &self,
        var: &dyn Fn(&str) -> Option<String>,
        file: &ConfigFile,
    ) -> Result<Target, String> {
        let container = self.container.clone().or_else(|| var("CLOUDKIT_CONTAINER"));
        let profile = file.profile(
            self.profile.clone().or_else(|| var("CLOUDKIT_PROFILE")),
            container.as_deref(),
        )?;
        let pick = |flag: &Option<String>, name: &str, from_profile: Option<&String>| {
            flag.clone()
                .or_else(|| var(name))
                .or_else(|| from_profile.cloned())
                .filter(|v| !v.trim().is_empty())
        };
        let container = container
            .or_else(|| profile.and_then(|p| p.container.clone()))
            .ok_or("no container: pass --container, set CLOUDKIT_CONTAINER, or add `container` to a config profile")?;
        let team = pick(
            &self.team,
            "CLOUDKIT_TEAM",
            profile.and_then(|p| p.team.as_ref()),
        )
        .ok_or("no team: pass --team, set CLOUDKIT_TEAM, or add `team` to a config profile")?;
        let url = pick(
            &self.url,
            "CLOUDKIT_MANAGEMENT_URL",
            profile.and_then(|p| p.url.as_ref()),
        );
        let token = pick(
            &self.management_token,
            "CLOUDKIT_MANAGEMENT_TOKEN",
            profile.and_then(|p| p.management_token.as_ref()),
        )
        .ok_or(
            "no management token: set CLOUDKIT_MANAGEMENT_TOKEN, add `management_token` to a \
             config profile, or pass --management-token (create one in CloudKit Console)",
        )?;
        Ok(Target {
            team,
            container,
            url,
            token: ManagementToken::new(token),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> ConfigFile {
        toml::from_str(text).expect("config")
    }

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    const TWO_PROFILES: &str = r#"
        [profiles.default]
        team = "T0"
        container = "iCloud.default"
        management_token = "file-token-0"
        [profiles.notes]
        team = "T1"
        container = "iCloud.com.example.notes"
        management_token = "file-token-1"
        url = "http://127.0.0.1:9"
    "#;

    #[test]
    fn flags_beat_variables_beat_the_profile() {
        let config = file(TWO_PROFILES);
        let args = TargetArgs {
            team: Some("FLAG".into()),
            ..TargetArgs::default()
        };
        let target = args
            .resolve_with(
                &vars(&[
                    ("CLOUDKIT_CONTAINER", "iCloud.com.example.notes"),
                    ("CLOUDKIT_TEAM", "VAR"),
                    ("CLOUDKIT_MANAGEMENT_TOKEN", "var-token"),
                ]),
                &config,
            )
            .expect("resolves");
        assert_eq!(target.team, "FLAG");
        assert_eq!(target.container, "iCloud.com.example.notes");
        // The profile matching the container supplies what is left.
        assert_eq!(target.url.as_deref(), Some("http://127.0.0.1:9"));
        assert!(!format!("{target:?}").contains("var-token"));
    }

    #[test]
    fn the_profile_is_chosen_by_name_by_container_or_default() {
        let config = file(TWO_PROFILES);
        let by_name = TargetArgs {
            profile: Some("notes".into()),
            ..TargetArgs::default()
        };
        assert_eq!(
            by_name.resolve_with(&vars(&[]), &config).expect("ok").team,
            "T1"
        );
        let fallback = TargetArgs::default()
            .resolve_with(&vars(&[]), &config)
            .expect("ok");
        assert_eq!(fallback.container, "iCloud.default");
        let unknown = TargetArgs {
            profile: Some("nope".into()),
            ..TargetArgs::default()
        };
        assert!(unknown.resolve_with(&vars(&[]), &config).is_err());
    }

    #[test]
    fn missing_pieces_are_named_and_tokens_never_shown() {
        let error = TargetArgs::default()
            .resolve_with(
                &vars(&[("CLOUDKIT_CONTAINER", "iCloud.a"), ("CLOUDKIT_TEAM", "T")]),
                &ConfigFile::default(),
            )
            .expect_err("no token");
        assert!(error.contains("CLOUDKIT_MANAGEMENT_TOKEN"), "{error}");
        let error = TargetArgs::default()
            .resolve_with(
                &vars(&[("CLOUDKIT_MANAGEMENT_TOKEN", "sekrit")]),
                &ConfigFile::default(),
            )
            .expect_err("no container");
        assert!(
            error.contains("--container") && !error.contains("sekrit"),
            "{error}"
        );
    }
}
