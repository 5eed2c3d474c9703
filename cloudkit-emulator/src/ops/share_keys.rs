//! The share-hierarchy keys of a record dictionary (spec §4.1): `parent`, and `shortGUID`
//! given by `createShortGUID`.

use cloudkit_wire::Reference;
use cloudkit_wire::ws::Record;

use super::context::ZoneTarget;
use super::names;
use crate::error::ServerError;
use crate::ids::new_short_guid;
use crate::storage::StoredRecord;

/// The parent to store for a saved record. A record sent without `parent` keeps the one it
/// has on `update` (which merges) and loses it on `replace`, like its fields.
pub fn parent_to_store(
    sent: Option<&Reference>,
    target: &ZoneTarget,
    record_name: &str,
    existing: Option<&StoredRecord>,
    merge: bool,
) -> Result<Option<String>, ServerError> {
    let Some(parent) = sent else {
        return Ok(if merge {
            existing.and_then(|r| r.parent.clone())
        } else {
            None
        });
    };
    names::check_record_name(&parent.record_name)?;
    // A share hierarchy lives in one zone: CloudKit shares a root with everything under it.
    if let Some(zone) = &parent.zone_id
        && zone.zone_name != target.zone_name
    {
        return Err(ServerError::bad_request(format!(
            "the parent of a record must be in its zone {}, not {}",
            target.zone_name, zone.zone_name
        )));
    }
    if parent.record_name == record_name {
        return Err(ServerError::bad_request(
            "a record cannot be its own parent",
        ));
    }
    Ok(Some(parent.record_name.clone()))
}

/// The shortGUID to store: the record keeps the one it has; `createShortGUID` gives one to a
/// record without.
pub fn short_guid_to_store(
    create: Option<bool>,
    existing: Option<&StoredRecord>,
) -> Option<String> {
    existing
        .and_then(|r| r.short_guid.clone())
        .or_else(|| create.unwrap_or(false).then(new_short_guid))
}

/// Puts the stored keys into the record dictionary sent back.
pub fn add_share_keys(record: &mut Record, stored: &StoredRecord) {
    record.parent = stored.parent.as_deref().map(Reference::without_action);
    record.short_guid = stored.short_guid.clone();
}
