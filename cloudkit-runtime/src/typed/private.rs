//! The one doorway generated code uses into this crate. Not public API: names here may change
//! in any release, together with the code generator.

pub use super::decode::{
    FieldReader, FieldSlots, deserialize_record_element, deserialize_record_element_exact,
    take_slot,
};
pub use super::encode::{FieldRef, WriteField, serialize_record};
pub use super::field::{FieldHandle, FieldMarker, FieldName};
pub use super::index::{
    Geo, ListOf, Ordered, Queryable, Searchable, SingleValue, Sortable, Text, TextList, Tokenized,
    Unencrypted,
};
pub use super::query::Query;
pub use super::subscription::QuerySubscription;
pub use crate::codec::{FieldCodec, ValueSink, kind};
pub use crate::wire::{Record, TypedRecordResult};
pub use crate::{CloudKitRecord, DecodeError, SystemFields, check_record_type};
pub use serde::de::MapAccess;
pub use serde::{Deserializer, Serializer};

use std::marker::PhantomData;

use crate::codec::kind::Kind;
use crate::wire::{FieldValue, Fields};

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

/// Builds a record dictionary field by field, as `codec::put` does: absent (`None`) values
/// are left out, so an update does not clear fields it does not set.
pub struct RecordWriter {
    record: Record,
}

impl RecordWriter {
    /// A record of `record_type`, with the identity and change tag of `system` if given, and
    /// room for `field_count` fields (the number the struct declares).
    pub fn new(
        record_type: &'static str,
        system: Option<&SystemFields>,
        field_count: usize,
    ) -> Self {
        let mut record = Record::new(record_type);
        record.fields = Fields::with_capacity(field_count);
        if let Some(system) = system {
            system.write_to(&mut record);
        }
        RecordWriter { record }
    }

    /// Encodes a field through its schema kind's codec.
    pub fn field<K: Kind, T>(&mut self, name: &'static str, value: &T, codec: Codec<K, T>) {
        let encoded = (codec.encode)(value);
        if !encoded.value.is_null() {
            self.record.fields.push_static(name, encoded);
        }
    }

    /// Encodes a field of an `ENCRYPTED` schema type (`isEncrypted: true`).
    pub fn encrypted_field<K: Kind, T>(
        &mut self,
        name: &'static str,
        value: &T,
        codec: Codec<K, T>,
    ) {
        let encoded = (codec.encode)(value);
        if !encoded.value.is_null() {
            self.record.fields.push_static(name, encoded.encrypted());
        }
    }

    /// The record dictionary.
    pub fn finish(self) -> Record {
        self.record
    }
}

/// Takes a record dictionary apart field by field, as `codec::take` does.
pub struct RecordReader {
    record_type: &'static str,
    record: Record,
    system: SystemFields,
}

impl RecordReader {
    /// Checks the record type and starts reading.
    pub fn new(record_type: &'static str, mut record: Record) -> Result<Self, DecodeError> {
        check_record_type(&record, record_type)?;
        let system = SystemFields::take_from(&mut record);
        Ok(RecordReader {
            record_type,
            record,
            system,
        })
    }

    /// Decodes a field; an absent or null field is `None` for `Option`, empty for `Vec`, and
    /// an error naming the field otherwise.
    pub fn field<K: Kind, T>(
        &mut self,
        name: &'static str,
        codec: Codec<K, T>,
    ) -> Result<T, DecodeError> {
        let result = match self.record.fields.take(name) {
            Some(value) if !value.value.is_null() => (codec.decode)(value),
            _ => (codec.absent)(),
        };
        result.map_err(|e| {
            e.in_field(name)
                .in_record(self.record_type, self.system.record_name())
        })
    }

    /// The record's system fields.
    pub fn system_fields(&self) -> SystemFields {
        self.system.clone()
    }
}
