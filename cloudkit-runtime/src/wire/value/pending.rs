//! A `value` read before its `type` is known.
//!
//! CloudKit (and our encoder) write `value` before `type`, so the decoder usually meets the
//! value first. Buffering it as raw JSON text and parsing it a second time doubled the decode
//! cost; instead the value is read once into this small tree, whose scalars are then handed to
//! the same typed decoders through serde's primitive deserializers. Only objects (references,
//! assets, locations) and unknown shapes are turned back into JSON text.

use std::fmt;

use serde::de::{self, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{BytesIn, DoubleIn, Int64In, RawJson, Value, WireType};
use crate::timestamp::Timestamp;

pub(super) enum Pending {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(String),
    Seq(Vec<Pending>),
    Map(Vec<(String, Pending)>),
}

impl<'de> Deserialize<'de> for Pending {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PendingVisitor)
    }
}

struct PendingVisitor;

impl<'de> Visitor<'de> for PendingVisitor {
    type Value = Pending;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Pending, E> {
        Ok(Pending::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Pending, E> {
        Ok(Pending::I64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Pending, E> {
        Ok(Pending::U64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Pending, E> {
        Ok(Pending::F64(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Pending, E> {
        Ok(Pending::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Pending, E> {
        Ok(Pending::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Pending, E> {
        Ok(Pending::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Pending, E> {
        Ok(Pending::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Pending, D::Error> {
        Pending::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pending, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Pending::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pending, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Pending::Map(entries))
    }
}

impl Serialize for Pending {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Pending::Null => s.serialize_unit(),
            Pending::Bool(v) => s.serialize_bool(*v),
            Pending::I64(v) => s.serialize_i64(*v),
            Pending::U64(v) => s.serialize_u64(*v),
            Pending::F64(v) => s.serialize_f64(*v),
            Pending::Str(v) => s.serialize_str(v),
            Pending::Seq(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Pending::Map(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

type Error = serde_json::Error;

impl Pending {
    pub(super) fn is_null(&self) -> bool {
        matches!(self, Pending::Null)
    }

    /// The JSON text of the value (for untyped and unknown-type values).
    pub(super) fn into_raw(self) -> Result<RawJson, Error> {
        RawJson::from_json(serde_json::to_string(&self)?)
    }

    /// Decodes a scalar through the same `Deserialize` impl the direct path uses.
    fn scalar<T: for<'a> Deserialize<'a>>(self) -> Result<T, Error> {
        match self {
            Pending::Bool(v) => T::deserialize(v.into_deserializer()),
            Pending::I64(v) => T::deserialize(v.into_deserializer()),
            Pending::U64(v) => T::deserialize(v.into_deserializer()),
            Pending::F64(v) => T::deserialize(v.into_deserializer()),
            Pending::Str(v) => T::deserialize(v.into_deserializer()),
            Pending::Null => T::deserialize(().into_deserializer()),
            Pending::Seq(_) | Pending::Map(_) => Err(de::Error::invalid_type(
                de::Unexpected::Other("array or object"),
                &"a scalar",
            )),
        }
    }

    fn list<T: for<'a> Deserialize<'a>, U>(self, wrap: impl Fn(T) -> U) -> Result<Vec<U>, Error> {
        match self {
            Pending::Seq(items) => items.into_iter().map(|i| i.scalar().map(&wrap)).collect(),
            _ => Err(de::Error::invalid_type(
                de::Unexpected::Other("non-array"),
                &"an array",
            )),
        }
    }

    /// Objects and lists of objects go back through JSON text: rarer, and their derives
    /// already do the right thing with unknown keys.
    fn via_json<T: for<'a> Deserialize<'a>>(self) -> Result<T, Error> {
        serde_json::from_str(&serde_json::to_string(&self)?)
    }

    /// The typed value for a known `type`.
    pub(super) fn into_value(self, tag: WireType) -> Result<Value, Error> {
        if self.is_null() {
            return Ok(Value::Null(Some(tag)));
        }
        Ok(match tag {
            WireType::String => Value::String(self.scalar()?),
            WireType::Int64 => Value::Int64(self.scalar::<Int64In>()?.0),
            WireType::Double => Value::Double(self.scalar::<DoubleIn>()?.0),
            WireType::Timestamp => Value::Timestamp(self.scalar()?),
            WireType::Bytes => Value::Bytes(self.scalar::<BytesIn>()?.0),
            WireType::EncryptedBytes => Value::EncryptedBytes(self.scalar::<BytesIn>()?.0),
            WireType::Boolean => Value::Boolean(self.scalar()?),
            WireType::Reference => Value::Reference(self.via_json()?),
            WireType::AssetId => Value::AssetId(self.via_json()?),
            WireType::Asset => Value::Asset(self.via_json()?),
            WireType::Location => Value::Location(self.via_json()?),
            WireType::StringList => Value::StringList(self.list(|s: String| s)?),
            WireType::Int64List => Value::Int64List(self.list(|i: Int64In| i.0)?),
            WireType::DoubleList => Value::DoubleList(self.list(|d: DoubleIn| d.0)?),
            WireType::TimestampList => Value::TimestampList(self.list(|t: Timestamp| t)?),
            WireType::BytesList => Value::BytesList(self.list(|b: BytesIn| b.0)?),
            WireType::BooleanList => Value::BooleanList(self.list(|b: bool| b)?),
            WireType::ReferenceList => Value::ReferenceList(self.via_json()?),
            WireType::AssetIdList => Value::AssetIdList(self.via_json()?),
            WireType::LocationList => Value::LocationList(self.via_json()?),
            WireType::UnknownList => Value::UnknownList(self.into_raw()?),
        })
    }
}
