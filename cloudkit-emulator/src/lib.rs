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
//!
//! # What it does where CloudKit's documentation is silent
//!
//! - **One container, one environment** per emulator; requests for others get `BAD_REQUEST`.
//! - **Credentials.** With no API token configured, API tokens are not checked. Test users
//!   sign in through [`Emulator::sign_in`]; a `ckWebAuthToken` acts as that user and every
//!   response carries a fresh token in `X-Apple-CloudKit-Web-Auth-Token` that replaces it: the
//!   last 8 replaced tokens of a sign-in stay valid until their own 30 minutes are up (a
//!   request that raced another with a replaced token gets the current token back), older
//!   ones are forgotten, and [`EmulatorBuilder::strict_token_rotation`] forgets them at once. Server-to-server
//!   signatures are checked over the request target as received, query string included, with a
//!   ±10 minute date window ([`EmulatorBuilder::signature_window`]); writes are attributed to a
//!   fixed user record name derived from the key ID. Private and shared databases need a user
//!   (`421 AUTHENTICATION_REQUIRED` with `redirectURL`); server keys only reach the public one.
//! - **Public database grants** come from the schema's `GRANT`s to `_world`, `_icloud` and
//!   `_creator`; types created just in time get CloudKit's defaults (world read, iCloud create,
//!   creator write).
//! - **Atomic** defaults to `true` (Apple's documentation) and applies only in custom zones. A
//!   failed atomic batch answers 200 with the failing operation's own error and `ATOMIC_ERROR`
//!   for the others; nothing is written.
//! - **References**: a `VALIDATE` target must exist when the source is saved and cannot be
//!   deleted while referenced (`VALIDATING_REFERENCE_ERROR`); deleting a `DELETE_SELF` target
//!   deletes its sources at once, in every zone. References with an action stay in their zone.
//!   Each operation of a batch runs in its own savepoint, so a failed one leaves nothing.
//! - **Limits**: more than 200 operations, lookups or zones in one request is a whole-request
//!   `BAD_REQUEST`; `resultsLimit` is capped at 200; a record whose fields exceed 1 MB gets a
//!   per-record `QUOTA_EXCEEDED`.
//! - **Zones**: creating an existing zone is a per-zone `EXISTS`; custom zones exist only in
//!   private databases. The shared database is empty until sharing exists.
//! - **Change feeds** cover custom zones only (`cannot get changes in default zone`); tokens are
//!   opaque, zone tokens name their zone and its incarnation, and database tokens and zone
//!   tokens are not interchangeable.
//! - **Queries** need `QUERYABLE` for equality, `IN`, list and `NEAR` comparators (and
//!   `"___recordID" QUERYABLE` for a query without filters), `SORTABLE` for ordering
//!   comparators and sorts, `SEARCHABLE` for token search (case-insensitive words). Nulls sort
//!   last. Continuation markers are keyset cursors: stable under concurrent inserts. Every
//!   queryable or sortable scalar field gets a SQLite expression index; a query whose filters
//!   are all plain comparisons on such fields, with at most one sort, runs as one indexed SQL
//!   statement, and anything else (tokens, lists, `NEAR`, several sorts) is decoded and
//!   evaluated in Rust. Both give the same pages.
//! - `numbersAsStrings: true` sends INT64 values as JSON strings (DOUBLE and TIMESTAMP stay
//!   numbers); `getCurrentSyncToken` is accepted and ignored.
//!
//! - **Web sign-in**: `redirectURL` points at `/signin` (carrying the caller's `ckAPIToken`;
//!   the page serves only holders of an accepted API token), a page listing the test users
//!   ([`Directory`]: alice, bob, carol by default); `/signin?user=NAME&callback=URL` redirects
//!   to `URL?ckWebAuthToken=…`, without `callback` it answers a post-message page addressed to
//!   the opener's origin (`origin=` or the `Referer`). Callback and opener must be loopback
//!   pages or origins allowed with [`EmulatorBuilder::allowed_origin`]. Tokens live 30 minutes
//!   ([`EmulatorBuilder::web_auth_token_lifetime`]); [`Emulator::sign_out`] revokes.
//! - **Browsers**: a request must name the emulator in `Host` (loopback with its port, or
//!   [`EmulatorBuilder::allowed_host`]), so that no web page reaches it by DNS rebinding; a
//!   request with an `Origin` must come from a loopback page or an allowed origin, which CORS
//!   reflects (never `*`). Others get `403 ACCESS_DENIED`.
//! - **Limits at the edge**: JSON bodies up to [`DEFAULT_MAX_REQUEST_BYTES`], read only after
//!   the credentials in the target and headers passed (`413 QUOTA_EXCEEDED` past it), and at
//!   most [`DEFAULT_MAX_BODY_MEMORY`] of bodies held at once (`503 TRY_AGAIN_LATER` past it);
//!   [`DEFAULT_MAX_CONNECTIONS`] connections, headers within [`DEFAULT_HEADER_READ_TIMEOUT`],
//!   answers within [`DEFAULT_REQUEST_TIMEOUT`] (`503 TRY_AGAIN_LATER`); all configurable on
//!   [`EmulatorBuilder`].
//! - **Users**: `users/discover` finds discoverable directory users only and leaves unmatched
//!   lookup infos out; `users/lookup/{email,id}` answer a per-item `NOT_FOUND` for them.
//! - **Assets**: upload URLs (`/asset-upload/…`, 15 minutes, one use) take the raw bytes up to
//!   [`DEFAULT_MAX_ASSET_BYTES`] (15 MB, [`EmulatorBuilder::max_asset_size`]); bytes are kept
//!   in SQLite. `fileChecksum` is base64 SHA-256. Receipts are bound to the record field they
//!   were issued for and checked on save (`BAD_REQUEST` otherwise).
//! - **Notifications**: `/device/1/…/tokens/{create,register}`; subscriptions are matched once
//!   the writing transaction has committed (outside the store lock), queued in write order and
//!   delivered by `GET webcourierURL`, one payload per answer,
//!   held up to 25 s (`204` when nothing came).

#![warn(missing_docs)]

mod auth;
#[doc(hidden)]
pub mod bench_support;
mod change_tag;
mod clock;
mod courier;
mod directory;
mod error;
mod faults;
mod http;
mod ids;
mod ops;
pub mod request_log;
mod schema;
mod services;
mod state;
mod storage;
mod sync_token;

mod emulator;
mod emulator_error;
mod serve_options;

pub use auth::{User, WebAuthToken};
pub use directory::{Directory, TestUser};
pub use emulator::{
    ContainerSchema, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_MAX_ASSET_BYTES, DEFAULT_MAX_BODY_MEMORY,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_REQUEST_TIMEOUT, DEFAULT_TEAM_ID,
    Emulator, EmulatorBuilder, Storage,
};
pub use emulator_error::EmulatorError;
pub use serve_options::{ServeOptions, run};

pub use faults::{Fault, FaultSpec};

pub use cloudkit_wire::ws::{DatabaseScope, Environment, UnknownEnvironment};
