//! A generated struct to and from a [`Record`] dictionary, field by field through each
//! field's [`Codec`]: what generated `to_record` and `from_record` call.

use super::field::Codec;
use crate::codec::kind::Kind;
use crate::decode_error::DecodeError;
use crate::record::{SystemFields, check_record_type};
use crate::ws::{Fields, Record};

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
        let encoded = codec.encode(value);
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
        let encoded = codec.encode(value);
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
            Some(value) if !value.value.is_null() => codec.decode(value),
            _ => codec.absent(),
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
