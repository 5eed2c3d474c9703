//! A local CloudKit Web Services server for development and tests.
//!
//! It answers on the same paths, with the same JSON and the same error codes as
//! `api.apple-cloudkit.com`, enforces the container's schema and indexes, checks credentials
//! (API tokens, web auth tokens of test users, server-to-server signatures), and stores
//! everything in SQLite, in memory or in a file.
//!
//! ```
//! use cloudkit_emulator::{Emulator, Environment};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emu = Emulator::builder()
//!     .schema_source("DEFINE SCHEMA RECORD TYPE Note (title STRING QUERYABLE, GRANT READ TO \"_world\");")
//!     .container("iCloud.com.example.notes")
//!     .environment(Environment::Development)
//!     .api_token("tok")
//!     .memory()
//!     .start()
//!     .await?;
//! let token = emu.sign_in("alice");
//! let url = format!(
//!     "{}/database/1/iCloud.com.example.notes/development/private/zones/list",
//!     emu.base_url()
//! );
//! assert!(url.starts_with("http://127.0.0.1:"));
//! assert!(!token.expose().is_empty());
//! emu.shutdown().await;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub mod auth;
pub mod change_tag;
pub mod continuation;
mod endpoint;
pub mod error;
pub mod faults;
mod grant;
pub mod query;
pub mod route;
pub mod schema;
mod server;
pub mod storage;
pub mod sync_token;

mod options;

pub use auth::{User, WebAuthToken};
pub use error::{ErrorCode, ServerError};
pub use faults::{Fault, FaultSpec};
pub use options::{Emulator, EmulatorBuilder, EmulatorError, ServeOptions, Storage, run};

/// The CloudKit environment a request addresses (`development` or `production`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Environment {
    /// Schema grows just in time: unknown record types and fields are added on write.
    #[default]
    Development,
    /// Schema is fixed: unknown record types and fields are refused.
    Production,
}

impl Environment {
    /// The path segment.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Development => "development",
            Environment::Production => "production",
        }
    }
}

impl std::str::FromStr for Environment {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "development" => Ok(Environment::Development),
            "production" => Ok(Environment::Production),
            other => Err(format!(
                "unknown environment `{other}`; expected development or production"
            )),
        }
    }
}

/// The database segment of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatabaseScope {
    /// The container's public database.
    Public,
    /// The signed-in user's private database.
    Private,
    /// Zones other users shared with the signed-in user.
    Shared,
}

impl DatabaseScope {
    /// The path segment.
    pub fn as_str(self) -> &'static str {
        match self {
            DatabaseScope::Public => "public",
            DatabaseScope::Private => "private",
            DatabaseScope::Shared => "shared",
        }
    }
}
