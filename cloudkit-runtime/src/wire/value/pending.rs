//! A `value` read before its `type` is known.
//!
//! CloudKit (and our encoder) write `value` before `type`, so the decoder usually meets the
//! value first. Buffering it as raw JSON text and parsing it again doubled the decode cost;
//! instead the value is read once into this small tree (strings and keys borrowed from the
//! input where possible), which then acts as a `Deserializer` for the same typed decoders the
//! direct path uses. Only untyped and unknown-type values are turned back into JSON text.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{BytesIn, DoubleIn, Int64In, RawJson, Value, WireType};

pub(super) enum Pending<'de> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(Cow<'de, str>),
    Seq(Vec<Pending<'de>>),
    Map(Vec<(Key<'de>, Pending<'de>)>),
}

/// A map key, borrowed from the input when it has no escapes.
pub(super) struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Pending<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PendingVisitor(PhantomData))
    }
}

struct PendingVisitor<'de>(PhantomData<&'de ()>);

impl<'de> Visitor<'de> for PendingVisitor<'de> {
    type Value = Pending<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Pending<'de>, E> {
        Ok(Pending::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Pending<'de>, E> {
        Ok(Pending::I64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Pending<'de>, E> {
        Ok(Pending::U64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Pending<'de>, E> {
        Ok(Pending::F64(v))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Pending<'de>, E> {
        Ok(Pending::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Pending<'de>, E> {
        Ok(Pending::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Pending<'de>, E> {
        Ok(Pending::Str(Cow::Owned(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Pending<'de>, E> {
        Ok(Pending::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Pending<'de>, E> {
        Ok(Pending::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Pending<'de>, D::Error> {
        Pending::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pending<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(4).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Pending::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pending<'de>, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(4).min(64));
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Pending::Map(entries))
    }
}

impl Serialize for Pending<'_> {
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
                    map.serialize_entry(&*k.0, v)?;
                }
                map.end()
            }
        }
    }
}

/// `Pending` as a `Deserializer`, so that typed decoders read it like JSON.
pub(super) struct PendingDeserializer<'de, E> {
    value: Pending<'de>,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> IntoDeserializer<'de, E> for Pending<'de> {
    type Deserializer = PendingDeserializer<'de, E>;

    fn into_deserializer(self) -> Self::Deserializer {
        PendingDeserializer {
            value: self,
            error: PhantomData,
        }
    }
}

impl<'de, E: de::Error> IntoDeserializer<'de, E> for Key<'de> {
    type Deserializer = PendingDeserializer<'de, E>;

    fn into_deserializer(self) -> Self::Deserializer {
        Pending::Str(self.0).into_deserializer()
    }
}

impl<'de, E: de::Error> Deserializer<'de> for PendingDeserializer<'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Pending::Null => visitor.visit_unit(),
            Pending::Bool(v) => visitor.visit_bool(v),
            Pending::I64(v) => visitor.visit_i64(v),
            Pending::U64(v) => visitor.visit_u64(v),
            Pending::F64(v) => visitor.visit_f64(v),
            Pending::Str(Cow::Borrowed(v)) => visitor.visit_borrowed_str(v),
            Pending::Str(Cow::Owned(v)) => visitor.visit_string(v),
            Pending::Seq(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Pending::Map(entries) => {
                let mut map = MapDeserializer::new(entries.into_iter());
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Pending::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

type Error = serde_json::Error;

impl<'de> Pending<'de> {
    pub(super) fn is_null(&self) -> bool {
        matches!(self, Pending::Null)
    }

    /// The JSON text of the value (for untyped and unknown-type values).
    pub(super) fn into_raw(self) -> Result<RawJson, Error> {
        RawJson::from_json(serde_json::to_string(&self)?)
    }

    fn decode<T: Deserialize<'de>>(self) -> Result<T, Error> {
        T::deserialize(IntoDeserializer::<Error>::into_deserializer(self))
    }

    /// The typed value for a known `type`.
    pub(super) fn into_value(self, tag: WireType) -> Result<Value, Error> {
        if self.is_null() {
            return Ok(Value::Null(Some(tag)));
        }
        Ok(match tag {
            WireType::String => Value::String(self.decode()?),
            WireType::Int64 => Value::Int64(self.decode::<Int64In>()?.0),
            WireType::Double => Value::Double(self.decode::<DoubleIn>()?.0),
            WireType::Timestamp => Value::Timestamp(self.decode()?),
            WireType::Bytes => Value::Bytes(self.decode::<BytesIn>()?.0),
            WireType::EncryptedBytes => Value::EncryptedBytes(self.decode::<BytesIn>()?.0),
            WireType::Boolean => Value::Boolean(self.decode()?),
            WireType::Reference => Value::Reference(self.decode()?),
            WireType::AssetId => Value::AssetId(self.decode()?),
            WireType::Asset => Value::Asset(self.decode()?),
            WireType::Location => Value::Location(self.decode()?),
            WireType::StringList => Value::StringList(self.decode()?),
            WireType::Int64List => Value::Int64List(
                self.decode::<Vec<Int64In>>()?
                    .into_iter()
                    .map(|i| i.0)
                    .collect(),
            ),
            WireType::DoubleList => Value::DoubleList(
                self.decode::<Vec<DoubleIn>>()?
                    .into_iter()
                    .map(|d| d.0)
                    .collect(),
            ),
            WireType::TimestampList => Value::TimestampList(self.decode()?),
            WireType::BytesList => Value::BytesList(
                self.decode::<Vec<BytesIn>>()?
                    .into_iter()
                    .map(|b| b.0)
                    .collect(),
            ),
            WireType::BooleanList => Value::BooleanList(self.decode()?),
            WireType::ReferenceList => Value::ReferenceList(self.decode()?),
            WireType::AssetIdList => Value::AssetIdList(self.decode()?),
            WireType::LocationList => Value::LocationList(self.decode()?),
            WireType::UnknownList => Value::UnknownList(self.into_raw()?),
        })
    }
}
