//! Field value dictionaries: `{"value": ..., "type": "...", "isEncrypted"?: true}`.
//!
//! Decoding never loses information: an unknown `type` tag is kept with its raw JSON
//! ([`Value::Other`]), a value sent without `type` is kept as raw JSON ([`Value::Untyped`]) so
//! that a server with schema knowledge can interpret it, and `isEncrypted` is preserved.
//! Encoding always writes `value` first, then `type` (when known), then `isEncrypted` (when set),
//! the order CloudKit's own responses use.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::{DecodePaddingMode, general_purpose};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::asset::Asset;
use crate::location::Location;
use crate::reference::Reference;
use crate::timestamp::Timestamp;
use crate::vocabulary::wire_enum;

wire_enum! {
    /// Every field `type` tag this crate knows (§4.6 of the wire reference).
    closed WireType {
        /// `STRING`.
        String = "STRING",
        /// `INT64`.
        Int64 = "INT64",
        /// `DOUBLE`.
        Double = "DOUBLE",
        /// `TIMESTAMP`: integer milliseconds.
        Timestamp = "TIMESTAMP",
        /// `BYTES`: base64.
        Bytes = "BYTES",
        /// `BOOLEAN` (no schema type; rare).
        Boolean = "BOOLEAN",
        /// `REFERENCE`.
        Reference = "REFERENCE",
        /// `ASSETID`: the tag of schema `ASSET` fields.
        AssetId = "ASSETID",
        /// `ASSET`: seen on some first-party responses; same value shape as `ASSETID`.
        Asset = "ASSET",
        /// `LOCATION`.
        Location = "LOCATION",
        /// `ENCRYPTED_BYTES`: base64, first-party encrypted fields.
        EncryptedBytes = "ENCRYPTED_BYTES",
        /// `STRING_LIST`.
        StringList = "STRING_LIST",
        /// `INT64_LIST`.
        Int64List = "INT64_LIST",
        /// `DOUBLE_LIST`.
        DoubleList = "DOUBLE_LIST",
        /// `TIMESTAMP_LIST`.
        TimestampList = "TIMESTAMP_LIST",
        /// `BYTES_LIST`.
        BytesList = "BYTES_LIST",
        /// `REFERENCE_LIST`.
        ReferenceList = "REFERENCE_LIST",
        /// `ASSETID_LIST`.
        AssetIdList = "ASSETID_LIST",
        /// `LOCATION_LIST`.
        LocationList = "LOCATION_LIST",
        /// `BOOLEAN_LIST`.
        BooleanList = "BOOLEAN_LIST",
        /// `UNKNOWN_LIST`: rare, first-party data; kept as raw JSON.
        UnknownList = "UNKNOWN_LIST",
    }
}

impl WireType {
    /// The list tag whose elements have this type (`STRING` -> `STRING_LIST`); `None` for
    /// list tags and for types without a list form.
    pub const fn list_type(self) -> Option<WireType> {
        Some(match self {
            WireType::String => WireType::StringList,
            WireType::Int64 => WireType::Int64List,
            WireType::Double => WireType::DoubleList,
            WireType::Timestamp => WireType::TimestampList,
            WireType::Bytes => WireType::BytesList,
            WireType::Boolean => WireType::BooleanList,
            WireType::Reference => WireType::ReferenceList,
            WireType::AssetId | WireType::Asset => WireType::AssetIdList,
            WireType::Location => WireType::LocationList,
            _ => return None,
        })
    }

    /// The element tag of a list tag (`STRING_LIST` -> `STRING`).
    pub const fn element_type(self) -> Option<WireType> {
        Some(match self {
            WireType::StringList => WireType::String,
            WireType::Int64List => WireType::Int64,
            WireType::DoubleList => WireType::Double,
            WireType::TimestampList => WireType::Timestamp,
            WireType::BytesList => WireType::Bytes,
            WireType::BooleanList => WireType::Boolean,
            WireType::ReferenceList => WireType::Reference,
            WireType::AssetIdList => WireType::AssetId,
            WireType::LocationList => WireType::Location,
            _ => return None,
        })
    }

    /// Whether this is a list tag.
    pub const fn is_list(self) -> bool {
        matches!(self, WireType::UnknownList) || self.element_type().is_some()
    }
}

/// A piece of JSON kept verbatim (unknown type tags, untyped values, opaque server objects).
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Wraps JSON text after checking that it is valid JSON.
    pub fn from_json(json: impl Into<String>) -> Result<Self, serde_json::Error> {
        RawValue::from_string(json.into()).map(RawJson)
    }

    /// The JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// Whether the JSON is the literal `null`.
    pub fn is_null(&self) -> bool {
        self.get() == "null"
    }

    /// Decodes the JSON into a typed value.
    pub fn parse<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.get())
    }
}

impl Eq for RawJson {}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(d).map(RawJson)
    }
}

/// The decoded `value` of a field, tagged by its wire type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `STRING`.
    String(String),
    /// `INT64` (read from a JSON number or a numeric string).
    Int64(i64),
    /// `DOUBLE`. Non-finite values cannot be represented in JSON and encode as `null`.
    Double(f64),
    /// `TIMESTAMP`.
    Timestamp(Timestamp),
    /// `BYTES`.
    Bytes(Vec<u8>),
    /// `BOOLEAN`.
    Boolean(bool),
    /// `REFERENCE` (boxed, like the other dictionary values, to keep `Value` small).
    Reference(Box<Reference>),
    /// `ASSETID`.
    AssetId(Box<Asset>),
    /// `ASSET` (first-party spelling, kept so that it round-trips).
    Asset(Box<Asset>),
    /// `LOCATION`.
    Location(Box<Location>),
    /// `ENCRYPTED_BYTES`.
    EncryptedBytes(Vec<u8>),
    /// `STRING_LIST`.
    StringList(Vec<String>),
    /// `INT64_LIST`.
    Int64List(Vec<i64>),
    /// `DOUBLE_LIST`.
    DoubleList(Vec<f64>),
    /// `TIMESTAMP_LIST`.
    TimestampList(Vec<Timestamp>),
    /// `BYTES_LIST`.
    BytesList(Vec<Vec<u8>>),
    /// `REFERENCE_LIST`.
    ReferenceList(Vec<Reference>),
    /// `ASSETID_LIST`.
    AssetIdList(Vec<Asset>),
    /// `LOCATION_LIST`.
    LocationList(Vec<Location>),
    /// `BOOLEAN_LIST`.
    BooleanList(Vec<bool>),
    /// `UNKNOWN_LIST`, kept verbatim.
    UnknownList(RawJson),
    /// `"value": null` (or no `value`), with the `type` tag if one was given.
    Null(Option<WireType>),
    /// A non-null value sent without `type` (CloudKit JS does this); a server infers the type
    /// from its schema.
    Untyped(RawJson),
    /// A `type` tag this crate does not know, with the raw `value`.
    Other {
        /// The tag as sent.
        type_tag: String,
        /// The value as sent.
        value: RawJson,
    },
}

impl Value {
    /// The wire `type` tag, if the value has one.
    pub fn type_tag(&self) -> Option<&str> {
        match self {
            Value::Other { type_tag, .. } => Some(type_tag),
            Value::Untyped(_) => None,
            other => other.wire_type().map(WireType::as_str),
        }
    }

    /// The known wire type, if any.
    pub fn wire_type(&self) -> Option<WireType> {
        Some(match self {
            Value::String(_) => WireType::String,
            Value::Int64(_) => WireType::Int64,
            Value::Double(_) => WireType::Double,
            Value::Timestamp(_) => WireType::Timestamp,
            Value::Bytes(_) => WireType::Bytes,
            Value::Boolean(_) => WireType::Boolean,
            Value::Reference(_) => WireType::Reference,
            Value::AssetId(_) => WireType::AssetId,
            Value::Asset(_) => WireType::Asset,
            Value::Location(_) => WireType::Location,
            Value::EncryptedBytes(_) => WireType::EncryptedBytes,
            Value::StringList(_) => WireType::StringList,
            Value::Int64List(_) => WireType::Int64List,
            Value::DoubleList(_) => WireType::DoubleList,
            Value::TimestampList(_) => WireType::TimestampList,
            Value::BytesList(_) => WireType::BytesList,
            Value::ReferenceList(_) => WireType::ReferenceList,
            Value::AssetIdList(_) => WireType::AssetIdList,
            Value::LocationList(_) => WireType::LocationList,
            Value::BooleanList(_) => WireType::BooleanList,
            Value::UnknownList(_) => WireType::UnknownList,
            Value::Null(tag) => return *tag,
            Value::Untyped(_) | Value::Other { .. } => return None,
        })
    }

    /// Gives an untyped value (sent without `type`) the type `wire_type`, as a server with
    /// schema knowledge does: `Untyped` is decoded as that type, an untyped null becomes a typed
    /// null, and every other value is returned unchanged.
    pub fn with_type(self, wire_type: WireType) -> Result<Value, serde_json::Error> {
        match self {
            Value::Untyped(raw) => {
                let mut de = serde_json::Deserializer::from_str(raw.get());
                TypedSeed(wire_type).deserialize(&mut de)
            }
            Value::Null(None) => Ok(Value::Null(Some(wire_type))),
            other => Ok(other),
        }
    }

    /// Whether the value is null (typed or not).
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null(_))
    }

    /// A short description for error messages: the tag, `null`, or `untyped`.
    pub fn describe(&self) -> String {
        match self {
            Value::Null(Some(t)) => format!("null {t}"),
            Value::Null(None) => "null".to_owned(),
            Value::Untyped(raw) => format!("untyped value {}", truncate(raw.get())),
            other => other.type_tag().unwrap_or("untyped").to_owned(),
        }
    }
}

macro_rules! value_from {
    ($($t:ty => |$v:ident| $e:expr;)*) => {$(
        impl From<$t> for Value {
            fn from($v: $t) -> Self {
                $e
            }
        }
    )*};
}

value_from! {
    String => |v| Value::String(v);
    &str => |v| Value::String(v.to_owned());
    i64 => |v| Value::Int64(v);
    f64 => |v| Value::Double(v);
    Timestamp => |v| Value::Timestamp(v);
    Asset => |v| Value::AssetId(Box::new(v));
    Location => |v| Value::Location(Box::new(v));
    Vec<String> => |v| Value::StringList(v);
    Vec<i64> => |v| Value::Int64List(v);
    Vec<f64> => |v| Value::DoubleList(v);
    Vec<Timestamp> => |v| Value::TimestampList(v);
}

impl<T> From<Reference<T>> for Value {
    fn from(v: Reference<T>) -> Self {
        Value::Reference(Box::new(v.cast()))
    }
}

fn truncate(text: &str) -> &str {
    match text.char_indices().nth(40) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// A field value dictionary: a [`Value`] plus the `isEncrypted` flag.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldValue {
    /// The value and its type.
    pub value: Value,
    /// `isEncrypted: true`: the field is encrypted at rest (values are plaintext on the wire).
    pub is_encrypted: bool,
}

impl FieldValue {
    /// A plain (not encrypted) field value.
    pub const fn new(value: Value) -> Self {
        FieldValue {
            value,
            is_encrypted: false,
        }
    }

    /// A typed null (`{"value": null, "type": ...}`), used to clear a field.
    pub const fn null(wire_type: WireType) -> Self {
        FieldValue::new(Value::Null(Some(wire_type)))
    }

    /// Marks the value as belonging to an encrypted field.
    pub fn encrypted(mut self) -> Self {
        self.is_encrypted = true;
        self
    }
}

impl From<Value> for FieldValue {
    fn from(value: Value) -> Self {
        FieldValue::new(value)
    }
}

// ---------------------------------------------------------------------------------------------
// Encoding

/// Standard base64 with padding on output.
pub(crate) struct B64<'a>(pub(crate) &'a [u8]);

impl Serialize for B64<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Encoding into a buffer first measured faster than streaming through `collect_str`.
        s.serialize_str(&STANDARD.encode(self.0))
    }
}

pub(crate) struct B64List<'a>(pub(crate) &'a [Vec<u8>]);

impl Serialize for B64List<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for bytes in self.0 {
            seq.serialize_element(&B64(bytes))?;
        }
        seq.end()
    }
}

impl Serialize for FieldValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let has_tag = !matches!(self.value, Value::Untyped(_) | Value::Null(None));
        let len = 1 + usize::from(has_tag) + usize::from(self.is_encrypted);
        let mut map = s.serialize_map(Some(len))?;
        // One match writes both `value` and `type`: dispatching on the variant twice (once for
        // the value, once for the tag) measured slower on record-heavy bodies.
        match &self.value {
            Value::String(v) => tagged(&mut map, v, WireType::String),
            Value::Int64(v) => tagged(&mut map, v, WireType::Int64),
            Value::Double(v) => tagged(&mut map, v, WireType::Double),
            Value::Timestamp(v) => tagged(&mut map, v, WireType::Timestamp),
            Value::Bytes(v) => tagged(&mut map, &B64(v), WireType::Bytes),
            Value::EncryptedBytes(v) => tagged(&mut map, &B64(v), WireType::EncryptedBytes),
            Value::Boolean(v) => tagged(&mut map, v, WireType::Boolean),
            Value::Reference(v) => tagged(&mut map, v, WireType::Reference),
            Value::AssetId(v) => tagged(&mut map, v, WireType::AssetId),
            Value::Asset(v) => tagged(&mut map, v, WireType::Asset),
            Value::Location(v) => tagged(&mut map, v, WireType::Location),
            Value::StringList(v) => tagged(&mut map, v, WireType::StringList),
            Value::Int64List(v) => tagged(&mut map, v, WireType::Int64List),
            Value::DoubleList(v) => tagged(&mut map, v, WireType::DoubleList),
            Value::TimestampList(v) => tagged(&mut map, v, WireType::TimestampList),
            Value::BytesList(v) => tagged(&mut map, &B64List(v), WireType::BytesList),
            Value::ReferenceList(v) => tagged(&mut map, v, WireType::ReferenceList),
            Value::AssetIdList(v) => tagged(&mut map, v, WireType::AssetIdList),
            Value::LocationList(v) => tagged(&mut map, v, WireType::LocationList),
            Value::BooleanList(v) => tagged(&mut map, v, WireType::BooleanList),
            Value::UnknownList(raw) => tagged(&mut map, raw, WireType::UnknownList),
            Value::Null(Some(tag)) => tagged(&mut map, &(), *tag),
            Value::Null(None) => map.serialize_entry("value", &()),
            Value::Untyped(raw) => map.serialize_entry("value", raw),
            Value::Other { type_tag, value } => {
                map.serialize_entry("value", value)?;
                map.serialize_entry("type", type_tag)
            }
        }?;
        if self.is_encrypted {
            map.serialize_entry("isEncrypted", &true)?;
        }
        map.end()
    }
}

/// Writes `"value": value, "type": tag`.
#[inline(always)]
fn tagged<M: SerializeMap, T: Serialize + ?Sized>(
    map: &mut M,
    value: &T,
    tag: WireType,
) -> Result<(), M::Error> {
    map.serialize_entry("value", value)?;
    map.serialize_entry("type", tag.as_str())
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// Standard alphabet, padding optional (some clients strip it).
const B64_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// URL-safe alphabet, padding optional: accepted on read as a fallback (unconfirmed on the wire).
const B64_URL_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    general_purpose::NO_PAD.with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes base64 bytes as CloudKit sends them.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    B64_LENIENT
        .decode(text)
        .or_else(|first| B64_URL_LENIENT.decode(text).map_err(|_| first))
}

pub(crate) struct BytesIn(Vec<u8>);

impl<'de> Deserialize<'de> for BytesIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(d)?;
        decode_base64(&text)
            .map(BytesIn)
            .map_err(|e| de::Error::custom(format_args!("invalid base64: {e}")))
    }
}

impl From<BytesIn> for Vec<u8> {
    fn from(v: BytesIn) -> Self {
        v.0
    }
}

/// An `i64` from a JSON integer or a numeric string (`numbersAsStrings`).
pub(crate) struct Int64In(i64);

impl From<Int64In> for i64 {
    fn from(v: Int64In) -> Self {
        v.0
    }
}

impl<'de> Deserialize<'de> for Int64In {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Int64In;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a 64-bit integer or a numeric string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int64In, E> {
                Ok(Int64In(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int64In, E> {
                i64::try_from(v)
                    .map(Int64In)
                    .map_err(|_| E::custom(format_args!("{v} does not fit INT64")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Int64In, E> {
                v.parse()
                    .map(Int64In)
                    .map_err(|_| E::custom(format_args!("`{v}` is not an INT64")))
            }
        }
        d.deserialize_any(V)
    }
}

/// An `f64` from a JSON number or a numeric string (`numbersAsStrings`).
pub(crate) struct DoubleIn(f64);

impl From<DoubleIn> for f64 {
    fn from(v: DoubleIn) -> Self {
        v.0
    }
}

impl<'de> Deserialize<'de> for DoubleIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DoubleIn;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a numeric string")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DoubleIn, E> {
                Ok(DoubleIn(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DoubleIn, E> {
                Ok(DoubleIn(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DoubleIn, E> {
                Ok(DoubleIn(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DoubleIn, E> {
                v.parse()
                    .map(DoubleIn)
                    .map_err(|_| E::custom(format_args!("`{v}` is not a DOUBLE")))
            }
        }
        d.deserialize_any(V)
    }
}

/// A JSON array whose elements decode as `E` and are stored as `T`: one vector, no second pass
/// to unwrap the element decoders.
struct ListOf<E, T>(PhantomData<fn(E) -> T>);

impl<E, T> ListOf<E, T> {
    const fn new() -> Self {
        ListOf(PhantomData)
    }
}

impl<'de, E: Deserialize<'de> + Into<T>, T> DeserializeSeed<'de> for ListOf<E, T> {
    type Value = Vec<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, E: Deserialize<'de> + Into<T>, T> Visitor<'de> for ListOf<E, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // The hint is exact for pending values and absent from serde_json; cap it so that a
        // hostile hint cannot reserve much.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(element) = seq.next_element::<E>()? {
            out.push(element.into());
        }
        Ok(out)
    }
}

/// Decodes a nullable list: `null` is a typed null.
fn opt_list<'de, E, T, D>(d: D, tag: WireType, wrap: fn(Vec<T>) -> Value) -> Result<Value, D::Error>
where
    E: Deserialize<'de> + Into<T>,
    D: Deserializer<'de>,
{
    struct V<E, T>(WireType, fn(Vec<T>) -> Value, PhantomData<fn(E)>);
    impl<'de, E: Deserialize<'de> + Into<T>, T> Visitor<'de> for V<E, T> {
        type Value = Value;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list or null")
        }
        fn visit_none<Er: de::Error>(self) -> Result<Value, Er> {
            Ok(Value::Null(Some(self.0)))
        }
        fn visit_unit<Er: de::Error>(self) -> Result<Value, Er> {
            Ok(Value::Null(Some(self.0)))
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Value, D2::Error> {
            ListOf::<E, T>::new().deserialize(d).map(self.1)
        }
    }
    d.deserialize_option(V::<E, T>(tag, wrap, PhantomData))
}

/// The `type` of a field value dictionary, read without allocating for known tags.
enum Tag {
    Known(WireType),
    Unknown(String),
}

impl<'de> Deserialize<'de> for Tag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Tag;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field type tag")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Tag, E> {
                Ok(match WireType::from_wire(v) {
                    Some(t) => Tag::Known(t),
                    None => Tag::Unknown(v.to_owned()),
                })
            }
        }
        d.deserialize_str(V)
    }
}

/// Decodes a `value` once its known `type` is known.
struct TypedSeed(WireType);

fn opt<'de, T, D, F>(d: D, tag: WireType, wrap: F) -> Result<Value, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
    F: FnOnce(T) -> Value,
{
    Ok(match Option::<T>::deserialize(d)? {
        Some(v) => wrap(v),
        None => Value::Null(Some(tag)),
    })
}

impl<'de> DeserializeSeed<'de> for TypedSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        let tag = self.0;
        match tag {
            WireType::String => opt(d, tag, Value::String),
            WireType::Int64 => opt(d, tag, |v: Int64In| Value::Int64(v.0)),
            WireType::Double => opt(d, tag, |v: DoubleIn| Value::Double(v.0)),
            WireType::Timestamp => opt(d, tag, Value::Timestamp),
            WireType::Bytes => opt(d, tag, |v: BytesIn| Value::Bytes(v.0)),
            WireType::EncryptedBytes => opt(d, tag, |v: BytesIn| Value::EncryptedBytes(v.0)),
            WireType::Boolean => opt(d, tag, Value::Boolean),
            WireType::Reference => opt(d, tag, Value::Reference),
            WireType::AssetId => opt(d, tag, Value::AssetId),
            WireType::Asset => opt(d, tag, Value::Asset),
            WireType::Location => opt(d, tag, Value::Location),
            WireType::StringList => opt(d, tag, Value::StringList),
            WireType::Int64List => opt_list::<Int64In, i64, _>(d, tag, Value::Int64List),
            WireType::DoubleList => opt_list::<DoubleIn, f64, _>(d, tag, Value::DoubleList),
            WireType::TimestampList => opt(d, tag, Value::TimestampList),
            WireType::BytesList => opt_list::<BytesIn, Vec<u8>, _>(d, tag, Value::BytesList),
            WireType::ReferenceList => opt(d, tag, Value::ReferenceList),
            WireType::AssetIdList => opt(d, tag, Value::AssetIdList),
            WireType::LocationList => opt(d, tag, Value::LocationList),
            WireType::BooleanList => opt(d, tag, Value::BooleanList),
            WireType::UnknownList => {
                let raw = RawJson::deserialize(d)?;
                Ok(if raw.is_null() {
                    Value::Null(Some(tag))
                } else {
                    Value::UnknownList(raw)
                })
            }
        }
    }
}

/// The keys of a field value dictionary.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
pub(crate) enum FieldKey {
    Value,
    Type,
    IsEncrypted,
    #[serde(other)]
    Unknown,
}

impl<'de> Deserialize<'de> for FieldValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        FieldValueSeed::new(&mut Scratch::default()).deserialize(d)
    }
}

/// Decodes a [`FieldValue`] using a buffer that the fields of a record share.
pub(crate) struct FieldValueSeed<'a, 'de> {
    scratch: &'a mut Scratch<'de>,
    /// The type the schema gives the field, when the caller knows it.
    expected: Option<WireType>,
}

impl<'a, 'de> FieldValueSeed<'a, 'de> {
    /// For a field of any type.
    pub(crate) fn new(scratch: &'a mut Scratch<'de>) -> Self {
        FieldValueSeed {
            scratch,
            expected: None,
        }
    }

    /// For a field the schema says is of type `expected`: a `value` read before its `type`
    /// is decoded as `expected` straight away when it has that shape. The result is the same
    /// as without the hint.
    pub(crate) fn expecting(scratch: &'a mut Scratch<'de>, expected: WireType) -> Self {
        FieldValueSeed {
            scratch,
            expected: pending::is_direct_scalar(expected).then_some(expected),
        }
    }
}

impl<'de> DeserializeSeed<'de> for FieldValueSeed<'_, 'de> {
    type Value = FieldValue;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<FieldValue, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FieldValueSeed<'_, 'de> {
    type Value = FieldValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field value dictionary {\"value\", \"type\"}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FieldValue, A::Error> {
        let scratch = self.scratch;
        let mut tag: Option<Tag> = None;
        let mut decoded: Option<Value> = None;
        // Decoded as the expected type before `type` was read; to be confirmed by it.
        let mut guessed: Option<(Value, WireType)> = None;
        let mut captured = false;
        let mut is_encrypted = false;
        while let Some(key) = map.next_key::<FieldKey>()? {
            match key {
                FieldKey::Value => {
                    if decoded.is_some() || guessed.is_some() || captured {
                        return Err(de::Error::duplicate_field("value"));
                    }
                    // Fast path: `type` came first, decode straight into the typed form.
                    match (&tag, self.expected) {
                        (Some(Tag::Known(t)), _) => {
                            decoded = Some(map.next_value_seed(TypedSeed(*t))?);
                        }
                        (None, Some(expected)) => {
                            match scratch.read_expecting(&mut map, expected)? {
                                Some(value) => guessed = Some((value, expected)),
                                None => captured = true,
                            }
                        }
                        _ => {
                            scratch.capture(&mut map)?;
                            captured = true;
                        }
                    }
                }
                FieldKey::Type => {
                    if tag.is_some() {
                        return Err(de::Error::duplicate_field("type"));
                    }
                    tag = map.next_value::<Option<Tag>>()?;
                }
                FieldKey::IsEncrypted => {
                    is_encrypted = map.next_value::<Option<bool>>()?.unwrap_or(false);
                }
                FieldKey::Unknown => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let pending = match guessed {
            Some((value, expected)) => match &tag {
                Some(Tag::Known(t)) if *t == expected => {
                    return Ok(FieldValue {
                        value,
                        is_encrypted,
                    });
                }
                // Another type (or none): decode again from the JSON form.
                _ => {
                    scratch.put_back(value);
                    Some(scratch.pending())
                }
            },
            None => captured.then(|| scratch.pending()),
        };
        let value = match (decoded, pending, tag) {
            (Some(v), _, _) => v,
            (None, Some(p), Some(Tag::Known(t))) => p
                .into_value(t)
                .map_err(|e| de::Error::custom(format_args!("{t} field value: {e}")))?,
            (None, Some(p), Some(Tag::Unknown(type_tag))) => Value::Other {
                type_tag,
                value: p.into_raw().map_err(de::Error::custom)?,
            },
            (None, Some(p), None) if p.is_null() => Value::Null(None),
            (None, Some(p), None) => Value::Untyped(p.into_raw().map_err(de::Error::custom)?),
            (None, None, Some(Tag::Known(t))) => Value::Null(Some(t)),
            (None, None, Some(Tag::Unknown(type_tag))) => Value::Other {
                type_tag,
                value: RawJson::from_json("null").map_err(de::Error::custom)?,
            },
            (None, None, None) => Value::Null(None),
        };
        Ok(FieldValue {
            value,
            is_encrypted,
        })
    }
}

/// A `type` that must be this one.
pub(crate) struct ExactTag(pub(crate) WireType);

impl<'de> DeserializeSeed<'de> for ExactTag {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for ExactTag {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the type tag {}", self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if v == self.0.as_str() {
            Ok(())
        } else {
            Err(E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }
}

mod pending;

pub(crate) use pending::Scratch;

#[cfg(test)]
mod tests;
