//! The model of a field value: [`Value`] (the `value`, tagged by its type) and
//! [`FieldValue`] (plus `isEncrypted`). Their JSON forms are in `encode` and `decode`.

use super::raw_json::RawJson;
use super::wire_type::WireType;
use crate::asset::Asset;
use crate::location::Location;
use crate::reference::Reference;
use crate::timestamp::Timestamp;

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
