//! A JSON value as a flat list of [`Node`]s in pre-order, borrowed from the input where
//! possible: captured from any `Deserializer` ([`Capture`]), written back as JSON ([`Tree`]),
//! and replayed as a `Deserializer` ([`Nodes`]) so that the typed decoders read it like JSON.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserializer, Serialize, Serializer};
use smallvec::SmallVec;

/// One JSON value in pre-order: a container node is followed by its contents.
pub(super) enum Node<'de> {
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

/// A node list, inline up to 16 nodes.
pub(super) type Nodes16<'de> = SmallVec<[Node<'de>; 16]>;

/// Appends one JSON value to a node list.
pub(super) struct Capture<'a, 'de>(pub(super) &'a mut Nodes16<'de>);

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
pub(super) struct Tree<'a, 'de>(pub(super) &'a [Node<'de>]);

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
pub(super) struct Nodes<'a, 'de, E> {
    nodes: &'a mut [Node<'de>],
    error: PhantomData<E>,
}

impl<'a, 'de, E: de::Error> Nodes<'a, 'de, E> {
    pub(super) fn new(nodes: &'a mut [Node<'de>]) -> Self {
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
