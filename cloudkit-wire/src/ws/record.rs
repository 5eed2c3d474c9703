//! Record dictionaries, tombstones and record result arrays (§4.1, §4.2, §5.3).

use std::fmt;

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::{ErrorDictionary, ServerError, ServerErrorCode};
use super::fields::Fields;
use super::share::{ForRecord, Participant, Permission};
use super::value::{FieldValue, RawJson};
use crate::decode_error::DecodeError;
use crate::reference::Reference;
use crate::timestamp::Timestamp;
use crate::zone::ZoneId;

/// `created` / `modified`: when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordStamp {
    /// When.
    pub timestamp: Timestamp,
    /// Who (user record name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_record_name: Option<String>,
    /// Which device.
    #[serde(rename = "deviceID", default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
}

/// A record dictionary (request and response side).
///
/// `fields` is omitted on output when empty: for `create` and `replace` an absent `fields`
/// means the same as `{}`, and `delete` must not carry fields.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    /// Record name; the server assigns one on create if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_name: Option<String>,
    /// Record type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_type: Option<String>,
    /// Change tag (version) of the stored record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_change_tag: Option<String>,
    /// Field values.
    #[serde(default, skip_serializing_if = "Fields::is_empty")]
    pub fields: Fields,
    /// Creation audit info (responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<RecordStamp>,
    /// Modification audit info (responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<RecordStamp>,
    /// True on tombstones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
    /// Zone of the record.
    #[serde(rename = "zoneID", default, skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<ZoneId>,
    /// Parent in a share hierarchy (`{"recordName"}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Reference>,
    /// The share record of a shared record (`{"recordName", "zoneID"?}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Reference>,
    /// Share identifier.
    #[serde(rename = "shortGUID", default, skip_serializing_if = "Option::is_none")]
    pub short_guid: Option<String>,
    /// Set on create to make the record shareable.
    #[serde(
        rename = "createShortGUID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub create_short_guid: Option<bool>,
    /// Seen on first-party records; meaning unknown, kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin_fields: Option<RawJson>,
    /// Share records: the root being shared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_record: Option<ForRecord>,
    /// Share records: access for anyone with the URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_permission: Option<Permission>,
    /// Share records: participants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<Participant>>,
    /// Share records: the owner (boxed: rare and large).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Box<Participant>>,
    /// Share records: the caller as a participant (boxed: rare and large).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_user_participant: Option<Box<Participant>>,
}

impl Record {
    /// A new record of a type, without a name (the server assigns one).
    pub fn new(record_type: impl Into<String>) -> Self {
        Record {
            record_type: Some(record_type.into()),
            ..Record::default()
        }
    }

    /// A record of a type with a name.
    pub fn named(record_type: impl Into<String>, record_name: impl Into<String>) -> Self {
        Record {
            record_name: Some(record_name.into()),
            ..Record::new(record_type)
        }
    }

    /// Sets a field (builder style).
    pub fn with_field(mut self, name: impl AsRef<str>, value: impl Into<FieldValue>) -> Self {
        self.fields.insert(name, value.into());
        self
    }

    /// Whether this is a tombstone.
    pub fn is_deleted(&self) -> bool {
        self.deleted == Some(true)
    }
}

/// A deleted record in a change feed or a delete echo: `{"recordName", "deleted": true,
/// "zoneID"?}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tombstone {
    /// Name of the deleted record.
    pub record_name: String,
    /// Its zone.
    #[serde(rename = "zoneID", default)]
    pub zone_id: Option<ZoneId>,
}

impl Serialize for Tombstone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("recordName", &self.record_name)?;
        map.serialize_entry("deleted", &true)?;
        if let Some(zone) = &self.zone_id {
            map.serialize_entry("zoneID", zone)?;
        }
        map.end()
    }
}

/// A successful element of a `records` array: a record, or a tombstone.
///
/// `R` is the record dictionary ([`Record`]) unless the array was decoded straight into a
/// `CloudKitRecord` type (see [`TypedRecordsResponse`](super::TypedRecordsResponse)).
// Not boxed: nearly every element is a record, so boxing would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum RecordEntry<R = Record> {
    /// A record (also a bare `{"recordName"}` delete echo).
    Record(R),
    /// A deleted record.
    Tombstone(Tombstone),
}

impl RecordEntry {
    /// The record name.
    pub fn record_name(&self) -> Option<&str> {
        match self {
            RecordEntry::Record(r) => r.record_name.as_deref(),
            RecordEntry::Tombstone(t) => Some(&t.record_name),
        }
    }

    /// The record, if this is not a tombstone.
    pub fn into_record(self) -> Option<Record> {
        match self {
            RecordEntry::Record(r) => Some(r),
            RecordEntry::Tombstone(_) => None,
        }
    }
}

impl<R: Serialize> Serialize for RecordEntry<R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RecordEntry::Record(r) => r.serialize(s),
            RecordEntry::Tombstone(t) => t.serialize(s),
        }
    }
}

/// One element of a `records` response array: a record or tombstone, or the error for that
/// record.
pub type RecordResult = Result<RecordEntry, ServerError>;

/// One element of a `records` array decoded into `T`: the value (or why it did not fit `T`),
/// a tombstone, or the server's error for that record.
pub type TypedRecordResult<T> = Result<RecordEntry<Result<T, DecodeError>>, ServerError>;

/// Every key a `records` element can have; classified after one pass over the JSON.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AnyRecordElement {
    #[serde(default)]
    record_name: Option<String>,
    #[serde(default)]
    record_type: Option<String>,
    #[serde(default)]
    record_change_tag: Option<String>,
    #[serde(default)]
    fields: Option<Fields>,
    #[serde(default)]
    created: Option<RecordStamp>,
    #[serde(default)]
    modified: Option<RecordStamp>,
    #[serde(default)]
    deleted: Option<bool>,
    #[serde(rename = "zoneID", default)]
    zone_id: Option<ZoneId>,
    #[serde(default)]
    parent: Option<Reference>,
    #[serde(default)]
    share: Option<Reference>,
    #[serde(rename = "shortGUID", default)]
    short_guid: Option<String>,
    #[serde(rename = "createShortGUID", default)]
    create_short_guid: Option<bool>,
    #[serde(default)]
    plugin_fields: Option<RawJson>,
    #[serde(default)]
    for_record: Option<ForRecord>,
    #[serde(default)]
    public_permission: Option<Permission>,
    #[serde(default)]
    participants: Option<Vec<Participant>>,
    #[serde(default)]
    owner: Option<Box<Participant>>,
    #[serde(default)]
    current_user_participant: Option<Box<Participant>>,
    // Error dictionary keys.
    #[serde(default)]
    server_error_code: Option<ServerErrorCode>,
    #[serde(default)]
    extension_error_code: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    retry_after: Option<f64>,
    #[serde(default)]
    uuid: Option<String>,
    #[serde(rename = "redirectURL", alias = "redirectUrl", default)]
    redirect_url: Option<String>,
}

impl AnyRecordElement {
    /// Splits off the error dictionary and the tombstone; `build` makes the record of the
    /// rest.
    pub(crate) fn classify_with<R>(
        mut self,
        build: impl FnOnce(Self) -> R,
    ) -> Result<RecordEntry<R>, ServerError> {
        if self.server_error_code.is_some() || self.extension_error_code.is_some() {
            return Err(ServerError::from(ErrorDictionary {
                record_name: self.record_name,
                subscription_id: None,
                zone_id: self.zone_id,
                server_error_code: self.server_error_code,
                extension_error_code: self.extension_error_code,
                reason: self.reason,
                retry_after: self.retry_after,
                uuid: self.uuid,
                redirect_url: self.redirect_url,
            }));
        }
        let looks_deleted = self.deleted == Some(true)
            && self.record_type.is_none()
            && self.fields.as_ref().is_none_or(Fields::is_empty);
        if looks_deleted && let Some(record_name) = self.record_name.take() {
            return Ok(RecordEntry::Tombstone(Tombstone {
                record_name,
                zone_id: self.zone_id,
            }));
        }
        Ok(RecordEntry::Record(build(self)))
    }

    fn classify(self) -> RecordResult {
        self.classify_with(Self::into_record)
    }

    pub(crate) fn into_record(self) -> Record {
        Record {
            record_name: self.record_name,
            record_type: self.record_type,
            record_change_tag: self.record_change_tag,
            fields: self.fields.unwrap_or_default(),
            created: self.created,
            modified: self.modified,
            deleted: self.deleted,
            zone_id: self.zone_id,
            parent: self.parent,
            share: self.share,
            short_guid: self.short_guid,
            create_short_guid: self.create_short_guid,
            plugin_fields: self.plugin_fields,
            for_record: self.for_record,
            public_permission: self.public_permission,
            participants: self.participants,
            owner: self.owner,
            current_user_participant: self.current_user_participant,
        }
    }
}

/// `#[serde(with = "record_results")]` for `Vec<RecordResult>` fields.
pub(crate) mod record_results {
    use super::*;
    use crate::ws::item::Element;

    pub(crate) fn serialize<S: Serializer>(
        items: &[RecordResult],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(items.len()))?;
        for item in items {
            seq.serialize_element(&Element(item))?;
        }
        seq.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<RecordResult>, D::Error> {
        d.deserialize_any(RecordsArray(DynamicElement))
    }

    /// One element as a [`Record`], classified.
    #[derive(Clone, Copy)]
    struct DynamicElement;

    impl<'de> DeserializeSeed<'de> for DynamicElement {
        type Value = RecordResult;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RecordResult, D::Error> {
            AnyRecordElement::deserialize(d).map(AnyRecordElement::classify)
        }
    }
}

/// A `records` array whose elements the seed `E` reads; `null` reads as no elements.
pub(crate) struct RecordsArray<E>(pub(crate) E);

impl<'de, E: DeserializeSeed<'de> + Copy> Visitor<'de> for RecordsArray<E> {
    type Value = Vec<E::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of records, tombstones and record errors")
    }

    fn visit_unit<Er: serde::de::Error>(self) -> Result<Self::Value, Er> {
        Ok(Vec::new())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(element) = seq.next_element_seed(self.0)? {
            out.push(element);
        }
        Ok(out)
    }
}

/// Decodes one element of a `records` array (for callers holding a single element).
pub fn decode_record_element(json: &str) -> serde_json::Result<RecordResult> {
    serde_json::from_str::<AnyRecordElement>(json).map(AnyRecordElement::classify)
}
