//! CloudKit's JSON as typed Rust values, shared by the client (cloudkit-runtime, which
//! re-exports all of this) and the emulator.
//!
//! - [`ws`]: the dictionaries of CloudKit Web Services, for both directions (the client sends
//!   requests and reads responses; the emulator does the opposite).
//! - [`CloudKitRecord`] and [`codec`]: how Rust structs become records, and back. The derive
//!   (in cloudkit-runtime) generates implementations against these, including a direct path
//!   between JSON and the struct ([`ws::TypedRecordsResponse`], [`ws::AsRecord`]) that skips
//!   the dynamic [`Record`](ws::Record).
//! - Value types used in records: [`Timestamp`], [`Location`], [`Reference`], [`Asset`],
//!   [`ZoneId`].
//!
//! ```
//! use cloudkit_wire::codec::{self, kind};
//! use cloudkit_wire::ws::{FieldValue, Record, Value};
//! use cloudkit_wire::Timestamp;
//!
//! let field: FieldValue = serde_json::from_str(r#"{"value":1700000000000,"type":"TIMESTAMP"}"#)?;
//! assert_eq!(field.value, Value::Timestamp(Timestamp::from_millis(1_700_000_000_000)));
//! assert_eq!(serde_json::to_string(&field)?, r#"{"value":1700000000000,"type":"TIMESTAMP"}"#);
//!
//! // Rust values become fields through the codec of their schema kind, and back.
//! let mut note = Record::named("Note", "n1");
//! codec::put::<kind::Int64, _>(&mut note.fields, "pinned", &true);
//! assert_eq!(
//!     serde_json::to_string(&note)?,
//!     r#"{"recordName":"n1","recordType":"Note","fields":{"pinned":{"value":1,"type":"INT64"}}}"#
//! );
//! let pinned: bool = codec::take::<kind::Int64, _>(&mut note.fields, "pinned")?;
//! assert!(pinned);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod vocabulary;

mod asset;
mod location;
mod reference;
mod timestamp;
mod zone;

pub mod codec;
mod decode_error;
pub mod management;
mod record;
pub mod ws;

pub use asset::Asset;
pub use decode_error::{DecodeError, DecodeErrorKind};
pub use location::Location;
pub use record::{CloudKitRecord, SystemFields, check_record_type};
pub use reference::{Reference, ReferenceAction};
pub use timestamp::{Timestamp, TimestampRangeError};
pub use zone::ZoneId;
