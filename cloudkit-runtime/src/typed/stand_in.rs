//! TEMPORARY stand-in for the record trait, system fields and field codecs that the `wire`
//! branch provides (same names and signatures as announced). Deleted when that lands.

use std::fmt;

use crate::wire::{FieldValue, Record, RecordStamp, Value, WireType};
use crate::{Asset, Location, Reference, Timestamp, ZoneId};

/// A record could not be decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    field: Option<String>,
    message: String,
}

impl DecodeError {
    fn new(message: impl Into<String>) -> Self {
        DecodeError {
            field: None,
            message: message.into(),
        }
    }

    /// Fails unless `record` has type `record_type`.
    pub fn check_record_type(record_type: &str, record: &Record) -> Result<(), DecodeError> {
        match record.record_type.as_deref() {
            Some(t) if t != record_type => Err(DecodeError::new(format!(
                "expected a `{record_type}` record, got `{t}`"
            ))),
            _ => Ok(()),
        }
    }

    /// Names the field the error is about.
    pub fn in_field(mut self, name: &str) -> Self {
        self.field = Some(name.to_owned());
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "field `{field}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A Rust type stored as a CloudKit record.
pub trait CloudKitRecord: Sized {
    /// The schema's record type name.
    const RECORD_TYPE: &'static str;
    /// The record dictionary to save.
    fn to_record(&self) -> Record;
    /// Decodes a record dictionary.
    fn from_record(record: Record) -> Result<Self, DecodeError>;
}

/// A record's metadata: name, change tag, zone, created and modified.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SystemFields {
    /// `recordName`.
    pub record_name: Option<String>,
    /// `recordChangeTag`.
    pub change_tag: Option<String>,
    /// `zoneID`.
    pub zone_id: Option<ZoneId>,
    /// `created`.
    pub created: Option<RecordStamp>,
    /// `modified`.
    pub modified: Option<RecordStamp>,
}

impl SystemFields {
    /// Copies the identity and change tag into a record to save.
    pub fn apply_to(&self, record: &mut Record) {
        record.record_name = self.record_name.clone();
        record.record_change_tag = self.change_tag.clone();
        record.zone_id = self.zone_id.clone();
    }

    /// Reads them from a record.
    pub fn from_record(record: &Record) -> Self {
        SystemFields {
            record_name: record.record_name.clone(),
            change_tag: record.record_change_tag.clone(),
            zone_id: record.zone_id.clone(),
            created: record.created.clone(),
            modified: record.modified.clone(),
        }
    }
}

/// Field codecs chosen by schema kind.
pub mod codec {
    use super::*;

    /// Schema kinds.
    pub mod kind {
        use std::marker::PhantomData;

        /// `STRING`.
        pub struct String;
        /// `INT64`.
        pub struct Int64;
        /// `DOUBLE`.
        pub struct Double;
        /// `TIMESTAMP`.
        pub struct Timestamp;
        /// `BYTES`.
        pub struct Bytes;
        /// `REFERENCE`.
        pub struct Reference;
        /// `ASSET`.
        pub struct Asset;
        /// `LOCATION`.
        pub struct Location;
        /// `LIST<K>`.
        pub struct List<K>(PhantomData<K>);
    }

    /// Encodes and decodes a Rust value as a field of schema kind `K`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot hold a CloudKit field of this schema type",
        label = "this Rust type does not fit the schema type"
    )]
    pub trait FieldCodec<K>: Sized {
        /// The field value dictionary.
        fn encode(&self) -> FieldValue;
        /// Decodes a field value dictionary.
        fn decode(value: FieldValue) -> Result<Self, DecodeError>;
    }

    /// Per-kind wire facts.
    pub trait KindInfo {
        /// The kind's wire type.
        const WIRE: WireType;
        /// Builds a list value from element values.
        fn list(values: Vec<Value>) -> Value;
        /// Splits a list value into element values.
        fn split(value: Value) -> Option<Vec<Value>>;
    }

    macro_rules! kind_info {
        ($($kind:ident => $wire:ident, $list:ident, $variant:ident;)*) => {$(
            impl KindInfo for kind::$kind {
                const WIRE: WireType = WireType::$wire;
                fn list(values: Vec<Value>) -> Value {
                    Value::$list(values.into_iter().filter_map(|v| match v {
                        Value::$variant(x) => Some(x),
                        _ => None,
                    }).collect())
                }
                fn split(value: Value) -> Option<Vec<Value>> {
                    match value {
                        Value::$list(xs) => Some(xs.into_iter().map(Value::$variant).collect()),
                        _ => None,
                    }
                }
            }
        )*};
    }

    kind_info! {
        String => String, StringList, String;
        Int64 => Int64, Int64List, Int64;
        Double => Double, DoubleList, Double;
        Timestamp => Timestamp, TimestampList, Timestamp;
        Bytes => Bytes, BytesList, Bytes;
        Reference => Reference, ReferenceList, Reference;
        Asset => AssetId, AssetIdList, AssetId;
        Location => Location, LocationList, Location;
    }

    fn mismatch(expected: &str, got: &Value) -> DecodeError {
        DecodeError::new(format!("expected {expected}, got {}", got.describe()))
    }

    macro_rules! scalar {
        ($kind:ident, $ty:ty, $variant:ident, |$e:ident| $enc:expr, |$d:ident| $dec:expr) => {
            impl FieldCodec<kind::$kind> for $ty {
                fn encode(&self) -> FieldValue {
                    let $e = self;
                    FieldValue::new(Value::$variant($enc))
                }
                fn decode(value: FieldValue) -> Result<Self, DecodeError> {
                    match value.value {
                        Value::$variant($d) => $dec,
                        other => Err(mismatch(stringify!($variant), &other)),
                    }
                }
            }
        };
    }

    scalar!(String, String, String, |v| v.clone(), |v| Ok(v));
    scalar!(Int64, i64, Int64, |v| *v, |v| Ok(v));
    macro_rules! int {
        ($($t:ty),*) => {$(
            scalar!(Int64, $t, Int64, |v| i64::from(*v), |v| <$t>::try_from(v)
                .map_err(|_| DecodeError::new(format!("{v} does not fit {}", stringify!($t)))));
        )*};
    }
    int!(i32, i16, i8, u32, u16, u8);
    impl FieldCodec<kind::Int64> for bool {
        fn encode(&self) -> FieldValue {
            FieldValue::new(Value::Int64(i64::from(*self)))
        }
        fn decode(value: FieldValue) -> Result<Self, DecodeError> {
            match value.value {
                Value::Int64(v) => Ok(v != 0),
                Value::Boolean(b) => Ok(b),
                other => Err(mismatch("INT64", &other)),
            }
        }
    }
    scalar!(Double, f64, Double, |v| *v, |v| Ok(v));
    #[allow(clippy::cast_possible_truncation)]
    fn narrow(v: f64) -> f32 {
        v as f32
    }
    scalar!(Double, f32, Double, |v| f64::from(*v), |v| Ok(narrow(v)));
    scalar!(Timestamp, Timestamp, Timestamp, |v| *v, |v| Ok(v));
    scalar!(
        Timestamp,
        std::time::SystemTime,
        Timestamp,
        |v| Timestamp::from(*v),
        |v| {
            std::time::SystemTime::try_from(v)
                .map_err(|_| DecodeError::new("timestamp out of range"))
        }
    );
    scalar!(Bytes, Vec<u8>, Bytes, |v| v.clone(), |v| Ok(v));
    scalar!(Asset, Asset, AssetId, |v| v.clone(), |v| Ok(v));
    scalar!(Location, Location, Location, |v| v.clone(), |v| Ok(v));

    impl<T> FieldCodec<kind::Reference> for Reference<T> {
        fn encode(&self) -> FieldValue {
            FieldValue::new(Value::Reference(self.clone().cast()))
        }
        fn decode(value: FieldValue) -> Result<Self, DecodeError> {
            match value.value {
                Value::Reference(r) => Ok(r.cast()),
                other => Err(mismatch("REFERENCE", &other)),
            }
        }
    }

    impl<K: KindInfo, T: FieldCodec<K>> FieldCodec<kind::List<K>> for Vec<T> {
        fn encode(&self) -> FieldValue {
            FieldValue::new(K::list(self.iter().map(|v| v.encode().value).collect()))
        }
        fn decode(value: FieldValue) -> Result<Self, DecodeError> {
            let described = value.value.describe();
            let elements = K::split(value.value)
                .ok_or_else(|| DecodeError::new(format!("expected a list, got {described}")))?;
            elements
                .into_iter()
                .map(|v| T::decode(FieldValue::new(v)))
                .collect()
        }
    }

    /// The wire type of a kind, lists included.
    pub trait Wire {
        /// The type tag.
        const TYPE: WireType;
    }
    impl<K: KindInfo> Wire for K {
        const TYPE: WireType = K::WIRE;
    }

    impl<K: KindInfo, T: FieldCodec<K>> FieldCodec<K> for Option<T> {
        fn encode(&self) -> FieldValue {
            match self {
                Some(v) => v.encode(),
                None => FieldValue::null(K::WIRE),
            }
        }
        fn decode(value: FieldValue) -> Result<Self, DecodeError> {
            if value.value.is_null() {
                Ok(None)
            } else {
                T::decode(value).map(Some)
            }
        }
    }

    impl<K: KindInfo, T> FieldCodec<kind::List<K>> for Option<Vec<T>>
    where
        Vec<T>: FieldCodec<kind::List<K>>,
    {
        fn encode(&self) -> FieldValue {
            match self {
                Some(v) => v.encode(),
                None => FieldValue::null(K::WIRE.list_type().unwrap_or(WireType::UnknownList)),
            }
        }
        fn decode(value: FieldValue) -> Result<Self, DecodeError> {
            if value.value.is_null() {
                Ok(None)
            } else {
                Vec::<T>::decode(value).map(Some)
            }
        }
    }
}
