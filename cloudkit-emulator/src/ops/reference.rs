//! Reference actions (spec §4.8): `VALIDATE` targets must exist when saved and cannot be
//! deleted while referenced; deleting the target of a `DELETE_SELF` reference deletes the
//! source too, at once (the emulator's zones all behave like custom zones here).

use std::collections::HashSet;

use cloudkit_wire::ws::{Fields, Value};
use cloudkit_wire::{Reference, ReferenceAction};

use super::context::ZoneTarget;
use super::record_dict::stored_fields;
use crate::change_tag;
use crate::error::{ServerError, ServerErrorCode};
use crate::storage::{Stamp, StoredRecord, Tx};

/// Every reference value in the fields.
pub fn references(fields: &Fields) -> Vec<&Reference> {
    let mut out = Vec::new();
    for (_, f) in fields.iter() {
        match &f.value {
            Value::Reference(r) => out.push(&**r),
            Value::ReferenceList(rs) => out.extend(rs.iter()),
            _ => {}
        }
    }
    out
}

fn validating(reason: String) -> ServerError {
    ServerError::new(ServerErrorCode::ValidatingReferenceError, reason)
}

/// Checks the references of a record about to be saved as `record_name` in `target`.
pub fn check_targets(
    tx: &Tx<'_>,
    target: &ZoneTarget,
    record_name: &str,
    fields: &Fields,
) -> Result<(), ServerError> {
    for r in references(fields) {
        let acting = matches!(
            r.action,
            Some(ReferenceAction::Validate | ReferenceAction::DeleteSelf)
        );
        if let Some(zone) = &r.zone_id
            && acting
            && zone.zone_name != target.zone_name
        {
            return Err(ServerError::bad_request(format!(
                "reference to {} in zone {} with action {}: references with actions must stay within their zone",
                r.record_name,
                zone.zone_name,
                r.action.map_or("NONE", |a| a.as_str())
            )));
        }
        if r.action == Some(ReferenceAction::Validate) && r.record_name != record_name {
            let exists = tx
                .record(&target.db, &target.zone_name, &r.record_name)?
                .is_some_and(|t| !t.deleted);
            if !exists {
                return Err(validating(format!(
                    "reference with action VALIDATE points at missing record {}",
                    r.record_name
                )));
            }
        }
    }
    Ok(())
}

/// Tombstones `record` and, first, every record whose `DELETE_SELF` reference points at it.
/// Fails with `VALIDATING_REFERENCE_ERROR` when a `VALIDATE` reference points at any record
/// the deletion would remove. The caller runs this inside a savepoint.
pub fn delete_cascading(
    tx: &mut Tx<'_>,
    target: &ZoneTarget,
    record: StoredRecord,
    by: &str,
    now: i64,
    seen: &mut HashSet<String>,
) -> Result<(), ServerError> {
    if !seen.insert(record.record_name.clone()) {
        return Ok(());
    }
    for source in tx.records_mentioning(&target.db, &target.zone_name, &record.record_name)? {
        let fields = stored_fields(&source)?;
        let actions: Vec<Option<ReferenceAction>> = references(&fields)
            .into_iter()
            .filter(|r| r.record_name == record.record_name)
            .map(|r| r.action)
            .collect();
        if actions.contains(&Some(ReferenceAction::Validate)) && !seen.contains(&source.record_name)
        {
            return Err(validating(format!(
                "record {} is referenced by {} with action VALIDATE",
                record.record_name, source.record_name
            )));
        }
        if actions.contains(&Some(ReferenceAction::DeleteSelf)) {
            delete_cascading(tx, target, source, by, now, seen)?;
        }
    }
    let seq = tx.next_seq()?;
    let stone = StoredRecord {
        change_tag: change_tag::from_seq(seq),
        fields: "{}".to_owned(),
        change_seq: seq,
        deleted: true,
        modified: Stamp {
            timestamp: now,
            user_record_name: by.to_owned(),
        },
        ..record
    };
    tx.put_record(&target.db, &stone)?;
    if !target.is_default() {
        tx.touch_zone(&target.db, &target.zone_name, seq)?;
    }
    Ok(())
}
