//! Field codecs: how a Rust field type becomes a CloudKit field value and back.
//!
//! The codec is chosen by the **schema kind** of the field, a marker type in [`kind`], so a
//! Rust type that does not fit the schema type is a compile error at the user's field:
//! `String: FieldCodec<kind::Int64>` does not hold, and the compiler says which Rust types
//! would.
//!
//! | CloudKit schema type | kind marker | Rust types | wire `type` |
//! | --- | --- | --- | --- |
//! | `STRING` | [`kind::String`] | `String`, `Box<str>` | `STRING` |
//! | `INT64`, `NUMBER PREFERRED AS INT64` | [`kind::Int64`] | `i64`, `i32`, `i16`, `i8`, `u32`, `u16`, `u8`, `bool` (0/1) | `INT64` |
//! | `DOUBLE`, `NUMBER` otherwise | [`kind::Double`] | `f64`, `f32` | `DOUBLE` |
//! | `TIMESTAMP` | [`kind::Timestamp`] | [`Timestamp`](crate::Timestamp), `SystemTime`, `time::OffsetDateTime` (feature `time`), `chrono::DateTime<Utc>` (feature `chrono`) | `TIMESTAMP` |
//! | `BYTES` | [`kind::Bytes`] | `Vec<u8>` | `BYTES` |
//! | `REFERENCE` | [`kind::Reference`] | [`Reference<T>`](crate::Reference) | `REFERENCE` |
//! | `ASSET` | [`kind::Asset`] | [`Asset`](crate::Asset) | `ASSETID` |
//! | `LOCATION` | [`kind::Location`] | [`Location`](crate::Location) | `LOCATION` |
//! | `LIST<X>` | [`kind::List<X>`] | `Vec<T>` where `T` fits `X` | `X_LIST` |
//! | any | any | `Option<T>` where `T` fits | — |
//!
//! Absence: a field that is missing from the record or `null` decodes to `None` for `Option<T>`
//! and to an empty vector for `Vec<T>` (CloudKit reports never-set list fields as absent);
//! for any other type it is a [`DecodeError`] naming the field. Integer decoding checks the
//! range of the target type; `bool` accepts only 0 and 1 (and `BOOLEAN` values).
//!
//! Decoding is lenient where no information is lost: DOUBLE fields accept `INT64` values,
//! BYTES fields accept `ENCRYPTED_BYTES`, ASSET fields accept the `ASSET` tag, and a value sent
//! without `type` is interpreted as the field's kind.
//!
//! Generated code calls [`put`] and [`take`]:
//!
//! ```
//! use cloudkit_wire::codec::{self, kind};
//! use cloudkit_wire::ws::Fields;
//!
//! let mut fields = Fields::new();
//! codec::put::<kind::Int64, _>(&mut fields, "pinned", &true);
//! codec::put::<kind::List<kind::String>, _>(&mut fields, "tags", &vec!["home".to_owned()]);
//! codec::put::<kind::String, Option<String>>(&mut fields, "body", &None); // omitted
//! assert_eq!(fields.len(), 2);
//! let pinned: bool = codec::take::<kind::Int64, _>(&mut fields, "pinned")?;
//! let body: Option<String> = codec::take::<kind::String, _>(&mut fields, "body")?;
//! assert!(pinned && body.is_none());
//! # Ok::<(), cloudkit_wire::DecodeError>(())
//! ```

#[doc(hidden)]
pub mod derived;
mod field_codec;
pub mod kind;
mod query_value;
mod value_sink;

pub use crate::decode_error::{DecodeError, DecodeErrorKind};
pub use field_codec::FieldCodec;
pub use query_value::QueryValue;
pub use value_sink::ValueSink;

use crate::ws::{FieldValue, Fields};

/// Encodes a value as kind `K` (selects the codec by turbofish).
pub fn encode<K, T: FieldCodec<K>>(value: &T) -> FieldValue {
    value.encode()
}

/// Encodes `value` into `fields` under `name`; null values (`None`) are left out, so a
/// `create` leaves the field unset and an `update` leaves it unchanged.
pub fn put<K, T: FieldCodec<K>>(fields: &mut Fields, name: &str, value: &T) {
    let value = value.encode();
    if !value.value.is_null() {
        fields.push(name, value);
    }
}

/// Removes the field `name` from `fields` and decodes it; errors name the field.
pub fn take<K, T: FieldCodec<K>>(fields: &mut Fields, name: &str) -> Result<T, DecodeError> {
    let result = match fields.remove(name) {
        Some(value) if !value.value.is_null() => T::decode(value),
        _ => T::decode_absent(),
    };
    result.map_err(|e| e.in_field(name))
}

#[cfg(test)]
mod tests;
