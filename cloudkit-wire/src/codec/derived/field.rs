//! A field of a generated struct bound to the codec of its schema kind.

use std::marker::PhantomData;

use crate::codec::kind::Kind;
use crate::codec::{FieldCodec, ValueSink};
use crate::decode_error::DecodeError;
use crate::ws::FieldValue;

/// A field's codec, chosen once per field so that a Rust type that does not fit its schema
/// kind is reported once, at the field.
pub struct Codec<K: Kind, T> {
    encode: fn(&T) -> FieldValue,
    is_present: fn(&T) -> bool,
    write: fn(&T, &mut dyn ValueSink),
    decode: fn(FieldValue) -> Result<T, DecodeError>,
    from_natural: fn(K::Natural) -> Result<T, DecodeError>,
    absent: fn() -> Result<T, DecodeError>,
    _kind: PhantomData<fn() -> K>,
}

impl<K: Kind, T> Clone for Codec<K, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: Kind, T> Copy for Codec<K, T> {}

impl<K: Kind, T: FieldCodec<K>> Codec<K, T> {
    /// The codec of `T` for schema kind `K`.
    pub const fn new() -> Self {
        Codec {
            encode: <T as FieldCodec<K>>::encode,
            is_present: <T as FieldCodec<K>>::is_present,
            write: <T as FieldCodec<K>>::write,
            decode: <T as FieldCodec<K>>::decode,
            from_natural: <T as FieldCodec<K>>::from_natural,
            absent: <T as FieldCodec<K>>::decode_absent,
            _kind: PhantomData,
        }
    }
}

impl<K: Kind, T> Codec<K, T> {
    /// The field value dictionary of `value`.
    pub(super) fn encode(self, value: &T) -> FieldValue {
        (self.encode)(value)
    }

    /// Whether the value is written (not `None`).
    pub fn is_present(self, value: &T) -> bool {
        (self.is_present)(value)
    }

    /// Writes the field value dictionary of `value`.
    pub fn write(self, value: &T, sink: &mut dyn ValueSink) {
        (self.write)(value, sink);
    }

    /// Decodes a non-null field value.
    pub fn decode(self, value: FieldValue) -> Result<T, DecodeError> {
        (self.decode)(value)
    }

    /// Decodes what a value of kind `K` holds.
    pub fn from_natural(self, natural: K::Natural) -> Result<T, DecodeError> {
        (self.from_natural)(natural)
    }

    /// The value of an absent or null field.
    pub fn absent(self) -> Result<T, DecodeError> {
        (self.absent)()
    }
}

impl<K: Kind, T: FieldCodec<K>> Default for Codec<K, T> {
    fn default() -> Self {
        Self::new()
    }
}
