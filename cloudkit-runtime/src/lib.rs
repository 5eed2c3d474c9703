//! Typed CloudKit Web Services for Rust.
//!
//! ```
//! use cloudkit_runtime::wire::{FieldValue, Value};
//! use cloudkit_runtime::Timestamp;
//!
//! let json = r#"{"value":1700000000000,"type":"TIMESTAMP"}"#;
//! let field: FieldValue = serde_json::from_str(json)?;
//! assert_eq!(field.value, Value::Timestamp(Timestamp::from_millis(1_700_000_000_000)));
//! assert_eq!(serde_json::to_string(&field)?, json);
//! # Ok::<(), serde_json::Error>(())
//! ```

#![warn(missing_docs)]

mod vocabulary;

mod asset;
mod location;
mod reference;
mod timestamp;
mod zone;

pub mod codec;
mod record;
pub mod wire;

pub use asset::Asset;
pub use location::Location;
pub use record::{CloudKitRecord, DecodeError, DecodeErrorKind, SystemFields, check_record_type};
pub use reference::{Reference, ReferenceAction};
pub use timestamp::{Timestamp, TimestampRangeError};
pub use zone::ZoneId;

#[cfg(feature = "client")]
pub mod client;
