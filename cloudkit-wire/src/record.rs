//! The [`CloudKitRecord`] trait and [`SystemFields`].

use crate::decode_error::{DecodeError, DecodeErrorKind};
use crate::timestamp::Timestamp;
use crate::ws::{AnyRecordElement, Record, RecordStamp, Reference, TypedRecordResult};
use crate::zone::ZoneId;

/// A Rust type stored as a CloudKit record. Usually derived.
pub trait CloudKitRecord: Sized {
    /// The CloudKit record type name.
    const RECORD_TYPE: &'static str;

    /// The record dictionary: fields plus the system metadata the value carries.
    fn to_record(&self) -> Record;

    /// Decodes a record dictionary; errors name the record, the field, and the expected and
    /// found wire types.
    fn from_record(record: Record) -> Result<Self, DecodeError>;

    /// Writes the record dictionary straight from the value (used by
    /// [`AsRecord`](crate::ws::AsRecord)): the same JSON as serializing
    /// [`to_record`](Self::to_record), which is what the default does.
    /// `#[derive(CloudKitRecord)]` overrides it to write each field from its place, without
    /// copying values into a [`Record`].
    #[doc(hidden)]
    fn serialize_record<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&self.to_record(), s)
    }

    /// Decodes one element of a `records` response array straight from JSON (used by
    /// [`TypedRecordsResponse`](crate::ws::TypedRecordsResponse)).
    ///
    /// The default reads a [`Record`] and calls [`from_record`](Self::from_record).
    /// `#[derive(CloudKitRecord)]` overrides it to decode each field's value as its Rust type
    /// while reading, which is faster; the results are the same.
    #[doc(hidden)]
    fn deserialize_record_element<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<TypedRecordResult<Self>, D::Error> {
        let element = <AnyRecordElement as serde::Deserialize>::deserialize(d)?;
        Ok(element.classify_with(|e| Self::from_record(e.into_record())))
    }

    /// As [`deserialize_record_element`](Self::deserialize_record_element), but may fail on
    /// JSON that the lenient reading accepts (a field value of another type than the
    /// schema's); [`TypedRecordsResponse`](crate::ws::TypedRecordsResponse) then reads the
    /// response again leniently. Where both succeed, both give the same result.
    #[doc(hidden)]
    fn deserialize_record_element_exact<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<TypedRecordResult<Self>, D::Error> {
        Self::deserialize_record_element(d)
    }
}

/// Checks the record type before decoding fields (for generated `from_record`).
pub fn check_record_type(record: &Record, expected: &'static str) -> Result<(), DecodeError> {
    check_type_of(
        record.record_type.as_deref(),
        record.record_name.as_deref(),
        expected,
    )
}

/// [`check_record_type`] on the parts of a record.
pub(crate) fn check_type_of(
    record_type: Option<&str>,
    record_name: Option<&str>,
    expected: &'static str,
) -> Result<(), DecodeError> {
    match record_type {
        Some(t) if t == expected => Ok(()),
        found => Err(DecodeError::new(DecodeErrorKind::WrongRecordType {
            expected,
            found: found.map(str::to_owned),
        })
        .in_record(expected, record_name)),
    }
}

/// The system metadata of a record that a Rust value carries between reads and writes:
/// name, change tag, zone, audit stamps, share and parent.
///
/// Keep it in your struct (`#[cloudkit(system)]`) so that a fetched value can be updated
/// without conflicts: the change tag travels with it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SystemFields {
    /// Record name; `None` lets the server assign one on create.
    pub record_name: Option<String>,
    /// Change tag of the stored version; `None` for a record not saved yet.
    pub change_tag: Option<String>,
    /// Zone of the record.
    pub zone_id: Option<ZoneId>,
    /// Creation stamp (server-set).
    pub created: Option<RecordStamp>,
    /// Modification stamp (server-set).
    pub modified: Option<RecordStamp>,
    /// Share record of a shared record.
    pub share: Option<Reference>,
    /// Parent in a share hierarchy.
    pub parent: Option<Reference>,
}

impl SystemFields {
    /// Metadata for a new record with the given name.
    pub fn new(record_name: impl Into<String>) -> Self {
        SystemFields {
            record_name: Some(record_name.into()),
            ..SystemFields::default()
        }
    }

    /// Metadata for a new record whose name the server assigns.
    pub fn unnamed() -> Self {
        SystemFields::default()
    }

    /// Places the record in a zone (builder style).
    pub fn in_zone(mut self, zone_id: ZoneId) -> Self {
        self.zone_id = Some(zone_id);
        self
    }

    /// Record name.
    pub fn record_name(&self) -> Option<&str> {
        self.record_name.as_deref()
    }

    /// Change tag.
    pub fn change_tag(&self) -> Option<&str> {
        self.change_tag.as_deref()
    }

    /// Zone.
    pub fn zone_id(&self) -> Option<&ZoneId> {
        self.zone_id.as_ref()
    }

    /// When the record was created.
    pub fn created_at(&self) -> Option<Timestamp> {
        self.created.as_ref().map(|s| s.timestamp)
    }

    /// Who created the record (user record name).
    pub fn created_by(&self) -> Option<&str> {
        self.created.as_ref()?.user_record_name.as_deref()
    }

    /// When the record was last modified.
    pub fn modified_at(&self) -> Option<Timestamp> {
        self.modified.as_ref().map(|s| s.timestamp)
    }

    /// Who last modified the record (user record name).
    pub fn modified_by(&self) -> Option<&str> {
        self.modified.as_ref()?.user_record_name.as_deref()
    }

    /// Whether the record has been saved (has a change tag).
    pub fn is_saved(&self) -> bool {
        self.change_tag.is_some()
    }

    /// Reads the metadata of a record dictionary.
    pub fn from_record(record: &Record) -> Self {
        SystemFields {
            record_name: record.record_name.clone(),
            change_tag: record.record_change_tag.clone(),
            zone_id: record.zone_id.clone(),
            created: record.created.clone(),
            modified: record.modified.clone(),
            share: record.share.clone(),
            parent: record.parent.clone(),
        }
    }

    /// Moves the metadata out of a record dictionary (for generated `from_record`).
    pub fn take_from(record: &mut Record) -> Self {
        SystemFields {
            record_name: record.record_name.take(),
            change_tag: record.record_change_tag.take(),
            zone_id: record.zone_id.take(),
            created: record.created.take(),
            modified: record.modified.take(),
            share: record.share.take(),
            parent: record.parent.take(),
        }
    }

    /// Writes the metadata a request needs into a record dictionary: name, change tag, zone
    /// and parent. Server-set keys (`created`, `modified`, `share`) are not sent.
    pub fn write_to(&self, record: &mut Record) {
        record.record_name.clone_from(&self.record_name);
        record.record_change_tag.clone_from(&self.change_tag);
        record.zone_id.clone_from(&self.zone_id);
        record.parent.clone_from(&self.parent);
    }
}
