//! References between typed records: [`ReferenceTo::to`] builds one from a saved record, and
//! [`References`] types the filters of a REFERENCE field by its target.

use std::marker::PhantomData;

use cloudkit_wire::codec::kind;
use cloudkit_wire::ws::FieldValue;
use cloudkit_wire::{CloudKitRecord, Reference};

use super::value::{Accepts, QueryValue};

/// Builds a [`Reference`] to a record from the record itself.
///
/// ```ignore
/// use cloudkit_runtime::typed::ReferenceTo;
///
/// let season: Season = db.save(&season).await?;
/// let game = Game { season: Reference::to(&season).expect("saved"), ..game };
/// ```
pub trait ReferenceTo<T>: Sized {
    /// A reference (action `NONE`) to `record`, by its record name and zone; `None` when the
    /// record has no name yet (never saved, and none chosen), since CloudKit references name
    /// their target.
    fn to(record: &T) -> Option<Self>;
}

impl<T: CloudKitRecord> ReferenceTo<T> for Reference<T> {
    fn to(record: &T) -> Option<Self> {
        // The record dictionary is the one place a record struct exposes its name and zone,
        // whatever its system-fields member is called.
        let record = record.to_record();
        let reference = Reference::new(record.record_name?);
        Some(match record.zone_id {
            Some(zone_id) => reference.in_zone(zone_id),
            None => reference,
        })
    }
}

/// The kind of a REFERENCE field held as `Reference<T>` in its record struct: its filters
/// compare it with `Reference<T>` only, so a reference to a record of another type does not
/// compile. (CloudKit references are untyped, so the target comes from the Rust field; a field
/// held as plain `Reference`, or not held at all, compares with any reference.)
pub struct References<T>(PhantomData<fn() -> T>);

/// A value a REFERENCE field pointing at `T` records compares with: `Reference<T>`.
#[diagnostic::on_unimplemented(
    message = "this field references `{T}` records, and `{Self}` is not a `Reference<{T}>`",
    label = "a reference to another record type",
    note = "the target type comes from the record struct's field, `Reference<{T}>`; build a value with `Reference::to(&record)` from a saved `{T}`, or retype one with `Reference::cast`"
)]
pub trait ReferenceValue<T>: QueryValue<kind::Reference> {}

impl<T> ReferenceValue<T> for Reference<T> {}

impl<T, V: ReferenceValue<T>> Accepts<V> for References<T> {
    type Wire = kind::Reference;

    fn field_value(value: &V) -> FieldValue {
        value.to_field_value()
    }
}
