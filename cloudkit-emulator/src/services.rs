//! The containers and environments one emulator serves, side by side, as one team account
//! holds several containers, each with a development and a production environment.
//!
//! Every (container, environment) pair is a service of its own: its store, its schema (the
//! container's file; development grows it just in time, production refuses what it lacks),
//! its faults and its web courier. The two environments of one container share their sign-ins,
//! so a web auth token works in both. The first pair (the container and environment the
//! builder names) answers at the emulator's address as before; the others are reached by
//! CloudKit paths (`/database/1/CONTAINER/ENVIRONMENT/…`, `/device/1/…`), and the URLs they
//! hand out themselves (asset upload and download, web courier, sign-in) carry a prefix
//! `/_c/N` that the front router strips.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::state::Shared;
use cloudkit_wire::ws::Environment;

/// The prefix of the URLs service `index` hands out (none for the first).
pub fn url_prefix(index: usize) -> String {
    if index == 0 {
        String::new()
    } else {
        format!("/_c/{index}")
    }
}

/// The other environment: every container is served in both.
pub fn other(environment: Environment) -> Environment {
    match environment {
        Environment::Development => Environment::Production,
        Environment::Production => Environment::Development,
    }
}

/// Where the data of a service other than the first is kept, beside the first one's file:
/// `data.sqlite` → `data.iCloud.com.example.app.production.sqlite`. Container identifiers are
/// checked names (letters, digits, `.`, `-`, `_`), so the file name stays in the directory.
pub fn sibling_data_file(first: &Path, container: &str, environment: Environment) -> PathBuf {
    let stem = first
        .file_stem()
        .map_or_else(|| "data".to_owned(), |s| s.to_string_lossy().into_owned());
    let name = match first.extension() {
        Some(ext) => format!(
            "{stem}.{container}.{}.{}",
            environment.as_str(),
            ext.to_string_lossy()
        ),
        None => format!("{stem}.{container}.{}", environment.as_str()),
    };
    first.with_file_name(name)
}

/// Whether `id` can name a container here: what Apple's identifiers use (`iCloud.` + a
/// reverse domain), so it is safe in a path segment and a file name.
pub fn valid_container_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 255
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// The services of one emulator, the first being the one the builder names.
#[derive(Debug, Clone)]
pub struct Services {
    list: Vec<Arc<Shared>>,
}

impl Services {
    /// The services in order; `list` must not be empty.
    pub fn new(list: Vec<Arc<Shared>>) -> Services {
        Services { list }
    }

    /// The first service: the builder's container and environment.
    pub fn first(&self) -> &Arc<Shared> {
        &self.list[0]
    }

    /// Every service, the first first.
    pub fn all(&self) -> &[Arc<Shared>] {
        &self.list
    }

    /// The index of the service of `container` in `environment`.
    pub fn find(&self, container: &str, environment: &str) -> Option<usize> {
        self.list
            .iter()
            .position(|s| s.container == container && s.environment.as_str() == environment)
    }

    /// The service of `container` in `environment`.
    pub fn get(&self, container: &str, environment: Environment) -> Option<&Arc<Shared>> {
        self.find(container, environment.as_str())
            .map(|i| &self.list[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sibling_files_sit_beside_the_first() {
        assert_eq!(
            sibling_data_file(
                Path::new("/tmp/x/data.sqlite"),
                "iCloud.a.b",
                Environment::Production
            ),
            PathBuf::from("/tmp/x/data.iCloud.a.b.production.sqlite")
        );
        assert_eq!(
            sibling_data_file(Path::new("db"), "iCloud.a", Environment::Development),
            PathBuf::from("db.iCloud.a.development")
        );
    }

    #[test]
    fn container_ids_are_path_safe() {
        assert!(valid_container_id("iCloud.com.example.notes"));
        assert!(valid_container_id("iCloud.com.example-app_2"));
        assert!(!valid_container_id("../etc"));
        assert!(!valid_container_id("a/b"));
        assert!(!valid_container_id(""));
        assert!(!valid_container_id(".hidden"));
    }
}
