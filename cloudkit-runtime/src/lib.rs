//! Typed CloudKit Web Services for Rust.
//!
//! - [`wire`]: the JSON dialect of CloudKit Web Services as typed values, for both directions
//!   (the client sends requests and reads responses; the emulator does the opposite).
//! - [`CloudKitRecord`] and [`codec`]: how Rust structs become records. The derive generates
//!   implementations against these, including a direct path between JSON and the struct
//!   ([`wire::TypedRecordsResponse`], [`wire::AsRecord`]) that skips the dynamic
//!   [`Record`](wire::Record).
//! - Value types used in records: [`Timestamp`], [`Location`], [`Reference`], [`Asset`],
//!   [`ZoneId`].
//! - [`typed`]: field handles, queries and subscriptions checked against the schema; the
//!   async client is in `client` (feature `client`).
//!
//! The wire types, [`CloudKitRecord`], the codecs and the value types come from the
//! `cloudkit-wire` crate (which the emulator shares) and are re-exported here.
//!
//! ```
//! use cloudkit_runtime::wire::{FieldValue, RecordEntry, RecordsResponse, ServerErrorCode, Value};
//! use cloudkit_runtime::Timestamp;
//!
//! let field: FieldValue = serde_json::from_str(r#"{"value":1700000000000,"type":"TIMESTAMP"}"#)?;
//! assert_eq!(field.value, Value::Timestamp(Timestamp::from_millis(1_700_000_000_000)));
//! assert_eq!(serde_json::to_string(&field)?, r#"{"value":1700000000000,"type":"TIMESTAMP"}"#);
//!
//! // Per-item errors arrive inside HTTP 200 responses; each element is its own Result.
//! let response: RecordsResponse = serde_json::from_str(
//!     r#"{"records":[{"recordName":"a","recordType":"Note"},
//!                    {"recordName":"b","serverErrorCode":"CONFLICT","reason":"stale tag"}]}"#,
//! )?;
//! assert!(matches!(&response.records[0], Ok(RecordEntry::Record(r)) if r.record_name.as_deref() == Some("a")));
//! assert!(matches!(&response.records[1], Err(e) if e.code() == Some(&ServerErrorCode::Conflict)));
//! # Ok::<(), serde_json::Error>(())
//! ```

#![warn(missing_docs)]

// Re-exported at the paths they had before cloudkit-wire existed, so user code and generated
// code name them through this crate alone.
#[doc(inline)]
pub use cloudkit_wire::codec;
#[doc(inline)]
pub use cloudkit_wire::ws as wire;
#[doc(inline)]
pub use cloudkit_wire::{
    Asset, CloudKitRecord, DecodeError, DecodeErrorKind, Location, Reference, ReferenceAction,
    SystemFields, Timestamp, TimestampRangeError, ZoneId, check_record_type,
};

pub mod typed;
pub use typed::CloudKitRecords;

#[cfg(feature = "derive")]
pub use cloudkit_derive::{CloudKitRecord, CloudKitRecords};

#[cfg(feature = "client")]
pub mod client;

#[cfg(feature = "management")]
pub mod management;

// The names an app needs most, at the root: `use cloudkit_runtime::{Client, FiresOn, …}`.
#[cfg(feature = "client")]
pub use client::Client;
pub use wire::{DatabaseScope, Environment, FiresOn};
