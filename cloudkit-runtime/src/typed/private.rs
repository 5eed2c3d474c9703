//! The one doorway generated code uses into this crate (and, through it, into cloudkit-wire).
//! Not public API: names here may change in any release, together with the code generator.

pub use super::field::{FieldHandle, FieldMarker, FieldName};
pub use super::index::{
    Geo, ListOf, Ordered, Queryable, Searchable, SingleValue, Sortable, Text, TextList, Tokenized,
    Unencrypted,
};
pub use super::query::Query;
pub use super::reference::References;
pub use super::subscription::QuerySubscription;
pub use cloudkit_wire::codec::derived::{
    Codec, FieldReader, FieldRef, FieldSlots, RecordReader, RecordWriter, WriteField,
    deserialize_record_element, deserialize_record_element_exact, serialize_record, take_slot,
};
pub use cloudkit_wire::codec::{FieldCodec, ValueSink, kind};
pub use cloudkit_wire::ws::{Record, TypedRecordResult};
pub use cloudkit_wire::{CloudKitRecord, DecodeError, SystemFields, check_record_type};
pub use serde::de::MapAccess;
pub use serde::{Deserializer, Serializer};
