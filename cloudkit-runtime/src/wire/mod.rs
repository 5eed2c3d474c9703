//! The JSON dialect of CloudKit Web Services, as typed Rust values.
//!
//! One set of types serves both directions: every request and response body serializes and
//! deserializes, so the client and the emulator share them. Decoding is permissive (unknown keys
//! are ignored, unknown type tags and error codes are kept); encoding writes exactly the keys
//! CloudKit expects.

mod value;

pub use crate::asset::Asset;
pub use crate::location::Location;
pub use crate::reference::{Reference, ReferenceAction};
pub use crate::timestamp::Timestamp;
pub use crate::zone::ZoneId;
pub use value::{FieldValue, RawJson, Value, WireType};
