//! Where the direct record encoder writes field values ([`ValueSink`]).

use crate::asset::Asset;
use crate::location::Location;
use crate::reference::ReferenceAction;
use crate::timestamp::Timestamp;
use crate::ws::FieldValue;
use crate::zone::ZoneId;

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
    /// Any field value, as [`FieldCodec::encode`](super::FieldCodec::encode) gives it.
    fn field_value(&mut self, v: FieldValue);
}
