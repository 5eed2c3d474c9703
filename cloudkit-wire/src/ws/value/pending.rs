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
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use smallvec::SmallVec;

use crate::timestamp::Timestamp;

use super::{BytesIn, DoubleIn, Int64In, ListOf, RawJson, Value, WireType, decode_base64};

/// One JSON value in pre-order: a container node is followed by its contents.
enum Node<'de> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(Cow<'de, str>),
    /// An array of `len` elements; with its elements it spans `size` nodes.
    Seq {
        len: usize,
        size: usize,
    },
    /// An object of `len` entries, each a `Str` key node then the value's nodes; spans `size`.
    Map {
        len: usize,
        size: usize,
    },
}

impl Node<'_> {
    /// How many nodes the value starting with this node spans.
    fn size(&self) -> usize {
        match self {
            Node::Seq { size, .. } | Node::Map { size, .. } => *size,
            _ => 1,
        }
    }
}

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
            Value::Bytes(bytes) => Node::Str(Cow::Owned(super::encode_base64(&bytes))),
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

/// A node list, inline up to 16 nodes.
type Nodes16<'de> = SmallVec<[Node<'de>; 16]>;

/// Appends one JSON value to a node list.
struct Capture<'a, 'de>(&'a mut Nodes16<'de>);

impl<'de> DeserializeSeed<'de> for Capture<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Capture<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.0.push(Node::Bool(v));
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.0.push(Node::I64(v));
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.0.push(Node::U64(v));
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.0.push(Node::F64(v));
        Ok(())
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
        self.0.push(Node::Str(Cow::Borrowed(v)));
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.0.push(Node::Str(Cow::Owned(v.to_owned())));
        Ok(())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        self.0.push(Node::Str(Cow::Owned(v)));
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.push(Node::Null);
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.0.push(Node::Null);
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let at = self.0.len();
        self.0.push(Node::Seq { len: 0, size: 0 });
        let mut len = 0;
        while seq.next_element_seed(Capture(&mut *self.0))?.is_some() {
            len += 1;
        }
        let size = self.0.len() - at;
        if let Some(node) = self.0.get_mut(at) {
            *node = Node::Seq { len, size };
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let at = self.0.len();
        self.0.push(Node::Map { len: 0, size: 0 });
        let mut len = 0;
        while map.next_key_seed(CaptureKey(&mut *self.0))?.is_some() {
            map.next_value_seed(Capture(&mut *self.0))?;
            len += 1;
        }
        let size = self.0.len() - at;
        if let Some(node) = self.0.get_mut(at) {
            *node = Node::Map { len, size };
        }
        Ok(())
    }
}

/// Appends an object key to a node list.
struct CaptureKey<'a, 'de>(&'a mut Nodes16<'de>);

impl<'de> DeserializeSeed<'de> for CaptureKey<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for CaptureKey<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
        self.0.push(Node::Str(Cow::Borrowed(v)));
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.0.push(Node::Str(Cow::Owned(v.to_owned())));
        Ok(())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        self.0.push(Node::Str(Cow::Owned(v)));
        Ok(())
    }
}

/// The nodes of exactly one value: the root node first.
struct Tree<'a, 'de>(&'a [Node<'de>]);

impl Serialize for Tree<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some((root, mut rest)) = self.0.split_first() else {
            return s.serialize_unit();
        };
        // Splits the next value (its root and contents) off the front of `rest`.
        let mut next = || {
            let size = rest.first().map_or(1, Node::size).min(rest.len());
            let (head, tail) = rest.split_at(size);
            rest = tail;
            Tree(head)
        };
        match root {
            Node::Null => s.serialize_unit(),
            Node::Bool(v) => s.serialize_bool(*v),
            Node::I64(v) => s.serialize_i64(*v),
            Node::U64(v) => s.serialize_u64(*v),
            Node::F64(v) => s.serialize_f64(*v),
            Node::Str(v) => s.serialize_str(v),
            Node::Seq { len, .. } => {
                let mut seq = s.serialize_seq(Some(*len))?;
                for _ in 0..*len {
                    seq.serialize_element(&next())?;
                }
                seq.end()
            }
            Node::Map { len, .. } => {
                let mut map = s.serialize_map(Some(*len))?;
                for _ in 0..*len {
                    let key = next();
                    map.serialize_entry(&key, &next())?;
                }
                map.end()
            }
        }
    }
}

/// The nodes of exactly one value as a `Deserializer`, so that typed decoders read it like
/// JSON. Strings are moved out, leaving `Null` behind.
struct Nodes<'a, 'de, E> {
    nodes: &'a mut [Node<'de>],
    error: PhantomData<E>,
}

impl<'a, 'de, E: de::Error> Nodes<'a, 'de, E> {
    fn new(nodes: &'a mut [Node<'de>]) -> Self {
        Nodes {
            nodes,
            error: PhantomData,
        }
    }

    /// Splits the next value off the front of `rest`.
    fn split_next(rest: &mut &'a mut [Node<'de>]) -> Result<Self, E> {
        let all = std::mem::take(rest);
        let size = all.first().map_or(1, Node::size);
        let (head, tail) = all
            .split_at_mut_checked(size)
            .ok_or_else(|| E::custom("truncated pending value"))?;
        *rest = tail;
        Ok(Nodes::new(head))
    }
}

struct NodeSeq<'a, 'de, E> {
    rest: &'a mut [Node<'de>],
    left: usize,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> SeqAccess<'de> for NodeSeq<'_, 'de, E> {
    type Error = E;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, E> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(Nodes::split_next(&mut self.rest)?)
            .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

struct NodeMap<'a, 'de, E> {
    rest: &'a mut [Node<'de>],
    left: usize,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> MapAccess<'de> for NodeMap<'_, 'de, E> {
    type Error = E;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, E> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(Nodes::split_next(&mut self.rest)?)
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, E> {
        seed.deserialize(Nodes::split_next(&mut self.rest)?)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de, E: de::Error> Deserializer<'de> for Nodes<'_, 'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        let Some((root, rest)) = self.nodes.split_first_mut() else {
            return visitor.visit_unit();
        };
        match std::mem::replace(root, Node::Null) {
            Node::Null => visitor.visit_unit(),
            Node::Bool(v) => visitor.visit_bool(v),
            Node::I64(v) => visitor.visit_i64(v),
            Node::U64(v) => visitor.visit_u64(v),
            Node::F64(v) => visitor.visit_f64(v),
            Node::Str(Cow::Borrowed(v)) => visitor.visit_borrowed_str(v),
            Node::Str(Cow::Owned(v)) => visitor.visit_string(v),
            Node::Seq { len, .. } => {
                let mut seq = NodeSeq {
                    rest,
                    left: len,
                    error: PhantomData,
                };
                let value = visitor.visit_seq(&mut seq)?;
                match seq.left {
                    0 => Ok(value),
                    left => Err(E::invalid_length(len, &ExpectedLen(len - left))),
                }
            }
            Node::Map { len, .. } => {
                let mut map = NodeMap {
                    rest,
                    left: len,
                    error: PhantomData,
                };
                let value = visitor.visit_map(&mut map)?;
                match map.left {
                    0 => Ok(value),
                    left => Err(E::invalid_length(len, &ExpectedLen(len - left))),
                }
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.nodes.first() {
            None | Some(Node::Null) => visitor.visit_none(),
            Some(_) => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        // Unit variants are plain strings in JSON.
        if let Some(Node::Str(text)) = self.nodes.first_mut() {
            return match std::mem::take(text) {
                Cow::Borrowed(v) => visitor.visit_enum(BorrowedStrDeserializer::new(v)),
                Cow::Owned(v) => visitor.visit_enum(StringDeserializer::new(v)),
            };
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier
    }
}

/// "N elements" for length errors.
struct ExpectedLen(usize);

impl de::Expected for ExpectedLen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} elements", self.0)
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
