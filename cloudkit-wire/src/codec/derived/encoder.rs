//! The derive's record encoder: a struct written as its record dictionary straight from its
//! fields, the same JSON as `to_record` then serializing, without copying any value.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::field::Codec;
use crate::asset::Asset;
use crate::codec::ValueSink;
use crate::codec::kind::Kind;
use crate::location::Location;
use crate::record::SystemFields;
use crate::reference::ReferenceAction;
use crate::timestamp::Timestamp;
use crate::ws::{B64, B64List, FieldValue, WireType};
use crate::zone::ZoneId;

/// One field of a struct being written: its name, value and codec, with the Rust type
/// erased so that a record's fields fit in one slice.
pub trait WriteField {
    /// Whether the field is written (`None` is left out).
    fn is_present(&self) -> bool;
    /// Writes the field value dictionary.
    fn write(&self, sink: &mut dyn ValueSink);
    /// The field name.
    fn name(&self) -> &'static str;
    /// The schema's wire type of the field.
    fn wire_type(&self) -> WireType;
    /// Whether the schema type is `ENCRYPTED`.
    fn is_encrypted(&self) -> bool;
}

/// A field of a struct, bound to its codec.
pub struct FieldRef<'a, K: Kind, T> {
    name: &'static str,
    value: &'a T,
    codec: Codec<K, T>,
    encrypted: bool,
}

impl<'a, K: Kind, T> FieldRef<'a, K, T> {
    /// A plain field.
    pub const fn new(name: &'static str, value: &'a T, codec: Codec<K, T>) -> Self {
        FieldRef {
            name,
            value,
            codec,
            encrypted: false,
        }
    }

    /// A field of an `ENCRYPTED` schema type (written with `isEncrypted: true`).
    pub const fn encrypted(name: &'static str, value: &'a T, codec: Codec<K, T>) -> Self {
        FieldRef {
            name,
            value,
            codec,
            encrypted: true,
        }
    }
}

impl<K: Kind, T> WriteField for FieldRef<'_, K, T> {
    fn is_present(&self) -> bool {
        self.codec.is_present(self.value)
    }

    fn write(&self, sink: &mut dyn ValueSink) {
        self.codec.write(self.value, sink);
    }

    fn name(&self) -> &'static str {
        self.name
    }

    fn wire_type(&self) -> WireType {
        K::WIRE_TYPE
    }

    fn is_encrypted(&self) -> bool {
        self.encrypted
    }
}

/// Writes a record dictionary: the keys `to_record` sets, in the order `Record` writes them
/// (`recordName`, `recordType`, `recordChangeTag`, `fields`, `zoneID`, `parent`).
pub fn serialize_record<S: Serializer>(
    s: S,
    record_type: &'static str,
    system: Option<&SystemFields>,
    fields: &[&dyn WriteField],
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(None)?;
    if let Some(name) = system.and_then(|sys| sys.record_name.as_ref()) {
        map.serialize_entry("recordName", name)?;
    }
    map.serialize_entry("recordType", record_type)?;
    if let Some(tag) = system.and_then(|sys| sys.change_tag.as_ref()) {
        map.serialize_entry("recordChangeTag", tag)?;
    }
    // `Record` leaves out an empty `fields`.
    if fields.iter().any(|f| f.is_present()) {
        map.serialize_entry("fields", &Fields(fields))?;
    }
    if let Some(zone) = system.and_then(|sys| sys.zone_id.as_ref()) {
        map.serialize_entry("zoneID", zone)?;
    }
    if let Some(parent) = system.and_then(|sys| sys.parent.as_ref()) {
        map.serialize_entry("parent", parent)?;
    }
    map.end()
}

/// The `fields` object.
struct Fields<'a>(&'a [&'a dyn WriteField]);

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for field in self.0.iter().filter(|f| f.is_present()) {
            map.serialize_entry(field.name(), &Field(*field))?;
        }
        map.end()
    }
}

/// One field value dictionary.
struct Field<'a>(&'a dyn WriteField);

impl Serialize for Field<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut sink = Sink {
            serializer: Some(s),
            wire_type: self.0.wire_type(),
            encrypted: self.0.is_encrypted(),
            written: None,
        };
        self.0.write(&mut sink);
        match sink.written {
            Some(result) => result,
            None => Err(serde::ser::Error::custom(format_args!(
                "field `{}`: its codec wrote no value",
                self.0.name()
            ))),
        }
    }
}

/// Writes the one field value dictionary of a field into a serializer.
struct Sink<S: Serializer> {
    serializer: Option<S>,
    wire_type: WireType,
    encrypted: bool,
    written: Option<Result<S::Ok, S::Error>>,
}

impl<S: Serializer> Sink<S> {
    /// `{"value": value, "type": …, "isEncrypted": true?}`, in `FieldValue`'s key order.
    fn put<V: Serialize + ?Sized>(&mut self, value: &V) {
        if let Some(s) = self.serializer.take() {
            self.written = Some(write_dictionary(s, value, self.wire_type, self.encrypted));
        }
    }
}

fn write_dictionary<S: Serializer, V: Serialize + ?Sized>(
    s: S,
    value: &V,
    wire_type: WireType,
    encrypted: bool,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(2 + usize::from(encrypted)))?;
    map.serialize_entry("value", value)?;
    map.serialize_entry("type", wire_type.as_str())?;
    if encrypted {
        map.serialize_entry("isEncrypted", &true)?;
    }
    map.end()
}

/// A reference dictionary from borrowed parts, written as `Reference` writes itself.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReferenceParts<'a> {
    record_name: &'a str,
    #[serde(rename = "zoneID", skip_serializing_if = "Option::is_none")]
    zone_id: Option<&'a ZoneId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<ReferenceAction>,
}

impl<S: Serializer> ValueSink for Sink<S> {
    fn string(&mut self, v: &str) {
        self.put(v);
    }

    fn int64(&mut self, v: i64) {
        self.put(&v);
    }

    fn double(&mut self, v: f64) {
        self.put(&v);
    }

    fn timestamp(&mut self, v: Timestamp) {
        self.put(&v);
    }

    fn bytes(&mut self, v: &[u8]) {
        self.put(&B64(v));
    }

    fn reference(
        &mut self,
        record_name: &str,
        zone_id: Option<&ZoneId>,
        action: Option<ReferenceAction>,
    ) {
        self.put(&ReferenceParts {
            record_name,
            zone_id,
            action,
        });
    }

    fn asset(&mut self, v: &Asset) {
        self.put(v);
    }

    fn location(&mut self, v: &Location) {
        self.put(v);
    }

    fn strings(&mut self, v: &[String]) {
        self.put(v);
    }

    fn int64s(&mut self, v: &[i64]) {
        self.put(v);
    }

    fn doubles(&mut self, v: &[f64]) {
        self.put(v);
    }

    fn timestamps(&mut self, v: &[Timestamp]) {
        self.put(v);
    }

    fn bytes_list(&mut self, v: &[Vec<u8>]) {
        self.put(&B64List(v));
    }

    fn assets(&mut self, v: &[Asset]) {
        self.put(v);
    }

    fn locations(&mut self, v: &[Location]) {
        self.put(v);
    }

    fn field_value(&mut self, v: FieldValue) {
        if let Some(s) = self.serializer.take() {
            let v = if self.encrypted { v.encrypted() } else { v };
            self.written = Some(v.serialize(s));
        }
    }
}
