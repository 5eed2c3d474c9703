//! The async client for CloudKit Web Services.
//!
//! ```no_run
//! use cloudkit_runtime::client::{Client, Environment};
//! # async fn run() -> Result<(), cloudkit_runtime::client::Error> {
//! let pem = std::fs::read_to_string("eckey.pem").unwrap_or_default();
//! let client = Client::builder()
//!     .container("iCloud.com.example.notes")
//!     .environment(Environment::Development)
//!     .server_to_server_key("<key id>", pem)
//!     .build()?;
//! let db = client.public_database();
//! let zones = db.zones().list().await?;
//! # Ok(()) }
//! ```

pub mod auth;
pub mod builder;
pub mod changes;
mod continuation;
pub mod database;
pub mod error;
pub mod query_run;
pub mod records;
pub mod request;
pub mod retry;
pub mod subscriptions;
pub(crate) mod transport;
pub mod zones;

use std::sync::Arc;

pub use auth::{ApiToken, KeyError, ServerToServerKey, WebAuthToken};
pub use builder::{ClientBuilder, ConfigError, DEFAULT_BASE_URL, Environment};
pub use changes::{DatabaseChanges, DatabaseChangesPage, ZoneChanges, ZoneChangesPage};
pub use database::{
    Database, HasChangeFeeds, HasCustomZones, Private, PrivateDatabase, Public, PublicDatabase,
    Scope, Shared, SharedDatabase,
};
pub use error::{Error, ServerFailure, TransportKind};
pub use query_run::{QueryPage, QueryRun};
pub use records::{MAX_OPERATIONS_PER_REQUEST, ModifyRecords, ModifyReport, RecordOutcome};
pub use request::{DatabaseScope, Method, PreparedRequest, RequestSnapshot};
pub use retry::RetryPolicy;
pub use subscriptions::{ModifySubscriptions, Subscriptions};
pub use zones::Zones;

use transport::Transport;

/// A CloudKit Web Services client for one container and environment. Cheap to clone; clones
/// share the connection pool and the current web auth token.
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) transport: Arc<Transport>,
}

/// Request counters of one client (all its clones together).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RequestStats {
    /// HTTP attempts made, retries included.
    pub attempts: u64,
    /// Attempts that were retries of a transient failure.
    pub retries: u64,
}

impl Client {
    /// The container identifier.
    pub fn container(&self) -> &str {
        &self.transport.container
    }

    /// The environment.
    pub fn environment(&self) -> Environment {
        self.transport.environment
    }

    /// The base URL requests go to (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.transport.base_url
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.transport.retry
    }

    /// How many HTTP attempts this client made so far.
    pub fn stats(&self) -> RequestStats {
        let (attempts, retries) = self.transport.counters();
        RequestStats { attempts, retries }
    }

    /// The current web auth token (after rotation), to persist for the next run.
    pub fn web_auth_token(&self) -> Option<WebAuthToken> {
        self.transport.current_web_auth_token()
    }

    /// The public database.
    pub fn public_database(&self) -> PublicDatabase {
        Database::new(self.clone())
    }

    /// The signed-in user's private database (API token + web auth token only).
    pub fn private_database(&self) -> PrivateDatabase {
        Database::new(self.clone())
    }

    /// The shared database (API token + web auth token only).
    pub fn shared_database(&self) -> SharedDatabase {
        Database::new(self.clone())
    }

    /// What `request` would look like on the wire with this client's auth, secrets removed.
    pub fn describe(&self, request: &PreparedRequest) -> RequestSnapshot {
        self.transport.describe(request)
    }

    /// Sends a prepared request (with retries) and returns the raw 2xx body.
    pub async fn send_raw(&self, request: &PreparedRequest) -> Result<Vec<u8>, Error> {
        Ok(self.transport.send(request).await?.body)
    }
}
