//! Readers of scalar values as CloudKit writes them: lenient base64, numbers as numeric
//! strings, lists decoded element by element into their stored form.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::{DecodePaddingMode, general_purpose};
use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

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

pub(crate) struct BytesIn(pub(super) Vec<u8>);

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
pub(crate) struct Int64In(pub(super) i64);

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
pub(crate) struct DoubleIn(pub(super) f64);

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
pub(super) struct ListOf<E, T>(PhantomData<fn(E) -> T>);

impl<E, T> ListOf<E, T> {
    pub(super) const fn new() -> Self {
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
