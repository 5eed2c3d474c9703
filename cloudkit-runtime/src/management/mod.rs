//! A client for CloudKit's management API (the API behind `xcrun cktool`): teams, containers,
//! schema export, validate and import, resetting development to production, and the v1 data
//! calls (zones, records, queries, changes, deletion queries) through
//! [`ManagementClient::database`].
//!
//! A different protocol from the Web Services client in [`client`](crate::client): another host
//! (`https://api.icloud.apple.com`), token headers, REST paths and its own error body
//! (`spec/management-api.md` §7). The shapes are in [`cloudkit_wire::management`]; retries
//! follow the data client's [`RetryPolicy`](crate::client::RetryPolicy).
//!
//! ```no_run
//! use cloudkit_runtime::management::{ManagementClient, ManagementToken};
//! use cloudkit_runtime::Environment;
//!
//! # async fn run() -> Result<(), cloudkit_runtime::management::Error> {
//! let client = ManagementClient::builder()
//!     .management_token(ManagementToken::new("token from CloudKit Console"))
//!     .build()?;
//! let teams = client.teams().await?;
//! let container = client.container(&teams.teams[0].team_id, "iCloud.com.example.notes");
//! let live = container.export_schema(Environment::Development).await?;
//! println!("{live}");
//! # Ok(())
//! # }
//! ```
//!
//! The v1 data calls take the container's API token, and a signed-in user's web auth token
//! for a user's data (or a user token):
//!
//! ```no_run
//! use cloudkit_runtime::management::wire::{
//!     CreateRecordRequest, DatabaseType, FieldValue, Fields, Query, QueryRecordsRequest,
//! };
//! use cloudkit_runtime::management::{ApiToken, ManagementClient, WebAuthToken};
//! use cloudkit_runtime::Environment;
//!
//! # async fn run() -> Result<(), cloudkit_runtime::management::Error> {
//! let client = ManagementClient::builder()
//!     .api_token(ApiToken::new("API token from CloudKit Console"))
//!     .web_auth_token(WebAuthToken::new("token from the sign-in redirect"))
//!     .build()?;
//! let db = client.database("iCloud.com.example.notes", Environment::Development, DatabaseType::Private);
//! db.create_zone("Work").await?;
//! let mut fields = Fields::new();
//! fields.insert("title".into(), FieldValue::String("Hello".into()));
//! let saved = db.create_record("Work", &CreateRecordRequest::new("Note", fields)).await?;
//! let notes = db.query_all("Work", &QueryRecordsRequest::new(Query::all("Note"))).await?;
//! println!("{} saved, {} notes", saved.record_name, notes.len());
//! # Ok(())
//! # }
//! ```

mod account;
mod builder;
mod container;
mod database;
mod error;
mod handle;
mod paged;
mod records;
mod token;
mod transport;

pub use builder::ManagementClientBuilder;
pub use container::ManagedContainer;
pub use database::ManagedDatabase;
pub use error::Error;
pub use handle::ManagementClient;
pub use token::{ApiToken, ManagementToken, UserToken, WebAuthToken};

/// The management API's request and response shapes (`cloudkit_wire::management`), e.g. the
/// [`wire::ContainersQuery`] that [`ManagementClient::containers`] takes.
pub use cloudkit_wire::management as wire;
