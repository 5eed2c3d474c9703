//! A `value` read before its `type` is known.
//!
//! CloudKit (and our encoder) write `value` before `type`, so the decoder usually meets the
//! value first. Buffering it as raw JSON text and parsing it again doubled the decode cost, and
//! a tree of boxed nodes cost an allocation per array and object. Instead the value is read once
//! into a flat list of [`Node`]s (strings and keys borrowed from the input where possible) kept
//! in a [`Scratch`] buffer that every field of a record reuses. The nodes then act as a
//! `Deserializer` for the same typed decoders the direct path uses. Only untyped and
//! unknown-type values are turned back into JSON text.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::field_value::Value;
use super::node::{Capture, Node, Nodes, Nodes16, Tree};
use super::raw_json::RawJson;
use super::scalar::{BytesIn, DoubleIn, Int64In, ListOf, decode_base64, encode_base64};
use super::wire_type::WireType;
use crate::timestamp::Timestamp;

/// Room for the nodes of one pending value, reused from field to field. The common dictionary
/// values fit inline (a reference with a zone spans 9 nodes), so decoding them does not
/// allocate at all.
#[derive(Default)]
pub(crate) struct Scratch<'de>(Nodes16<'de>);

impl<'de> Scratch<'de> {
    /// Reads the next map value into the buffer, replacing what it held.
    pub(super) fn capture<A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<(), A::Error> {
        self.0.clear();
        map.next_value_seed(Capture(&mut self.0))
    }

    /// Reads the next map value as the scalar type `expected` if its JSON has exactly the
    /// shape `expected` is written in (the schema says which type to expect, and the server
    /// nearly always agrees); otherwise into the buffer, as [`capture`](Self::capture).
    pub(super) fn read_expecting<A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        expected: WireType,
    ) -> Result<Option<Value>, A::Error> {
        self.0.clear();
        map.next_value_seed(Guess {
            expected,
            nodes: &mut self.0,
        })
    }

    /// Puts back a value [`read_expecting`](Self::read_expecting) decoded, because its
    /// `type` turned out to be another one.
    pub(super) fn put_back(&mut self, value: Value) {
        self.0.clear();
        self.0.push(match value {
            Value::String(text) => Node::Str(Cow::Owned(text)),
            Value::Int64(v) => Node::I64(v),
            Value::Timestamp(t) => Node::I64(t.as_millis()),
            Value::Double(v) => Node::F64(v),
            Value::Bytes(bytes) => Node::Str(Cow::Owned(encode_base64(&bytes))),
            // `read_expecting` decodes no other variants.
            _ => Node::Null,
        });
    }

    /// The value in the buffer.
    pub(super) fn pending(&mut self) -> Pending<'_, 'de> {
        Pending(&mut self.0)
    }
}

/// Whether [`Scratch::read_expecting`] can decode values of this type directly.
pub(super) const fn is_direct_scalar(tag: WireType) -> bool {
    matches!(
        tag,
        WireType::String
            | WireType::Int64
            | WireType::Double
            | WireType::Timestamp
            | WireType::Bytes
    )
}

/// Decodes a scalar of the expected type, or captures whatever else is there.
struct Guess<'a, 'de> {
    expected: WireType,
    nodes: &'a mut Nodes16<'de>,
}

impl<'de> DeserializeSeed<'de> for Guess<'_, 'de> {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Guess<'_, 'de> {
    fn text<E: de::Error>(self, text: Cow<'de, str>) -> Result<Option<Value>, E> {
        match self.expected {
            WireType::String => return Ok(Some(Value::String(text.into_owned()))),
            WireType::Bytes => {
                if let Ok(bytes) = decode_base64(&text) {
                    return Ok(Some(Value::Bytes(bytes)));
                }
            }
            _ => {}
        }
        self.nodes.push(Node::Str(text));
        Ok(None)
    }

    fn integer(self, v: i64) -> Option<Value> {
        match self.expected {
            WireType::Int64 => Some(Value::Int64(v)),
            WireType::Timestamp => Some(Value::Timestamp(Timestamp::from_millis(v))),
            _ => {
                self.nodes.push(Node::I64(v));
                None
            }
        }
    }
}

impl<'de> Visitor<'de> for Guess<'_, 'de> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<Value>, E> {
        Capture(self.nodes).visit_bool(v).map(|()| None)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<Value>, E> {
        Ok(self.integer(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<Value>, E> {
        match i64::try_from(v) {
            Ok(v) => Ok(self.integer(v)),
            Err(_) => Capture(self.nodes).visit_u64(v).map(|()| None),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<Value>, E> {
        if self.expected == WireType::Double {
            return Ok(Some(Value::Double(v)));
        }
        Capture(self.nodes).visit_f64(v).map(|()| None)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Option<Value>, E> {
        self.text(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<Value>, E> {
        self.text(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Option<Value>, E> {
        self.text(Cow::Owned(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Value>, E> {
        Capture(self.nodes).visit_unit().map(|()| None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<Value>, E> {
        Capture(self.nodes).visit_none().map(|()| None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<Value>, A::Error> {
        Capture(self.nodes).visit_seq(seq).map(|()| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        Capture(self.nodes).visit_map(map).map(|()| None)
    }
}

type Error = serde_json::Error;

/// The value of a scalar node whose JSON shape is exactly the one `tag` is written in, or
/// `None` to take the general path (numeric strings, RFC 3339 timestamps, errors). Most field
/// values are scalars; this skips the `Deserializer` layers for them.
fn exact_scalar(node: &mut Node<'_>, tag: WireType) -> Option<Value> {
    Some(match (tag, node) {
        (WireType::String, Node::Str(text)) => Value::String(std::mem::take(text).into_owned()),
        (WireType::Int64, Node::I64(v)) => Value::Int64(*v),
        (WireType::Int64, Node::U64(v)) => Value::Int64(i64::try_from(*v).ok()?),
        (WireType::Double, Node::F64(v)) => Value::Double(*v),
        (WireType::Double, Node::I64(v)) => Value::Double(*v as f64),
        (WireType::Double, Node::U64(v)) => Value::Double(*v as f64),
        (WireType::Timestamp, Node::I64(v)) => Value::Timestamp(Timestamp::from_millis(*v)),
        (WireType::Timestamp, Node::U64(v)) => {
            Value::Timestamp(Timestamp::from_millis(i64::try_from(*v).ok()?))
        }
        (WireType::Bytes, Node::Str(text)) => Value::Bytes(decode_base64(text).ok()?),
        (WireType::EncryptedBytes, Node::Str(text)) => {
            Value::EncryptedBytes(decode_base64(text).ok()?)
        }
        (WireType::Boolean, Node::Bool(v)) => Value::Boolean(*v),
        _ => return None,
    })
}

/// A captured `value`, waiting for its `type`.
pub(super) struct Pending<'a, 'de>(&'a mut [Node<'de>]);

impl<'de> Pending<'_, 'de> {
    pub(super) fn is_null(&self) -> bool {
        matches!(self.0.first(), None | Some(Node::Null))
    }

    /// The JSON text of the value (for untyped and unknown-type values).
    pub(super) fn into_raw(self) -> Result<RawJson, Error> {
        RawJson::from_json(serde_json::to_string(&Tree(self.0))?)
    }

    fn decode<T: Deserialize<'de>>(&mut self) -> Result<T, Error> {
        T::deserialize(Nodes::<Error>::new(self.0))
    }

    fn decode_list<E: Deserialize<'de> + Into<T>, T>(&mut self) -> Result<Vec<T>, Error> {
        ListOf::<E, T>::new().deserialize(Nodes::<Error>::new(self.0))
    }

    /// The typed value for a known `type`.
    pub(super) fn into_value(mut self, tag: WireType) -> Result<Value, Error> {
        if self.is_null() {
            return Ok(Value::Null(Some(tag)));
        }
        if let [node] = &mut *self.0
            && let Some(value) = exact_scalar(node, tag)
        {
            return Ok(value);
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
            WireType::Int64List => Value::Int64List(self.decode_list::<Int64In, i64>()?),
            WireType::DoubleList => Value::DoubleList(self.decode_list::<DoubleIn, f64>()?),
            WireType::TimestampList => Value::TimestampList(self.decode()?),
            WireType::BytesList => Value::BytesList(self.decode_list::<BytesIn, Vec<u8>>()?),
            WireType::BooleanList => Value::BooleanList(self.decode()?),
            WireType::ReferenceList => Value::ReferenceList(self.decode()?),
            WireType::AssetIdList => Value::AssetIdList(self.decode()?),
            WireType::LocationList => Value::LocationList(self.decode()?),
            WireType::UnknownList => Value::UnknownList(self.into_raw()?),
        })
    }
}
