//! Reading field value dictionaries, whichever order `value` and `type` come in: straight
//! into the typed form when `type` (or the schema's type) is known first, else through a
//! [`Scratch`] buffer.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::field_value::{FieldValue, Value};
use super::pending::{self, Scratch};
use super::raw_json::RawJson;
use super::scalar::{BytesIn, DoubleIn, Int64In, ListOf};
use super::wire_type::WireType;

// Beside the decoders rather than with `Value`: it is a decoding, through `TypedSeed`.
impl Value {
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
