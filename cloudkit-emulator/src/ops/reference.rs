//! Reference actions (spec §4.8): `VALIDATE` targets must exist when saved and cannot be
//! deleted while referenced; deleting the target of a `DELETE_SELF` reference deletes the
//! source too, at once (the emulator's zones all behave like custom zones here). At most
//! [`MAX_DELETE_SELF_REFERRERS`] records may point at one target with `DELETE_SELF` (spec §6);
//! the next one is refused with `BAD_REQUEST` when saved.

use std::collections::{HashSet, VecDeque};

use cloudkit_wire::ws::{Fields, Value};
use cloudkit_wire::{Reference, ReferenceAction};

use super::context::ZoneTarget;
use super::names::shown;
use crate::change_tag;
use crate::error::{ServerError, ServerErrorCode};
use crate::storage::{Stamp, StoredRecord, Tx};

/// Most `DELETE_SELF` references to one record (spec §6).
pub const MAX_DELETE_SELF_REFERRERS: usize = 750;

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
        if r.action == Some(ReferenceAction::DeleteSelf) && r.record_name != record_name {
            let n = tx.count_referrers(
                &target.db,
                &target.zone_name,
                &r.record_name,
                ReferenceAction::DeleteSelf.as_str(),
                record_name,
            )?;
            if n >= MAX_DELETE_SELF_REFERRERS {
                return Err(ServerError::bad_request(format!(
                    "record {} already has {n} DELETE_SELF references, the limit is {MAX_DELETE_SELF_REFERRERS}",
                    shown(&r.record_name)
                )));
            }
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

/// Keeps the store's list of the references with an action that a saved record holds.
pub fn index_references(
    tx: &mut Tx<'_>,
    target: &ZoneTarget,
    record_name: &str,
    fields: &Fields,
) -> Result<(), ServerError> {
    let acting: Vec<(&str, &str)> = references(fields)
        .into_iter()
        .filter(|r| {
            r.zone_id
                .as_ref()
                .is_none_or(|z| z.zone_name == target.zone_name)
        })
        .filter_map(|r| match r.action {
            Some(a @ (ReferenceAction::Validate | ReferenceAction::DeleteSelf)) => {
                Some((r.record_name.as_str(), a.as_str()))
            }
            _ => None,
        })
        .collect();
    tx.set_references(&target.db, &target.zone_name, record_name, &acting)?;
    Ok(())
}

/// Tombstones `record` and every record that points at it, directly or through others, with
/// `DELETE_SELF`. Fails with `VALIDATING_REFERENCE_ERROR` when a record outside that set
/// points at one inside it with `VALIDATE`. Breadth first over the store's reference list, so
/// a chain of any length takes one indexed lookup per record and no recursion. The caller
/// runs this inside a savepoint. `on_cascade` sees each record the cascade removes (not
/// `record` itself, which the caller handles), as it was, before it is tombstoned.
pub fn delete_cascading(
    tx: &mut Tx<'_>,
    target: &ZoneTarget,
    record: StoredRecord,
    by: &str,
    now: i64,
    mut on_cascade: impl FnMut(&mut Tx<'_>, &StoredRecord) -> Result<(), ServerError>,
) -> Result<(), ServerError> {
    let delete_self = ReferenceAction::DeleteSelf.as_str();
    let mut doomed: Vec<String> = vec![record.record_name.clone()];
    let mut seen: HashSet<String> = doomed.iter().cloned().collect();
    // Referrers with VALIDATE, checked once the whole set is known.
    let mut validating_refs: Vec<(String, String)> = Vec::new();
    let mut queue: VecDeque<String> = VecDeque::from([record.record_name.clone()]);
    while let Some(name) = queue.pop_front() {
        for referrer in tx.referrers(&target.db, &target.zone_name, &name)? {
            if referrer.action == delete_self {
                if seen.insert(referrer.source_name.clone()) {
                    doomed.push(referrer.source_name.clone());
                    queue.push_back(referrer.source_name);
                }
            } else {
                validating_refs.push((referrer.source_name, name.clone()));
            }
        }
    }
    if let Some((source, name)) = validating_refs
        .iter()
        .find(|(source, _)| !seen.contains(source))
    {
        return Err(validating(format!(
            "record {name} is referenced by {source} with action VALIDATE"
        )));
    }
    // Referrers first, the record itself last, as the recursion did.
    for name in doomed.iter().rev() {
        let stored = if *name == record.record_name {
            Some(record.clone())
        } else {
            tx.record(&target.db, &target.zone_name, name)?
                .filter(|r| !r.deleted)
        };
        let Some(stored) = stored else { continue };
        if *name != record.record_name {
            on_cascade(tx, &stored)?;
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
            ..stored
        };
        tx.put_record(&target.db, &stone)?;
        tx.set_references(&target.db, &target.zone_name, name, &[])?;
        if !target.is_default() {
            tx.touch_zone(&target.db, &target.zone_name, seq)?;
        }
    }
    Ok(())
}
