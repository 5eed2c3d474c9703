//! Field value dictionaries: `{"value": ..., "type": "...", "isEncrypted"?: true}`.
//!
//! Decoding never loses information: an unknown `type` tag is kept with its raw JSON
//! ([`Value::Other`]), a value sent without `type` is kept as raw JSON ([`Value::Untyped`]) so
//! that a server with schema knowledge can interpret it, and `isEncrypted` is preserved.
//! Encoding always writes `value` first, then `type` (when known), then `isEncrypted` (when set),
//! the order CloudKit's own responses use.

mod decode;
mod encode;
mod field_value;
mod node;
mod pending;
mod raw_json;
mod scalar;
mod wire_type;

pub use field_value::{FieldValue, Value};
pub use raw_json::RawJson;
pub use wire_type::WireType;

pub(crate) use decode::{ExactTag, FieldKey, FieldValueSeed};
pub(crate) use encode::{B64, B64List};
pub(crate) use pending::Scratch;
pub(crate) use scalar::{BytesIn, DoubleIn, Int64In};

#[cfg(test)]
mod tests;
