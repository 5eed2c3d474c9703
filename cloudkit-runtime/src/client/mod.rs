//! The async client for CloudKit Web Services.
//!
//! One [`Client`] per container and environment, shared by every user of a web backend
//! ([`Client::as_user`] makes a per-user [`UserSession`] on the same connection pool); database handles
//! ([`Client::public_database`]; the private and shared databases through a handle whose type
//! says a user is signed in: [`Client::signed_in`], [`Client::as_user`]) offer what that
//! database supports. Records are any [`CloudKitRecord`](crate::CloudKitRecord)
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
//! let mut stream = db.query(Query::new("Note")).results_limit(1).stream::<Note>(); // Unpin
//! while let Some(note) = stream.try_next().await? {
//!     println!("{}", note.title); // one page in memory at a time
//! }
//!
//! db.subscriptions().save(Subscription::query("notes", Query::new("Note"))).await?;
//! # emu.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod assets;
mod auth;
mod builder;
mod changes;
mod conflict;
mod continuation;
mod database;
mod error;
mod handle;
mod loopback;
mod notifications;
mod operations;
mod query_cursor;
mod query_run;
mod records;
mod request;
mod retry;
#[cfg(test)]
mod scripted;
mod sessions;
mod sign_in;
mod subscriptions;
mod sync_token;
mod transport;
mod typed_changes;
mod url_policy;
mod users;
mod zones;

pub use assets::{AssetTarget, MAX_UPLOAD_TOKENS, UploadedAsset};
pub use auth::{ApiToken, KeyError, RequestSignature, ServerToServerKey, WebAuthToken};
pub use builder::{
    ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_ASSET_DOWNLOAD_BYTES, DEFAULT_MAX_RESPONSE_BYTES,
};
pub use changes::{DatabaseChanges, DatabaseChangesPage, ZoneChanges, ZoneChangesPage};
pub use cloudkit_wire::ws::{DatabaseScope, Environment};
pub use database::{
    Database, HasChangeFeeds, HasCustomZones, Private, PrivateDatabase, Public, PublicDatabase,
    Scope, Shared, SharedDatabase,
};
pub use error::{ConfigError, Error, ServerFailure, TransportKind};
pub use handle::{Client, RequestStats};
pub use notifications::{CloudKitNotification, NotificationDatabase};
pub use query_cursor::{InvalidCursor, MAX_CURSOR_CHARS, QueryCursor};
pub use query_run::{AnyRecord, IntoQueryRun, QueryPage, QueryRun, RecordStream, TypedPage};
pub use records::{MAX_OPERATIONS_PER_REQUEST, ModifyRecords, ModifyReport, RecordOutcome};
pub use request::{Method, PreparedRequest, RequestSnapshot};
pub use retry::RetryPolicy;
// Shared with the management client, which follows the same transport rules.
#[cfg(feature = "management")]
pub(crate) use builder::install_crypto_provider;
#[cfg(feature = "management")]
pub(crate) use retry::parse_retry_after;
pub use sessions::{
    AsServer, AsUser, AuthMode, NoServerKey, NotSignedIn, ServerSession, Session, SignedIn,
    UserSession,
};
pub use sign_in::{NotApiTokenClient, SignInRequired, token_from_callback};
pub use subscriptions::{ModifySubscriptions, Subscriptions};
pub use sync_token::SyncToken;
#[cfg(feature = "management")]
pub(crate) use transport::read_capped;
pub use typed_changes::{Change, DeletedRecord, TypedZoneChangesPage, TypedZoneChangesStream};
#[cfg(feature = "management")]
pub(crate) use url_policy::check_base_url;
pub use users::Users;
pub use zones::Zones;
