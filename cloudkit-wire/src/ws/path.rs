//! The words of a request path that are not JSON: the environment and the database
//! (`/database/1/{container}/{environment}/{database}/…`). Client and emulator share them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The CloudKit environment of a container.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// The schema can still change: saving a record of an unknown type or with an unknown
    /// field adds it just in time. The default while an app is being built.
    #[default]
    Development,
    /// The deployed schema only: unknown record types and fields are refused.
    Production,
}

impl Environment {
    /// The path segment: `development` or `production`.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Development => "development",
            Environment::Production => "production",
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that names no CloudKit environment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown environment `{0}`; expected development or production")]
pub struct UnknownEnvironment(pub String);

impl FromStr for Environment {
    type Err = UnknownEnvironment;

    /// Exactly the lower-case path segments; CloudKit's behaviour with other casing is
    /// unconfirmed, so none is guessed.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "development" => Ok(Environment::Development),
            "production" => Ok(Environment::Production),
            other => Err(UnknownEnvironment(other.to_owned())),
        }
    }
}

/// Which database a request addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatabaseScope {
    /// The container's public database.
    Public,
    /// The signed-in user's private database.
    Private,
    /// Zones other users shared with the signed-in user.
    Shared,
}

impl DatabaseScope {
    /// The path segment: `public`, `private` or `shared`.
    pub fn as_str(self) -> &'static str {
        match self {
            DatabaseScope::Public => "public",
            DatabaseScope::Private => "private",
            DatabaseScope::Shared => "shared",
        }
    }
}

impl fmt::Display for DatabaseScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that names no CloudKit database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown database type `{0}`; expected public, private or shared")]
pub struct UnknownDatabaseScope(pub String);

impl FromStr for DatabaseScope {
    type Err = UnknownDatabaseScope;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "public" => Ok(DatabaseScope::Public),
            "private" => Ok(DatabaseScope::Private),
            "shared" => Ok(DatabaseScope::Shared),
            other => Err(UnknownDatabaseScope(other.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_round_trip() {
        for env in [Environment::Development, Environment::Production] {
            assert_eq!(env.as_str().parse::<Environment>(), Ok(env));
        }
        for scope in [
            DatabaseScope::Public,
            DatabaseScope::Private,
            DatabaseScope::Shared,
        ] {
            assert_eq!(scope.as_str().parse::<DatabaseScope>(), Ok(scope));
        }
    }

    #[test]
    fn other_spellings_are_refused_with_the_choices() {
        let error = "Production".parse::<Environment>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown environment `Production`; expected development or production"
        );
        assert!("publicdb".parse::<DatabaseScope>().is_err());
    }
}
