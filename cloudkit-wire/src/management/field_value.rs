//! v1 field values (spec §6): `{"type": "int64Type", "value": 42}`, with the 29 `…Type` names
//! and `value` left out for a null field.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::de::{DeserializeOwned, Error as _};
use serde::ser::SerializeMap as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::number::Double;
use super::reference::{Asset, Location, RecordReference};

/// A v1 field value. Each variant holds a present value; a null field is [`FieldValue::Null`]
/// with its type, sent as `{"type": …}` without `value` (spec §6.1).
///
/// Timestamps are ISO-8601 text as the server sent it (`2024-01-01T12:00:00.000Z`); send UTC
/// with milliseconds and `Z`, as `Date.toISOString()` writes (§6.3).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FieldValue {
    /// `stringType`.
    String(String),
    /// `int64Type`, exact to 64 bits.
    Int64(i64),
    /// `doubleType`.
    Double(f64),
    /// `timestampType`: ISO-8601 text.
    Timestamp(String),
    /// `bytesType`: raw bytes, base64 on the wire.
    Bytes(Vec<u8>),
    /// `referenceType`.
    Reference(RecordReference),
    /// `assetType`.
    Asset(Asset),
    /// `locationType`.
    Location(Location),
    /// `stringListType`.
    StringList(Vec<String>),
    /// `int64ListType`.
    Int64List(Vec<i64>),
    /// `doubleListType`.
    DoubleList(Vec<f64>),
    /// `timestampListType`.
    TimestampList(Vec<String>),
    /// `bytesListType`.
    BytesList(Vec<Vec<u8>>),
    /// `referenceListType`.
    ReferenceList(Vec<RecordReference>),
    /// `assetListType`.
    AssetList(Vec<Asset>),
    /// `locationListType`.
    LocationList(Vec<Location>),
    /// `emptyListType`: `[]`, for writing an empty list of any element type.
    EmptyList,
    /// `encryptedStringType`.
    EncryptedString(String),
    /// `encryptedNumberInt64Type`.
    EncryptedInt64(i64),
    /// `encryptedNumberDoubleType`.
    EncryptedDouble(f64),
    /// `encryptedTimestampType`.
    EncryptedTimestamp(String),
    /// `encryptedBytesType`.
    EncryptedBytes(Vec<u8>),
    /// `encryptedLocationType`.
    EncryptedLocation(Location),
    /// `encryptedStringListType`.
    EncryptedStringList(Vec<String>),
    /// `encryptedNumberInt64ListType`.
    EncryptedInt64List(Vec<i64>),
    /// `encryptedNumberDoubleListType`.
    EncryptedDoubleList(Vec<f64>),
    /// `encryptedTimestampListType`.
    EncryptedTimestampList(Vec<String>),
    /// `encryptedBytesListType`.
    EncryptedBytesList(Vec<Vec<u8>>),
    /// `encryptedLocationListType`.
    EncryptedLocationList(Vec<Location>),
    /// A null value of the given type.
    Null(FieldType),
}

macro_rules! field_types {
    ($($variant:ident => $name:literal,)*) => {
        /// The 29 v1 field value type names (spec §6.2), matched exactly.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum FieldType {
            $(
                #[doc = concat!("`", $name, "`.")]
                $variant,
            )*
        }

        impl FieldType {
            /// Every type, in the spec's order.
            pub const ALL: [FieldType; 29] = [$(FieldType::$variant,)*];

            /// The wire name, e.g. `int64Type`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(FieldType::$variant => $name,)*
                }
            }

            /// The type of a wire name; exact, case-sensitive match.
            pub fn from_wire(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(FieldType::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

field_types! {
    String => "stringType",
    Int64 => "int64Type",
    Double => "doubleType",
    Timestamp => "timestampType",
    Bytes => "bytesType",
    Reference => "referenceType",
    Asset => "assetType",
    Location => "locationType",
    StringList => "stringListType",
    Int64List => "int64ListType",
    DoubleList => "doubleListType",
    TimestampList => "timestampListType",
    BytesList => "bytesListType",
    ReferenceList => "referenceListType",
    AssetList => "assetListType",
    LocationList => "locationListType",
    EmptyList => "emptyListType",
    EncryptedString => "encryptedStringType",
    EncryptedInt64 => "encryptedNumberInt64Type",
    EncryptedDouble => "encryptedNumberDoubleType",
    EncryptedTimestamp => "encryptedTimestampType",
    EncryptedBytes => "encryptedBytesType",
    EncryptedLocation => "encryptedLocationType",
    EncryptedStringList => "encryptedStringListType",
    EncryptedInt64List => "encryptedNumberInt64ListType",
    EncryptedDoubleList => "encryptedNumberDoubleListType",
    EncryptedTimestampList => "encryptedTimestampListType",
    EncryptedBytesList => "encryptedBytesListType",
    EncryptedLocationList => "encryptedLocationListType",
}

impl FieldValue {
    /// The value's wire type.
    pub fn field_type(&self) -> FieldType {
        use FieldValue as V;
        match self {
            V::String(_) => FieldType::String,
            V::Int64(_) => FieldType::Int64,
            V::Double(_) => FieldType::Double,
            V::Timestamp(_) => FieldType::Timestamp,
            V::Bytes(_) => FieldType::Bytes,
            V::Reference(_) => FieldType::Reference,
            V::Asset(_) => FieldType::Asset,
            V::Location(_) => FieldType::Location,
            V::StringList(_) => FieldType::StringList,
            V::Int64List(_) => FieldType::Int64List,
            V::DoubleList(_) => FieldType::DoubleList,
            V::TimestampList(_) => FieldType::TimestampList,
            V::BytesList(_) => FieldType::BytesList,
            V::ReferenceList(_) => FieldType::ReferenceList,
            V::AssetList(_) => FieldType::AssetList,
            V::LocationList(_) => FieldType::LocationList,
            V::EmptyList => FieldType::EmptyList,
            V::EncryptedString(_) => FieldType::EncryptedString,
            V::EncryptedInt64(_) => FieldType::EncryptedInt64,
            V::EncryptedDouble(_) => FieldType::EncryptedDouble,
            V::EncryptedTimestamp(_) => FieldType::EncryptedTimestamp,
            V::EncryptedBytes(_) => FieldType::EncryptedBytes,
            V::EncryptedLocation(_) => FieldType::EncryptedLocation,
            V::EncryptedStringList(_) => FieldType::EncryptedStringList,
            V::EncryptedInt64List(_) => FieldType::EncryptedInt64List,
            V::EncryptedDoubleList(_) => FieldType::EncryptedDoubleList,
            V::EncryptedTimestampList(_) => FieldType::EncryptedTimestampList,
            V::EncryptedBytesList(_) => FieldType::EncryptedBytesList,
            V::EncryptedLocationList(_) => FieldType::EncryptedLocationList,
            V::Null(t) => *t,
        }
    }
}

/// Bytes as standard base64 with padding.
struct Base64<'a>(&'a [u8]);

impl Serialize for Base64<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(self.0))
    }
}

fn doubles(list: &[f64]) -> Vec<Double> {
    list.iter().map(|x| Double(*x)).collect()
}

fn base64s(list: &[Vec<u8>]) -> Vec<Base64<'_>> {
    list.iter().map(|b| Base64(b)).collect()
}

impl Serialize for FieldValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use FieldValue as V;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("type", self.field_type().as_str())?;
        match self {
            V::String(v) | V::Timestamp(v) | V::EncryptedString(v) | V::EncryptedTimestamp(v) => {
                map.serialize_entry("value", v)?;
            }
            V::Int64(v) | V::EncryptedInt64(v) => map.serialize_entry("value", v)?,
            V::Double(v) | V::EncryptedDouble(v) => map.serialize_entry("value", &Double(*v))?,
            V::Bytes(v) | V::EncryptedBytes(v) => map.serialize_entry("value", &Base64(v))?,
            V::Reference(v) => map.serialize_entry("value", v)?,
            V::Asset(v) => map.serialize_entry("value", v)?,
            V::Location(v) | V::EncryptedLocation(v) => map.serialize_entry("value", v)?,
            V::StringList(v)
            | V::TimestampList(v)
            | V::EncryptedStringList(v)
            | V::EncryptedTimestampList(v) => map.serialize_entry("value", v)?,
            V::Int64List(v) | V::EncryptedInt64List(v) => map.serialize_entry("value", v)?,
            V::DoubleList(v) | V::EncryptedDoubleList(v) => {
                map.serialize_entry("value", &doubles(v))?;
            }
            V::BytesList(v) | V::EncryptedBytesList(v) => {
                map.serialize_entry("value", &base64s(v))?;
            }
            V::ReferenceList(v) => map.serialize_entry("value", v)?,
            V::AssetList(v) => map.serialize_entry("value", v)?,
            V::LocationList(v) | V::EncryptedLocationList(v) => map.serialize_entry("value", v)?,
            V::EmptyList => map.serialize_entry("value", &[] as &[String])?,
            V::Null(_) => {}
        }
        map.end()
    }
}

/// The wire object before its value is typed.
#[derive(Deserialize)]
struct Raw {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    value: Option<Value>,
}

impl<'de> Deserialize<'de> for FieldValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Raw::deserialize(d)?;
        let kind = FieldType::from_wire(&raw.kind)
            .ok_or_else(|| D::Error::custom(format!("unknown field value type `{}`", raw.kind)))?;
        let value = match raw.value {
            None | Some(Value::Null) => return Ok(FieldValue::Null(kind)),
            Some(value) => value,
        };
        typed(kind, value).map_err(|e| D::Error::custom(format!("{}: {e}", kind.as_str())))
    }
}

fn typed(kind: FieldType, value: Value) -> Result<FieldValue, String> {
    use FieldType as T;
    use FieldValue as V;
    Ok(match kind {
        T::String => V::String(plain(value)?),
        T::Int64 => V::Int64(int64(&value)?),
        T::Double => V::Double(read_double(&value)?),
        T::Timestamp => V::Timestamp(plain(value)?),
        T::Bytes => V::Bytes(bytes(&value)?),
        T::Reference => V::Reference(plain(value)?),
        T::Asset => V::Asset(plain(value)?),
        T::Location => V::Location(plain(value)?),
        T::StringList => V::StringList(plain(value)?),
        T::Int64List => V::Int64List(each(&value, int64)?),
        T::DoubleList => V::DoubleList(each(&value, read_double)?),
        T::TimestampList => V::TimestampList(plain(value)?),
        T::BytesList => V::BytesList(each(&value, bytes)?),
        T::ReferenceList => V::ReferenceList(plain(value)?),
        T::AssetList => V::AssetList(plain(value)?),
        T::LocationList => V::LocationList(plain(value)?),
        T::EmptyList => match value {
            Value::Array(items) if items.is_empty() => V::EmptyList,
            _ => return Err("an empty list is `[]`".to_owned()),
        },
        T::EncryptedString => V::EncryptedString(plain(value)?),
        T::EncryptedInt64 => V::EncryptedInt64(int64(&value)?),
        T::EncryptedDouble => V::EncryptedDouble(read_double(&value)?),
        T::EncryptedTimestamp => V::EncryptedTimestamp(plain(value)?),
        T::EncryptedBytes => V::EncryptedBytes(bytes(&value)?),
        T::EncryptedLocation => V::EncryptedLocation(plain(value)?),
        T::EncryptedStringList => V::EncryptedStringList(plain(value)?),
        T::EncryptedInt64List => V::EncryptedInt64List(each(&value, int64)?),
        T::EncryptedDoubleList => V::EncryptedDoubleList(each(&value, read_double)?),
        T::EncryptedTimestampList => V::EncryptedTimestampList(plain(value)?),
        T::EncryptedBytesList => V::EncryptedBytesList(each(&value, bytes)?),
        T::EncryptedLocationList => V::EncryptedLocationList(plain(value)?),
    })
}

fn plain<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_json::from_value(value).map_err(|e| e.to_string())
}

fn each<T>(value: &Value, one: fn(&Value) -> Result<T, String>) -> Result<Vec<T>, String> {
    value
        .as_array()
        .ok_or_else(|| "expected a list".to_owned())?
        .iter()
        .map(one)
        .collect()
}

/// A JSON integer, or a decimal string (accepted on read, spec §6.3); never through `f64`.
fn int64(value: &Value) -> Result<i64, String> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| format!("{n} is not a 64-bit integer")),
        Value::String(s) => s
            .parse()
            .map_err(|_| format!("`{s}` is not a 64-bit integer")),
        _ => Err("expected an integer".to_owned()),
    }
}

/// A finite JSON number, or a numeric string.
fn read_double(value: &Value) -> Result<f64, String> {
    let x = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    };
    x.filter(|x| x.is_finite())
        .ok_or_else(|| "expected a finite number".to_owned())
}

/// Standard base64 with correct padding; `""` is no bytes.
fn bytes(value: &Value) -> Result<Vec<u8>, String> {
    let text = value.as_str().ok_or("expected base64 text")?;
    STANDARD
        .decode(text)
        .map_err(|e| format!("not standard base64: {e}"))
}
