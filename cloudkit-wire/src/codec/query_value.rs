//! Right-hand sides of filters.

use crate::codec::{FieldCodec, kind};
use crate::ws::{FieldValue, Value};

/// A value a filter can compare a field of kind `K` with: anything with a
/// [`FieldCodec<K>`](FieldCodec), plus `&str` for STRING fields.
pub trait QueryValue<K> {
    /// The typed field value dictionary.
    fn to_field_value(&self) -> FieldValue;
}

impl<K, T: FieldCodec<K>> QueryValue<K> for T {
    fn to_field_value(&self) -> FieldValue {
        self.encode()
    }
}

impl QueryValue<kind::String> for &str {
    fn to_field_value(&self) -> FieldValue {
        FieldValue::new(Value::String((*self).to_owned()))
    }
}
