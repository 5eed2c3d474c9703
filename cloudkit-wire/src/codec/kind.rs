//! Marker types for CloudKit schema field types.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::ws::{BytesIn, DoubleIn, Int64In, Value, WireType};

/// A CloudKit field kind.
pub trait Kind {
    /// The wire tag of values of this kind.
    const WIRE_TYPE: WireType;

    /// What a [`Value`] of this kind holds (`String` for `STRING`, `Vec<i64>` for
    /// `INT64_LIST`).
    #[doc(hidden)]
    type Natural;

    /// Reads a `value` of this kind, `None` for `null`, as [`Value`] would hold it (the
    /// same decoders: numeric strings, RFC 3339 timestamps, lenient base64).
    #[doc(hidden)]
    fn deserialize_natural<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Self::Natural>, D::Error>;

    /// The [`Value`] holding `natural`.
    #[doc(hidden)]
    fn natural_value(natural: Self::Natural) -> Value;
}

/// A kind that can be the element of a list.
pub trait ScalarKind: Kind {
    /// The list tag (`STRING_LIST` for `STRING`).
    const LIST_WIRE_TYPE: WireType;

    /// Reads one list element of this kind.
    #[doc(hidden)]
    fn deserialize_element<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Natural, D::Error>;

    /// The list [`Value`] holding `items`.
    #[doc(hidden)]
    fn list_value(items: Vec<Self::Natural>) -> Value;

    /// Builds a list value from element values; values of other types are skipped.
    fn collect(items: Vec<Value>) -> Value;

    /// Splits a list value into element values; `Err` gives back a value of another type.
    fn split(list: Value) -> Result<Vec<Value>, Box<Value>>;
}

fn same<T>(x: T) -> T {
    x
}

// Takes the box by value on purpose: list elements are stored unboxed.
#[allow(clippy::boxed_local)]
fn unbox<T>(x: Box<T>) -> T {
    *x
}

macro_rules! scalar_kind {
    ($(#[$m:meta])* $name:ident, $tag:ident, $list_tag:ident, $natural:ty, read as $wire:ty,
     $elem:ident => $list:ident via $wrap:path, $unwrap:path $(, also $alt:ident)?) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name;

        impl Kind for $name {
            const WIRE_TYPE: WireType = WireType::$tag;

            type Natural = $natural;

            fn deserialize_natural<'de, D: Deserializer<'de>>(
                d: D,
            ) -> Result<Option<$natural>, D::Error> {
                Ok(Option::<$wire>::deserialize(d)?.map(<$natural>::from))
            }

            fn natural_value(natural: $natural) -> Value {
                Value::$elem($wrap(natural))
            }
        }

        impl ScalarKind for $name {
            const LIST_WIRE_TYPE: WireType = WireType::$list_tag;

            fn deserialize_element<'de, D: Deserializer<'de>>(
                d: D,
            ) -> Result<$natural, D::Error> {
                <$wire>::deserialize(d).map(<$natural>::from)
            }

            fn list_value(items: Vec<$natural>) -> Value {
                Value::$list(items)
            }

            fn collect(items: Vec<Value>) -> Value {
                Value::$list(
                    items
                        .into_iter()
                        .filter_map(|v| match v {
                            Value::$elem(x) $(| Value::$alt(x))? => Some($unwrap(x)),
                            _ => None,
                        })
                        .collect(),
                )
            }

            fn split(list: Value) -> Result<Vec<Value>, Box<Value>> {
                match list {
                    Value::$list(xs) => Ok(xs.into_iter().map(|x| Value::$elem($wrap(x))).collect()),
                    other => Err(Box::new(other)),
                }
            }
        }
    };
}

scalar_kind!(
    /// `STRING`.
    String, String, StringList, std::string::String, read as std::string::String, String => StringList via same, same
);
scalar_kind!(
    /// `INT64` (and `NUMBER PREFERRED AS INT64`).
    Int64, Int64, Int64List, i64, read as Int64In, Int64 => Int64List via same, same
);
scalar_kind!(
    /// `DOUBLE` (and `NUMBER` not preferred as INT64).
    Double, Double, DoubleList, f64, read as DoubleIn, Double => DoubleList via same, same
);
scalar_kind!(
    /// `TIMESTAMP`.
    Timestamp, Timestamp, TimestampList, crate::Timestamp, read as crate::Timestamp, Timestamp => TimestampList via same, same
);
scalar_kind!(
    /// `BYTES`.
    Bytes, Bytes, BytesList, Vec<u8>, read as BytesIn, Bytes => BytesList via same, same, also EncryptedBytes
);
scalar_kind!(
    /// `REFERENCE`.
    Reference, Reference, ReferenceList, crate::Reference, read as crate::Reference, Reference => ReferenceList via Box::new, unbox
);
scalar_kind!(
    /// `ASSET` (wire tag `ASSETID`).
    Asset, AssetId, AssetIdList, crate::Asset, read as crate::Asset, AssetId => AssetIdList via Box::new, unbox, also Asset
);
scalar_kind!(
    /// `LOCATION`.
    Location, Location, LocationList, crate::Location, read as crate::Location, Location => LocationList via Box::new, unbox
);

/// `LIST<K>`.
pub struct List<K>(PhantomData<K>);

impl<K: ScalarKind> Kind for List<K> {
    const WIRE_TYPE: WireType = K::LIST_WIRE_TYPE;

    type Natural = Vec<K::Natural>;

    fn deserialize_natural<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<K::Natural>>, D::Error> {
        d.deserialize_option(Elements::<K>(PhantomData))
    }

    fn natural_value(natural: Vec<K::Natural>) -> Value {
        K::list_value(natural)
    }
}

/// A list of `K` elements, or `null`.
struct Elements<K>(PhantomData<fn() -> K>);

impl<'de, K: ScalarKind> Visitor<'de> for Elements<K> {
    type Value = Option<Vec<K::Natural>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} or null", K::LIST_WIRE_TYPE)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(Element::<K>(PhantomData))? {
            items.push(item);
        }
        Ok(Some(items))
    }
}

struct Element<K>(PhantomData<fn() -> K>);

impl<'de, K: ScalarKind> DeserializeSeed<'de> for Element<K> {
    type Value = K::Natural;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<K::Natural, D::Error> {
        K::deserialize_element(d)
    }
}
