//! Field codecs: how a Rust field type becomes a CloudKit field value and back.
//!
//! The codec is chosen by the **schema kind** of the field, a marker type in [`kind`], so a
//! Rust type that does not fit the schema type is a compile error at the user's field:
//! `String: FieldCodec<kind::Int64>` does not hold, and the compiler says which Rust types
//! would.
//!
//! | CloudKit schema type | kind marker | Rust types | wire `type` |
//! | --- | --- | --- | --- |
//! | `STRING` | [`kind::String`] | `String`, `Box<str>` | `STRING` |
//! | `INT64`, `NUMBER PREFERRED AS INT64` | [`kind::Int64`] | `i64`, `i32`, `i16`, `i8`, `u32`, `u16`, `u8`, `bool` (0/1) | `INT64` |
//! | `DOUBLE`, `NUMBER` otherwise | [`kind::Double`] | `f64`, `f32` | `DOUBLE` |
//! | `TIMESTAMP` | [`kind::Timestamp`] | [`Timestamp`], `SystemTime`, `time::OffsetDateTime` (feature `time`), `chrono::DateTime<Utc>` (feature `chrono`) | `TIMESTAMP` |
//! | `BYTES` | [`kind::Bytes`] | `Vec<u8>` | `BYTES` |
//! | `REFERENCE` | [`kind::Reference`] | [`Reference<T>`] | `REFERENCE` |
//! | `ASSET` | [`kind::Asset`] | [`Asset`] | `ASSETID` |
//! | `LOCATION` | [`kind::Location`] | [`Location`] | `LOCATION` |
//! | `LIST<X>` | [`kind::List<X>`] | `Vec<T>` where `T` fits `X` | `X_LIST` |
//! | any | any | `Option<T>` where `T` fits | — |
//!
//! Absence: a field that is missing from the record or `null` decodes to `None` for `Option<T>`
//! and to an empty vector for `Vec<T>` (CloudKit reports never-set list fields as absent);
//! for any other type it is a [`DecodeError`] naming the field. Integer decoding checks the
//! range of the target type; `bool` accepts only 0 and 1 (and `BOOLEAN` values).
//!
//! Decoding is lenient where no information is lost: DOUBLE fields accept `INT64` values,
//! BYTES fields accept `ENCRYPTED_BYTES`, ASSET fields accept the `ASSET` tag, and a value sent
//! without `type` is interpreted as the field's kind.
//!
//! Generated code calls [`put`] and [`take`]:
//!
//! ```
//! use cloudkit_wire::codec::{self, kind};
//! use cloudkit_wire::ws::Fields;
//!
//! let mut fields = Fields::new();
//! codec::put::<kind::Int64, _>(&mut fields, "pinned", &true);
//! codec::put::<kind::List<kind::String>, _>(&mut fields, "tags", &vec!["home".to_owned()]);
//! codec::put::<kind::String, Option<String>>(&mut fields, "body", &None); // omitted
//! assert_eq!(fields.len(), 2);
//! let pinned: bool = codec::take::<kind::Int64, _>(&mut fields, "pinned")?;
//! let body: Option<String> = codec::take::<kind::String, _>(&mut fields, "body")?;
//! assert!(pinned && body.is_none());
//! # Ok::<(), cloudkit_wire::DecodeError>(())
//! ```

use std::time::SystemTime;

use crate::asset::Asset;
use crate::location::Location;
use crate::reference::{Reference, ReferenceAction};
use crate::timestamp::Timestamp;
use crate::ws::{FieldValue, Fields, Value};
use crate::zone::ZoneId;

pub use crate::decode_error::{DecodeError, DecodeErrorKind};

/// Marker types for CloudKit schema field types.
pub mod kind {
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
}

use kind::{Kind, ScalarKind};

/// Where a field value is written when a record is serialized straight from a Rust value
/// (without building a [`Record`](crate::ws::Record)): one method per JSON form a kind is
/// written in. Each call writes the whole field value dictionary, `type` included; a field
/// is written with exactly one call.
#[doc(hidden)]
pub trait ValueSink {
    /// A `STRING`.
    fn string(&mut self, v: &str);
    /// An `INT64`.
    fn int64(&mut self, v: i64);
    /// A `DOUBLE`.
    fn double(&mut self, v: f64);
    /// A `TIMESTAMP`.
    fn timestamp(&mut self, v: Timestamp);
    /// `BYTES`.
    fn bytes(&mut self, v: &[u8]);
    /// A `REFERENCE`, by its parts (so `Reference<T>` of any `T` needs no copy).
    fn reference(
        &mut self,
        record_name: &str,
        zone_id: Option<&ZoneId>,
        action: Option<ReferenceAction>,
    );
    /// An `ASSETID`.
    fn asset(&mut self, v: &Asset);
    /// A `LOCATION`.
    fn location(&mut self, v: &Location);
    /// A `STRING_LIST`.
    fn strings(&mut self, v: &[String]);
    /// An `INT64_LIST`.
    fn int64s(&mut self, v: &[i64]);
    /// A `DOUBLE_LIST`.
    fn doubles(&mut self, v: &[f64]);
    /// A `TIMESTAMP_LIST`.
    fn timestamps(&mut self, v: &[Timestamp]);
    /// A `BYTES_LIST`.
    fn bytes_list(&mut self, v: &[Vec<u8>]);
    /// An `ASSETID_LIST`.
    fn assets(&mut self, v: &[Asset]);
    /// A `LOCATION_LIST`.
    fn locations(&mut self, v: &[Location]);
    /// Any field value, as [`FieldCodec::encode`] gives it.
    fn field_value(&mut self, v: FieldValue);
}

/// Converts a Rust value to and from a CloudKit field of kind `K`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a CloudKit {K} field",
    label = "this Rust type does not fit the schema type of the field",
    note = "supported Rust types: STRING: String, Box<str> | INT64: i64, i32, i16, i8, u32, u16, u8, bool | DOUBLE: f64, f32 | TIMESTAMP: Timestamp, SystemTime (+ time::OffsetDateTime, chrono::DateTime<Utc> with features) | BYTES: Vec<u8> | REFERENCE: Reference<T> | ASSET: Asset | LOCATION: Location | LIST<X>: Vec<T> with T fitting X | any: Option<T>"
)]
pub trait FieldCodec<K>: Sized {
    /// The field value for this Rust value.
    fn encode(&self) -> FieldValue;

    /// The Rust value for a field value (never called with a null value by [`take`]).
    fn decode(value: FieldValue) -> Result<Self, DecodeError>;

    /// The Rust value for an absent or null field; an error unless the type can express it.
    fn decode_absent() -> Result<Self, DecodeError> {
        Err(DecodeError::new(DecodeErrorKind::Missing))
    }

    /// Whether the field is written at all: `false` where [`encode`](Self::encode) gives a
    /// null (`None`), which [`put`] leaves out.
    #[doc(hidden)]
    fn is_present(&self) -> bool {
        !self.encode().value.is_null()
    }

    /// Writes the field value dictionary, the same JSON as [`encode`](Self::encode) gives,
    /// without building it. Called only when [`is_present`](Self::is_present).
    #[doc(hidden)]
    fn write(&self, sink: &mut dyn ValueSink) {
        sink.field_value(self.encode());
    }

    /// Writes a list of these as [`write`](Self::write) of the `Vec` would.
    #[doc(hidden)]
    fn write_list(items: &[Self], sink: &mut dyn ValueSink)
    where
        K: ScalarKind,
    {
        let values = items.iter().map(|item| item.encode().value).collect();
        sink.field_value(FieldValue::new(K::collect(values)));
    }

    /// The Rust value for what a value of kind `K` holds; the same as [`decode`](Self::decode)
    /// of that value, without building it.
    #[doc(hidden)]
    fn from_natural(natural: K::Natural) -> Result<Self, DecodeError>
    where
        K: Kind,
    {
        Self::decode(FieldValue::new(K::natural_value(natural)))
    }

    /// The elements of a list value (`Vec<Self>`'s codec calls this). The default splits the
    /// list and decodes element by element; types that the list value holds as they are
    /// take the vector whole.
    #[doc(hidden)]
    fn decode_list(list: Value, is_encrypted: bool) -> Result<Vec<Self>, DecodeError>
    where
        K: ScalarKind,
    {
        decode_elements::<K, Self>(list, is_encrypted)
    }
}

/// Decodes a list value element by element.
fn decode_elements<K: ScalarKind, T: FieldCodec<K>>(
    list: Value,
    is_encrypted: bool,
) -> Result<Vec<T>, DecodeError> {
    let items = K::split(list).map_err(|other| wrong_type::<kind::List<K>>(&other))?;
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            T::decode(FieldValue {
                value: item,
                is_encrypted,
            })
            .map_err(|e| e.at_index(i))
        })
        .collect()
}

/// `is_present` and `write` for a type that is never absent: `write` gets the value as
/// `this`.
macro_rules! always_written {
    (|$this:ident, $sink:ident| $write:expr) => {
        fn is_present(&self) -> bool {
            true
        }

        fn write(&self, $sink: &mut dyn ValueSink) {
            let $this = self;
            $write;
        }
    };
}

/// `decode_list` for a type the list value holds unchanged.
macro_rules! whole_list {
    ($kind:ty, $variant:ident $(, $map:path)?) => {
        fn decode_list(list: Value, is_encrypted: bool) -> Result<Vec<Self>, DecodeError> {
            match list {
                Value::$variant(items) => Ok(items $(.into_iter().map($map).collect())?),
                other => decode_elements::<$kind, Self>(other, is_encrypted),
            }
        }
    };
}

/// The list and natural-value methods of a type that [`Value`] holds as it is (`String` in
/// `Value::String` and `Value::StringList`): decoding takes the value whole, writing hands the
/// slice to the sink method `$write`.
macro_rules! held_as_is {
    ($kind:ty, $variant:ident, $write:ident) => {
        whole_list!($kind, $variant);

        fn from_natural(natural: Self) -> Result<Self, DecodeError> {
            Ok(natural)
        }

        fn write_list(items: &[Self], sink: &mut dyn ValueSink) {
            sink.$write(items);
        }
    };
}

/// Encodes a value as kind `K` (selects the codec by turbofish).
pub fn encode<K, T: FieldCodec<K>>(value: &T) -> FieldValue {
    value.encode()
}

/// Encodes `value` into `fields` under `name`; null values (`None`) are left out, so a
/// `create` leaves the field unset and an `update` leaves it unchanged.
pub fn put<K, T: FieldCodec<K>>(fields: &mut Fields, name: &str, value: &T) {
    let value = value.encode();
    if !value.value.is_null() {
        fields.push(name, value);
    }
}

/// Removes the field `name` from `fields` and decodes it; errors name the field.
pub fn take<K, T: FieldCodec<K>>(fields: &mut Fields, name: &str) -> Result<T, DecodeError> {
    let result = match fields.remove(name) {
        Some(value) if !value.value.is_null() => T::decode(value),
        _ => T::decode_absent(),
    };
    result.map_err(|e| e.in_field(name))
}

/// Interprets an untyped value (sent without `type`) as kind `K`; other values pass through.
fn resolve<K: Kind>(value: FieldValue) -> Result<Value, DecodeError> {
    match value.value {
        Value::Untyped(raw) => Value::Untyped(raw).with_type(K::WIRE_TYPE).map_err(|e| {
            DecodeError::new(DecodeErrorKind::Invalid(format!(
                "value is not a valid {}: {e}",
                K::WIRE_TYPE
            )))
        }),
        other => Ok(other),
    }
}

fn wrong_type<K: Kind>(found: &Value) -> DecodeError {
    DecodeError::new(DecodeErrorKind::WrongType {
        expected: K::WIRE_TYPE.as_str(),
        found: found.describe(),
    })
}

fn out_of_range(value: impl ToString, target: &'static str) -> DecodeError {
    DecodeError::new(DecodeErrorKind::OutOfRange {
        value: value.to_string(),
        target,
    })
}

// --- STRING ---------------------------------------------------------------------------------

impl FieldCodec<kind::String> for String {
    fn encode(&self) -> FieldValue {
        FieldValue::new(Value::String(self.clone()))
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        match resolve::<kind::String>(value)? {
            Value::String(s) => Ok(s),
            other => Err(wrong_type::<kind::String>(&other)),
        }
    }

    held_as_is!(kind::String, StringList, strings);

    always_written!(|this, sink| sink.string(this));
}

impl FieldCodec<kind::String> for Box<str> {
    fn encode(&self) -> FieldValue {
        FieldValue::new(Value::String(self.to_string()))
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        <String as FieldCodec<kind::String>>::decode(value).map(String::into_boxed_str)
    }

    fn from_natural(natural: String) -> Result<Self, DecodeError> {
        Ok(natural.into_boxed_str())
    }

    always_written!(|this, sink| sink.string(this));
}

// --- INT64 ----------------------------------------------------------------------------------

fn decode_i64(value: FieldValue) -> Result<i64, DecodeError> {
    match resolve::<kind::Int64>(value)? {
        Value::Int64(i) => Ok(i),
        Value::Boolean(b) => Ok(i64::from(b)),
        other => Err(wrong_type::<kind::Int64>(&other)),
    }
}

macro_rules! int_codec {
    ($($t:ty),*) => {$(
        impl FieldCodec<kind::Int64> for $t {
            fn encode(&self) -> FieldValue {
                FieldValue::new(Value::Int64(i64::from(*self)))
            }

            fn decode(value: FieldValue) -> Result<Self, DecodeError> {
                Self::from_natural(decode_i64(value)?)
            }

            fn from_natural(i: i64) -> Result<Self, DecodeError> {
                <$t>::try_from(i).map_err(|_| out_of_range(i, stringify!($t)))
            }

            always_written!(|this, sink| sink.int64(i64::from(*this)));
        }
    )*};
}

int_codec!(i32, i16, i8, u32, u16, u8);

impl FieldCodec<kind::Int64> for i64 {
    fn encode(&self) -> FieldValue {
        FieldValue::new(Value::Int64(*self))
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        decode_i64(value)
    }

    held_as_is!(kind::Int64, Int64List, int64s);

    always_written!(|this, sink| sink.int64(*this));
}

impl FieldCodec<kind::Int64> for bool {
    fn encode(&self) -> FieldValue {
        FieldValue::new(Value::Int64(i64::from(*self)))
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        Self::from_natural(decode_i64(value)?)
    }

    fn from_natural(natural: i64) -> Result<Self, DecodeError> {
        match natural {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(out_of_range(other, "bool (0 or 1)")),
        }
    }

    always_written!(|this, sink| sink.int64(i64::from(*this)));
}

// --- DOUBLE ---------------------------------------------------------------------------------

fn decode_f64(value: FieldValue) -> Result<f64, DecodeError> {
    match resolve::<kind::Double>(value)? {
        Value::Double(d) => Ok(d),
        // An integral number written without a tag is stored as INT64 by the server.
        Value::Int64(i) => Ok(i as f64),
        other => Err(wrong_type::<kind::Double>(&other)),
    }
}

impl FieldCodec<kind::Double> for f64 {
    fn encode(&self) -> FieldValue {
        FieldValue::new(Value::Double(*self))
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        decode_f64(value)
    }

    held_as_is!(kind::Double, DoubleList, doubles);

    always_written!(|this, sink| sink.double(*this));
}

impl FieldCodec<kind::Double> for f32 {
    fn encode(&self) -> FieldValue {
        FieldValue::new(Value::Double(f64::from(*self)))
    }

    /// Rounds to the nearest `f32`; finite values beyond the `f32` range are an error.
    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        Self::from_natural(decode_f64(value)?)
    }

    fn from_natural(d: f64) -> Result<Self, DecodeError> {
        let f = d as f32;
        if d.is_finite() && !f.is_finite() {
            return Err(out_of_range(d, "f32"));
        }
        Ok(f)
    }

    always_written!(|this, sink| sink.double(f64::from(*this)));
}

// --- TIMESTAMP ------------------------------------------------------------------------------

impl FieldCodec<kind::Timestamp> for Timestamp {
    fn encode(&self) -> FieldValue {
        FieldValue::new(Value::Timestamp(*self))
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        match resolve::<kind::Timestamp>(value)? {
            Value::Timestamp(t) => Ok(t),
            other => Err(wrong_type::<kind::Timestamp>(&other)),
        }
    }

    held_as_is!(kind::Timestamp, TimestampList, timestamps);

    always_written!(|this, sink| sink.timestamp(*this));
}

impl FieldCodec<kind::Timestamp> for SystemTime {
    /// Truncates to whole milliseconds.
    fn encode(&self) -> FieldValue {
        FieldValue::new(Value::Timestamp(Timestamp::from(*self)))
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        Self::from_natural(<Timestamp as FieldCodec<kind::Timestamp>>::decode(value)?)
    }

    fn from_natural(t: Timestamp) -> Result<Self, DecodeError> {
        t.to_system_time()
            .ok_or_else(|| out_of_range(t.as_millis(), "SystemTime"))
    }

    always_written!(|this, sink| sink.timestamp(Timestamp::from(*this)));
}

#[cfg(feature = "time")]
impl FieldCodec<kind::Timestamp> for time::OffsetDateTime {
    /// Truncates to whole milliseconds.
    fn encode(&self) -> FieldValue {
        FieldValue::new(Value::Timestamp(Timestamp::from(*self)))
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        Self::from_natural(<Timestamp as FieldCodec<kind::Timestamp>>::decode(value)?)
    }

    fn from_natural(t: Timestamp) -> Result<Self, DecodeError> {
        time::OffsetDateTime::try_from(t).map_err(|_| out_of_range(t.as_millis(), "OffsetDateTime"))
    }

    always_written!(|this, sink| sink.timestamp(Timestamp::from(*this)));
}

#[cfg(feature = "chrono")]
impl FieldCodec<kind::Timestamp> for chrono::DateTime<chrono::Utc> {
    /// Truncates to whole milliseconds.
    fn encode(&self) -> FieldValue {
        FieldValue::new(Value::Timestamp(Timestamp::from(*self)))
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        Self::from_natural(<Timestamp as FieldCodec<kind::Timestamp>>::decode(value)?)
    }

    fn from_natural(t: Timestamp) -> Result<Self, DecodeError> {
        chrono::DateTime::<chrono::Utc>::try_from(t)
            .map_err(|_| out_of_range(t.as_millis(), "DateTime<Utc>"))
    }

    always_written!(|this, sink| sink.timestamp(Timestamp::from(*this)));
}

// --- BYTES, REFERENCE, ASSET, LOCATION ------------------------------------------------------

impl FieldCodec<kind::Bytes> for Vec<u8> {
    fn encode(&self) -> FieldValue {
        FieldValue::new(Value::Bytes(self.clone()))
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        match resolve::<kind::Bytes>(value)? {
            Value::Bytes(b) | Value::EncryptedBytes(b) => Ok(b),
            other => Err(wrong_type::<kind::Bytes>(&other)),
        }
    }

    held_as_is!(kind::Bytes, BytesList, bytes_list);

    always_written!(|this, sink| sink.bytes(this));
}

impl<T> FieldCodec<kind::Reference> for Reference<T> {
    fn encode(&self) -> FieldValue {
        FieldValue::new(Value::Reference(Box::new(self.clone().cast())))
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        match resolve::<kind::Reference>(value)? {
            Value::Reference(r) => Ok((*r).cast()),
            other => Err(wrong_type::<kind::Reference>(&other)),
        }
    }

    whole_list!(kind::Reference, ReferenceList, Reference::cast);

    fn from_natural(natural: Reference) -> Result<Self, DecodeError> {
        Ok(natural.cast())
    }

    always_written!(|this, sink| sink.reference(
        &this.record_name,
        this.zone_id.as_ref(),
        this.action
    ));
}

impl FieldCodec<kind::Asset> for Asset {
    fn encode(&self) -> FieldValue {
        FieldValue::new(Value::AssetId(Box::new(self.clone())))
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        match resolve::<kind::Asset>(value)? {
            Value::AssetId(a) | Value::Asset(a) => Ok(*a),
            other => Err(wrong_type::<kind::Asset>(&other)),
        }
    }

    held_as_is!(kind::Asset, AssetIdList, assets);

    always_written!(|this, sink| sink.asset(this));
}

impl FieldCodec<kind::Location> for Location {
    fn encode(&self) -> FieldValue {
        FieldValue::new(Value::Location(Box::new(self.clone())))
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        match resolve::<kind::Location>(value)? {
            Value::Location(l) => Ok(*l),
            other => Err(wrong_type::<kind::Location>(&other)),
        }
    }

    held_as_is!(kind::Location, LocationList, locations);

    always_written!(|this, sink| sink.location(this));
}

// --- Option, lists --------------------------------------------------------------------------

impl<K: Kind, T: FieldCodec<K>> FieldCodec<K> for Option<T> {
    /// `None` encodes as a typed null.
    fn encode(&self) -> FieldValue {
        match self {
            Some(v) => v.encode(),
            None => FieldValue::null(K::WIRE_TYPE),
        }
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        if value.value.is_null() {
            Ok(None)
        } else {
            T::decode(value).map(Some)
        }
    }

    fn decode_absent() -> Result<Self, DecodeError> {
        Ok(None)
    }

    fn from_natural(natural: K::Natural) -> Result<Self, DecodeError> {
        T::from_natural(natural).map(Some)
    }

    fn is_present(&self) -> bool {
        self.as_ref().is_some_and(T::is_present)
    }

    fn write(&self, sink: &mut dyn ValueSink) {
        match self {
            Some(v) => v.write(sink),
            None => sink.field_value(FieldValue::null(K::WIRE_TYPE)),
        }
    }
}

impl<K: ScalarKind, T: FieldCodec<K>> FieldCodec<kind::List<K>> for Vec<T> {
    /// Null elements (`None` inside the vector) are left out: lists cannot hold nulls.
    fn encode(&self) -> FieldValue {
        let items = self.iter().map(|item| item.encode().value).collect();
        FieldValue::new(K::collect(items))
    }

    fn decode(value: FieldValue) -> Result<Self, DecodeError> {
        let is_encrypted = value.is_encrypted;
        T::decode_list(resolve::<kind::List<K>>(value)?, is_encrypted)
    }

    fn decode_absent() -> Result<Self, DecodeError> {
        Ok(Vec::new())
    }

    fn from_natural(natural: <kind::List<K> as Kind>::Natural) -> Result<Self, DecodeError> {
        natural
            .into_iter()
            .enumerate()
            .map(|(i, item)| T::from_natural(item).map_err(|e| e.at_index(i)))
            .collect()
    }

    always_written!(|this, sink| T::write_list(this, sink));
}

#[doc(hidden)]
pub mod derived;
mod query_value;

pub use query_value::QueryValue;

#[cfg(test)]
mod tests;
