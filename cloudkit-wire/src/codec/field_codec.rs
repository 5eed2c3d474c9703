//! The [`FieldCodec`] trait, and its implementation for every Rust type a schema kind accepts.

use std::time::SystemTime;

use super::kind::{self, Kind, ScalarKind};
use super::value_sink::ValueSink;
use crate::asset::Asset;
use crate::decode_error::{DecodeError, DecodeErrorKind};
use crate::location::Location;
use crate::reference::Reference;
use crate::timestamp::Timestamp;
use crate::ws::{FieldValue, Value};

/// Converts a Rust value to and from a CloudKit field of kind `K`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a CloudKit {K} field",
    label = "this Rust type does not fit the schema type of the field",
    note = "supported Rust types: STRING: String, Box<str> | INT64: i64, i32, i16, i8, u32, u16, u8, bool | DOUBLE: f64, f32 | TIMESTAMP: Timestamp, SystemTime (+ time::OffsetDateTime, chrono::DateTime<Utc> with features) | BYTES: Vec<u8> | REFERENCE: Reference<T> | ASSET: Asset | LOCATION: Location | LIST<X>: Vec<T> with T fitting X | any: Option<T>"
)]
pub trait FieldCodec<K>: Sized {
    /// The field value for this Rust value.
    fn encode(&self) -> FieldValue;

    /// The Rust value for a field value (never called with a null value by [`take`](super::take)).
    fn decode(value: FieldValue) -> Result<Self, DecodeError>;

    /// The Rust value for an absent or null field; an error unless the type can express it.
    fn decode_absent() -> Result<Self, DecodeError> {
        Err(DecodeError::new(DecodeErrorKind::Missing))
    }

    /// Whether the field is written at all: `false` where [`encode`](Self::encode) gives a
    /// null (`None`), which [`put`](super::put) leaves out.
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
