//! The async client for CloudKit Web Services.
//!
//! One [`Client`] per container and environment; database handles
//! ([`Client::public_database`], [`Client::private_database`], [`Client::shared_database`])
//! offer what that database supports. Records are any [`CloudKitRecord`](crate::CloudKitRecord)
//! (usually derived). Queries are typed queries (`Note::query().filter(…)`, their desired
//! keys included; see [`IntoQueryRun`]) or wire dictionaries; subscriptions are typed
//! (`Note::subscription("id")…`, [`ZoneSubscription`](crate::typed::ZoneSubscription)) or
//! anything else convertible into the wire dictionary.
//!
//! Everything below runs against the local emulator; for iCloud leave out `base_url`.
//!
//! ```
//! use cloudkit_runtime::client::{Client, Environment};
//! use cloudkit_runtime::codec::{self, kind};
//! use cloudkit_runtime::wire::{Query, Record, Subscription};
//! use cloudkit_runtime::{CloudKitRecord, DecodeError, SystemFields};
//! use futures_util::TryStreamExt as _;
//!
//! // What `#[derive(CloudKitRecord)]` generates, written out by hand.
//! #[derive(Debug, Clone)]
//! struct Note {
//!     meta: SystemFields,
//!     title: String,
//! }
//!
//! impl CloudKitRecord for Note {
//!     const RECORD_TYPE: &'static str = "Note";
//!     fn to_record(&self) -> Record {
//!         let mut record = Record::new(Self::RECORD_TYPE);
//!         self.meta.write_to(&mut record);
//!         codec::put::<kind::String, _>(&mut record.fields, "title", &self.title);
//!         record
//!     }
//!     fn from_record(mut record: Record) -> Result<Self, DecodeError> {
//!         cloudkit_runtime::check_record_type(&record, Self::RECORD_TYPE)?;
//!         let meta = SystemFields::take_from(&mut record);
//!         let title = codec::take::<kind::String, _>(&mut record.fields, "title")?;
//!         Ok(Note { meta, title })
//!     }
//! }
//!
//! # const KEY_ID: &str = "test-key";
//! # const PEM: &str = "-----BEGIN EC PRIVATE KEY-----
//! # MHcCAQEEIHGyydh4MakkW9gbZhrCCGmM8He2iOVb1nsd/w4xLuWzoAoGCCqGSM49
//! # AwEHoUQDQgAEh8XdaNYl2nfrN5oeFAyMoAjWOJTBX4ay9lYv7I2fLMQ1lKbgngs3
//! # d7Swou8pgLcaYsPQvp5jlYUEW2rKXdoAYA==
//! # -----END EC PRIVATE KEY-----
//! # ";
//! # const PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
//! # MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEh8XdaNYl2nfrN5oeFAyMoAjWOJTB
//! # X4ay9lYv7I2fLMQ1lKbgngs3d7Swou8pgLcaYsPQvp5jlYUEW2rKXdoAYA==
//! # -----END PUBLIC KEY-----
//! # ";
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let emu = cloudkit_emulator::Emulator::builder()
//! #     .schema_source(r#"DEFINE SCHEMA RECORD TYPE Note ("___recordID" REFERENCE QUERYABLE,
//! #         title STRING QUERYABLE, GRANT WRITE TO "_creator", GRANT CREATE TO "_icloud",
//! #         GRANT READ TO "_world");"#)
//! #     .container("iCloud.com.example.notes")
//! #     .server_key(KEY_ID, PUBLIC_PEM)
//! #     .start()
//! #     .await?;
//! let client = Client::builder()
//!     .container("iCloud.com.example.notes")
//!     .environment(Environment::Development)
//!     .base_url(emu.base_url())
//!     .server_to_server_key(KEY_ID, PEM) // or .api_token(t).web_auth_token(w)
//!     .build()?;
//! let db = client.public_database();
//!
//! let a = Note { meta: SystemFields::new("note-a"), title: "Shopping".into() };
//! let b = Note { meta: SystemFields::unnamed(), title: "Errands".into() }; // gets a UUID name
//! let a = db.save(&a).await?; // `create`, since it has no change tag yet
//! assert!(a.meta.change_tag().is_some());
//!
//! let report = db.modify().create(&b).update(&a).atomic().send().await?;
//! assert!(report.is_success()); // one result per operation, in order
//!
//! let notes: Vec<Note> = db.query(Query::new("Note")).all().await?; // follows continuations
//! assert_eq!(notes.len(), 2);
//! let mut stream = Box::pin(db.query(Query::new("Note")).results_limit(1).stream::<Note>());
//! while let Some(note) = stream.try_next().await? {
//!     println!("{}", note.title); // one page in memory at a time
//! }
//!
//! db.subscriptions().save(Subscription::query("notes", Query::new("Note"))).await?;
//! # emu.shutdown().await;
//! # Ok(())
//! # }
//! ```

pub mod assets;
pub mod auth;
pub mod builder;
pub mod changes;
mod continuation;
pub mod database;
pub mod error;
pub mod notifications;
pub mod query_run;
pub mod records;
pub mod request;
pub mod retry;
pub mod sign_in;
pub mod subscriptions;
#[cfg(test)]
mod test_server;
pub(crate) mod transport;
pub mod users;
pub mod zones;

use std::sync::Arc;

pub use assets::{AssetTarget, MAX_UPLOAD_TOKENS, UploadedAsset};
pub use auth::{ApiToken, KeyError, ServerToServerKey, WebAuthToken};
pub use builder::{ClientBuilder, ConfigError, DEFAULT_BASE_URL, Environment};
pub use changes::{DatabaseChanges, DatabaseChangesPage, ZoneChanges, ZoneChangesPage};
pub use database::{
    Database, HasChangeFeeds, HasCustomZones, Private, PrivateDatabase, Public, PublicDatabase,
    Scope, Shared, SharedDatabase,
};
pub use error::{Error, ServerFailure, TransportKind};
pub use notifications::{CloudKitNotification, NotificationDatabase};
pub use query_run::{IntoQueryRun, QueryPage, QueryRun};
pub use records::{MAX_OPERATIONS_PER_REQUEST, ModifyRecords, ModifyReport, RecordOutcome};
pub use request::{DatabaseScope, Method, PreparedRequest, RequestSnapshot};
pub use retry::RetryPolicy;
pub use sign_in::{NotApiTokenClient, SignInRequired, token_from_callback};
pub use subscriptions::{ModifySubscriptions, Subscriptions};
pub use users::Users;
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
