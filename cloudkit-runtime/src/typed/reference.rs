//! References between typed records: [`ReferenceTo::to`] builds one from a saved record.

use cloudkit_wire::{CloudKitRecord, Reference};

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
