//! Record dictionaries read into and written from a [`CloudKitRecord`] type directly, without
//! the dynamic [`Record`](super::Record) in between.
//!
//! A derived struct decodes each field's `value` as its own Rust type while the JSON is read
//! (the schema says which), so no field name is stored and no `Fields` list is built; and it
//! writes each field from its place, without copying it. Types that implement
//! [`CloudKitRecord`] by hand go through [`Record`](super::Record), `from_record` and
//! `to_record`; the results are the same.

use std::marker::PhantomData;

use serde::de::DeserializeSeed;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::record::{RecordsArray, TypedRecordResult};
use crate::record::CloudKitRecord;

/// A [`CloudKitRecord`] value serialized as its record dictionary: the same JSON as
/// serializing `value.to_record()`, and for derived types written straight from the fields,
/// without copying them into a [`Record`](super::Record) first.
///
/// ```
/// use cloudkit_wire::ws::{AsRecord, Record};
/// use cloudkit_wire::{CloudKitRecord, DecodeError};
///
/// struct Ping;
/// impl CloudKitRecord for Ping {
///     const RECORD_TYPE: &'static str = "Ping";
///     fn to_record(&self) -> Record { Record::named("Ping", "p1") }
///     fn from_record(_: Record) -> Result<Self, DecodeError> { Ok(Ping) }
/// }
///
/// assert_eq!(
///     serde_json::to_string(&AsRecord(&Ping))?,
///     r#"{"recordName":"p1","recordType":"Ping"}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug)]
pub struct AsRecord<'a, T>(pub &'a T);

// By hand: derives would ask `T: Clone`, but only the reference is copied.
impl<T> Clone for AsRecord<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for AsRecord<'_, T> {}

impl<T: CloudKitRecord> Serialize for AsRecord<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_record(s)
    }
}

/// Response of `records/lookup` and `records/query` decoded straight into `T`.
///
/// A record that does not fit `T` (another record type, a field of another type, a required
/// field missing) is kept in place as a [`DecodeError`](crate::DecodeError); the other
/// records still decode.
/// JSON that is not a CloudKit response at all fails the whole response, as with
/// [`RecordsResponse`](super::RecordsResponse).
///
/// ```
/// use cloudkit_wire::ws::{Record, RecordEntry, TypedRecordsResponse};
/// use cloudkit_wire::{CloudKitRecord, DecodeError};
///
/// // A hand-written impl; `#[derive(CloudKitRecord)]` generates a faster one.
/// struct Ping;
/// impl CloudKitRecord for Ping {
///     const RECORD_TYPE: &'static str = "Ping";
///     fn to_record(&self) -> Record { Record::new("Ping") }
///     fn from_record(record: Record) -> Result<Self, DecodeError> {
///         cloudkit_wire::check_record_type(&record, "Ping").map(|()| Ping)
///     }
/// }
///
/// let page = TypedRecordsResponse::<Ping>::from_json(
///     r#"{"records":[{"recordName":"a","recordType":"Ping"},{"recordName":"b","recordType":"Pong"}],
///         "continuationMarker":"m1"}"#,
/// )?;
/// assert!(matches!(page.records[0], Ok(RecordEntry::Record(Ok(Ping)))));
/// assert!(matches!(page.records[1], Ok(RecordEntry::Record(Err(_)))));
/// assert_eq!(page.continuation_marker.as_deref(), Some("m1"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: CloudKitRecord"))]
pub struct TypedRecordsResponse<T> {
    /// One element per requested record (lookup) or per match (query), in order.
    #[serde(default = "Vec::new", deserialize_with = "lenient_results")]
    pub records: Vec<TypedRecordResult<T>>,
    /// `records/query`: present only when more results exist.
    #[serde(default)]
    pub continuation_marker: Option<String>,
}

impl<T: CloudKitRecord> TypedRecordsResponse<T> {
    /// Decodes a response body. Faster than `serde_json::from_slice` for derived types: the
    /// body is first read expecting every field to have the type the schema gives it, and
    /// only read again leniently (as `Deserialize` does) if some field does not. The result
    /// is the same either way.
    pub fn from_slice(json: &[u8]) -> serde_json::Result<Self> {
        Self::from_slice_exact(json).or_else(|_| serde_json::from_slice(json))
    }

    /// [`from_slice`](Self::from_slice) for text (which serde_json need not check for UTF-8).
    pub fn from_json(json: &str) -> serde_json::Result<Self> {
        serde_json::from_str::<Exact<T>>(json)
            .map(|Exact(response)| response)
            .or_else(|_| serde_json::from_str(json))
    }

    /// The exact reading alone: an error where some field's type differs from the schema's
    /// (or has no `type`), even if the lenient reading would accept it.
    pub fn from_slice_exact(json: &[u8]) -> serde_json::Result<Self> {
        serde_json::from_slice::<Exact<T>>(json).map(|Exact(response)| response)
    }
}

/// The exact reading of a response.
struct Exact<T>(TypedRecordsResponse<T>);

impl<'de, T: CloudKitRecord> Deserialize<'de> for Exact<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", bound(deserialize = "T: CloudKitRecord"))]
        struct Body<T> {
            #[serde(default = "Vec::new", deserialize_with = "exact_results")]
            records: Vec<TypedRecordResult<T>>,
            #[serde(default)]
            continuation_marker: Option<String>,
        }
        let body = Body::<T>::deserialize(d)?;
        Ok(Exact(TypedRecordsResponse {
            records: body.records,
            continuation_marker: body.continuation_marker,
        }))
    }
}

fn lenient_results<'de, D: Deserializer<'de>, T: CloudKitRecord>(
    d: D,
) -> Result<Vec<TypedRecordResult<T>>, D::Error> {
    d.deserialize_any(RecordsArray(Element::<T, false>(PhantomData)))
}

fn exact_results<'de, D: Deserializer<'de>, T: CloudKitRecord>(
    d: D,
) -> Result<Vec<TypedRecordResult<T>>, D::Error> {
    d.deserialize_any(RecordsArray(Element::<T, true>(PhantomData)))
}

/// One element, decoded by `T`'s own element decoder.
struct Element<T, const EXACT: bool>(PhantomData<fn() -> T>);

// By hand: derives would ask `T: Copy`.
impl<T, const EXACT: bool> Clone for Element<T, EXACT> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, const EXACT: bool> Copy for Element<T, EXACT> {}

impl<'de, T: CloudKitRecord, const EXACT: bool> DeserializeSeed<'de> for Element<T, EXACT> {
    type Value = TypedRecordResult<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        if EXACT {
            T::deserialize_record_element_exact(d)
        } else {
            T::deserialize_record_element(d)
        }
    }
}
