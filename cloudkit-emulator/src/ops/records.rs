//! `records/modify` and `records/lookup`.

use cloudkit_wire::ws::{
    self as wire, Fields, LookupRecordsRequest, ModifyRecordsRequest, RecordEntry,
    RecordOperationType, RecordsResponse, Tombstone,
};

use super::context::{Ctx, ZoneTarget};
use super::grant::{Access, access_denied, permissions};
use super::limits::{MAX_RECORD_BYTES, ResponseBudget, check_count};
use super::notifications::{Change, PendingNotifications};
use super::record_dict::{estimated_size, record_dict, stored_fields};
use super::{assets, names, reference, share_keys};
use crate::change_tag;
use crate::error::item_error;
use crate::error::{ServerError, ServerErrorCode};
use crate::ids::new_uuid;
use crate::schema::{Growth, LiveSchema};
use crate::storage::{Stamp, StoredRecord, Tx};
use cloudkit_wire::ws::DatabaseScope;

fn tombstone(record_name: &str, target: &ZoneTarget) -> RecordEntry {
    RecordEntry::Tombstone(Tombstone {
        record_name: record_name.to_owned(),
        zone_id: Some(target.zone_id()),
    })
}

fn with_record(e: ServerError, record_name: &str) -> wire::ServerError {
    let mut w = item_error(&e);
    w.record_name = Some(record_name.to_owned());
    w
}

/// What a missing record answers, and a record the caller may not read.
fn record_not_found() -> ServerError {
    ServerError::new(ServerErrorCode::NotFound, "record not found")
}

/// One operation's outcome before the batch is committed.
enum Outcome {
    Saved(Box<StoredRecord>, Fields),
    Deleted(String),
}

struct Batch<'a> {
    ctx: &'a Ctx<'a>,
    schema: &'a LiveSchema,
    target: &'a ZoneTarget,
    growth: Vec<Growth>,
    /// The changes that may fire subscriptions, matched after the commit.
    pending: PendingNotifications,
}

impl Batch<'_> {
    fn apply(
        &mut self,
        tx: &mut Tx<'_>,
        op: wire::RecordOperation,
    ) -> Result<Outcome, ServerError> {
        let ctx = self.ctx;
        let kind = op.operation_type;
        let record = op.record;
        let record_name = match (&record.record_name, kind) {
            (Some(n), _) if !n.is_empty() => n.clone(),
            (_, RecordOperationType::Create) => new_uuid(),
            _ => return Err(ServerError::bad_request("recordName is required")),
        };
        names::check_record_name(&record_name)?;
        let existing = tx
            .record(&self.target.db, &self.target.zone_name, &record_name)?
            .filter(|r| !r.deleted);
        let me = ctx.user_record_name();
        let scope = ctx.scope;
        // A record the caller may not read is, to an operation that needs it to exist,
        // answered exactly as a missing one: the answer must not tell that it exists.
        let hidden = existing.as_ref().is_some_and(|cur| {
            !permissions(
                scope,
                self.schema,
                &cur.record_type,
                ctx.caller,
                Some(&cur.created.user_record_name),
            )
            .read
        });
        if hidden && (kind.checks_change_tag() || kind.is_delete()) {
            return Err(record_not_found());
        }
        if kind.checks_change_tag() {
            let Some(current) = &existing else {
                return Err(record_not_found());
            };
            let Some(tag) = record.record_change_tag.as_deref() else {
                return Err(ServerError::bad_request(format!(
                    "recordChangeTag is required for {}",
                    kind.as_str()
                )));
            };
            if tag != current.change_tag {
                return Err(ServerError::new(
                    ServerErrorCode::Conflict,
                    format!(
                        "record to {} has changed: sent tag {tag}, server has {}",
                        kind.as_str(),
                        current.change_tag
                    ),
                ));
            }
        }
        // Names are unique per zone, so a create over any stored name fails, even over a
        // record the caller may not read. It answers EXISTS there too: the name being taken
        // cannot be hidden from a create that cannot succeed, and NOT_FOUND or ACCESS_DENIED
        // would tell as much while misleading a client that retries. Nothing else of the
        // record (type, fields, creator, tag) is in the answer.
        if kind == RecordOperationType::Create && existing.is_some() {
            return Err(ServerError::new(
                ServerErrorCode::Exists,
                "record to insert already exists",
            ));
        }
        if kind.is_delete() {
            let Some(current) = existing else {
                return Err(record_not_found());
            };
            let p = permissions(
                scope,
                self.schema,
                &current.record_type,
                ctx.caller,
                Some(&current.created.user_record_name),
            );
            if !p.write {
                return Err(access_denied(
                    Access::Write,
                    self.schema,
                    &current.record_type,
                    ctx.caller,
                    Some(&current.created.user_record_name),
                ));
            }
            self.pending.record_changed(tx, &current, Change::Deleted)?;
            reference::delete_cascading(
                tx,
                self.target,
                current,
                me.unwrap_or_default(),
                ctx.shared.clock.now_ms(),
                // A record the cascade removes is deleted as much as the one asked for.
                |tx, removed| self.pending.record_changed(tx, removed, Change::Deleted),
            )?;
            return Ok(Outcome::Deleted(record_name));
        }
        // create, update, forceUpdate, replace, forceReplace
        if existing.is_none() {
            names::check_new_record_name(&record_name)?;
        }
        let record_type = match (&existing, record.record_type.as_deref()) {
            (Some(cur), Some(t)) if t != cur.record_type => {
                return Err(ServerError::bad_request(format!(
                    "record type {t} does not match the stored record's type {}",
                    cur.record_type
                )));
            }
            (Some(cur), _) => cur.record_type.clone(),
            (None, Some(t)) if !t.is_empty() => t.to_owned(),
            (None, _) => {
                return Err(ServerError::bad_request(
                    "recordType is required to create a record",
                ));
            }
        };
        let p = permissions(
            scope,
            self.schema,
            &record_type,
            ctx.caller,
            existing
                .as_ref()
                .map(|r| r.created.user_record_name.as_str()),
        );
        if existing.is_some() && !p.write {
            return Err(access_denied(
                Access::Write,
                self.schema,
                &record_type,
                ctx.caller,
                existing
                    .as_ref()
                    .map(|r| r.created.user_record_name.as_str()),
            ));
        }
        if existing.is_none() && !p.create {
            return Err(access_denied(
                Access::Create,
                self.schema,
                &record_type,
                ctx.caller,
                None,
            ));
        }
        let mut growth = self.growth.clone();
        let mut given = self
            .schema
            .check_fields(&record_type, record.fields, &mut growth)?;
        let previous = existing.as_ref().map(stored_fields).transpose()?;
        assets::bind_fields(tx, self.target, &record_name, &mut given, previous.as_ref())?;
        if scope == DatabaseScope::Public && given.iter().any(|(_, v)| v.is_encrypted) {
            return Err(ServerError::bad_request(
                "encrypted fields are not supported in the public database",
            ));
        }
        let merge = matches!(
            kind,
            RecordOperationType::Update | RecordOperationType::ForceUpdate
        );
        let parent = share_keys::parent_to_store(
            record.parent.as_ref(),
            self.target,
            &record_name,
            existing.as_ref(),
            merge,
        )?;
        let short_guid =
            share_keys::short_guid_to_store(record.create_short_guid, existing.as_ref());
        let mut fields = match (previous, merge) {
            (Some(fields), true) => fields,
            _ => Fields::new(),
        };
        for (name, value) in given {
            if value.value.is_null() {
                fields.remove(&name);
            } else {
                fields.insert(name, value);
            }
        }
        reference::check_targets(tx, self.target, &record_name, &fields)?;
        let text = serde_json::to_string(&fields)
            .map_err(|e| ServerError::internal(format!("cannot encode fields: {e}")))?;
        if text.len() > MAX_RECORD_BYTES {
            return Err(ServerError::new(
                ServerErrorCode::QuotaExceeded,
                format!(
                    "record is too large: {} bytes of fields, the limit is {MAX_RECORD_BYTES}",
                    text.len()
                ),
            ));
        }
        let seq = tx.next_seq()?;
        let stamp = Stamp {
            timestamp: ctx.shared.clock.now_ms(),
            user_record_name: me.unwrap_or_default().to_owned(),
        };
        let stored = StoredRecord {
            zone_name: self.target.zone_name.clone(),
            record_name,
            record_type,
            change_tag: change_tag::from_seq(seq),
            fields: text,
            created: existing
                .as_ref()
                .map_or_else(|| stamp.clone(), |r| r.created.clone()),
            modified: stamp,
            change_seq: seq,
            deleted: false,
            parent,
            short_guid,
        };
        tx.put_record(&self.target.db, &stored)?;
        reference::index_references(tx, self.target, &stored.record_name, &fields)?;
        let change = match existing {
            Some(_) => Change::Updated,
            None => Change::Created,
        };
        self.pending.record_changed(tx, &stored, change)?;
        if !self.target.is_default() {
            tx.touch_zone(&self.target.db, &self.target.zone_name, seq)?;
        }
        self.growth = growth;
        Ok(Outcome::Saved(Box::new(stored), fields))
    }
}

/// `records/modify`.
pub fn modify(
    ctx: &Ctx<'_>,
    request: ModifyRecordsRequest,
) -> Result<RecordsResponse, ServerError> {
    check_count("operations", request.operations.len())?;
    let shared = ctx.shared;
    if ctx.user_record_name().is_none() {
        // Anonymous callers may read the public database but never write to it.
        return Err(crate::auth::authentication_required(&shared.sign_in_url()));
    }
    // The schema lock is held for the whole batch: development growth must match what was
    // written, and one writer at a time is the store's rule anyway.
    let mut schema = shared.schema.write().unwrap_or_else(|p| p.into_inner());
    let (records, growth, pending) = shared.store.run_transaction(|tx| {
        let (target, _) = ctx.existing_zone(tx, request.zone_id.as_ref())?;
        let atomic = !target.is_default() && request.atomic.unwrap_or(true);
        let mut batch = Batch {
            ctx,
            schema: &schema,
            target: &target,
            growth: Vec::new(),
            pending: PendingNotifications::new(ctx.scope, &target),
        };
        let mut seen = std::collections::HashSet::new();
        let mut results = Vec::with_capacity(request.operations.len());
        for op in request.operations {
            let name = op.record.record_name.clone().unwrap_or_default();
            if !name.is_empty() && !seen.insert(name.clone()) {
                let e = ServerError::bad_request(format!(
                    "more than one operation for record {name} in one request"
                ));
                results.push((name, Err(e)));
                continue;
            }
            let keys = op.desired_keys.clone().or_else(|| request.desired_keys.clone());
            // Each operation in its own savepoint: a failing one leaves nothing behind (a
            // cascade half done, a sequence number taken) while the others stay.
            tx.savepoint()?;
            let mark = batch.pending.mark();
            let outcome = batch.apply(tx, op).map(|o| (o, keys));
            if outcome.is_ok() {
                tx.release()?;
            } else {
                tx.roll_back_operation()?;
                batch.pending.roll_back_to(mark);
            }
            results.push((name, outcome));
        }
        let failed = results.iter().any(|(_, r)| r.is_err());
        let rolled_back = atomic && failed;
        if rolled_back {
            tx.roll_back();
        }
        let records: Vec<wire::RecordResult> = results
            .into_iter()
            .map(|(name, r)| match r {
                Ok(_) if rolled_back => Err(with_record(
                    ServerError::new(
                        ServerErrorCode::AtomicError,
                        "atomic batch failed because another operation in it failed; nothing was applied",
                    ),
                    &name,
                )),
                Ok((Outcome::Saved(stored, fields), keys)) => Ok(RecordEntry::Record(record_dict(
                    ctx,
                    &stored,
                    &target,
                    fields,
                    keys.as_deref(),
                ))),
                Ok((Outcome::Deleted(name), _)) => Ok(tombstone(&name, &target)),
                Err(e) => Err(with_record(e, &name)),
            })
            .collect();
        // The grown schema is written in this transaction: a crash never keeps records
        // whose types or fields the stored schema lacks.
        // (Most writes grow nothing: they skip copying the schema to find that out.)
        let grown = match rolled_back || batch.growth.is_empty() {
            true => None,
            false => schema.grown(&batch.growth),
        };
        if let Some(next) = &grown {
            next.save_in(tx)?;
        }
        // Taken before the commit, under the store lock: tickets follow commit order.
        let pending = (!rolled_back && !batch.pending.is_empty())
            .then(|| (batch.pending, shared.deliveries.ticket()));
        Ok::<_, ServerError>((records, grown, pending))
    })?;
    if let Some(next) = growth {
        *schema = next;
    }
    // Subscriptions are matched with no lock held: other clients read and write meanwhile.
    // The schema is copied (only when something may fire) so that its lock is free too.
    if let Some((pending, ticket)) = pending {
        let snapshot = schema.clone();
        drop(schema);
        pending.deliver(ctx, &snapshot, ticket);
    }
    Ok(RecordsResponse { records })
}

/// What a record answers that a `records/lookup` response has no room left for. CloudKit has
/// no continuation for lookups, so the records past the response byte budget are left for
/// another request: a retryable per-record error, which clients already handle by asking again
/// for just those records.
fn no_room_left() -> ServerError {
    ServerError::new(
        ServerErrorCode::TryAgainLater,
        "the response is full: look this record up in another request",
    )
}

/// `records/lookup`: up to [`super::limits::MAX_RESPONSE_BYTES`] of records, in request order;
/// the records past it answer [`no_room_left`].
pub fn lookup(
    ctx: &Ctx<'_>,
    request: LookupRecordsRequest,
) -> Result<RecordsResponse, ServerError> {
    check_count("records", request.records.len())?;
    let schema = ctx.shared.schema.read().unwrap_or_else(|p| p.into_inner());
    let records = ctx.shared.store.run_transaction(|tx| {
        let (target, _) = ctx.existing_zone(tx, request.zone_id.as_ref())?;
        let mut out = Vec::with_capacity(request.records.len());
        let mut budget = ResponseBudget::default();
        for wanted in &request.records {
            let name = &wanted.record_name;
            if let Err(e) = names::check_record_name(name) {
                out.push(Err(with_record(e, name)));
                continue;
            }
            let found = tx
                .record(&target.db, &target.zone_name, name)?
                .filter(|r| !r.deleted);
            let entry = match found {
                None => Err(with_record(record_not_found(), name)),
                Some(stored) => {
                    let p = permissions(
                        ctx.scope,
                        &schema,
                        &stored.record_type,
                        ctx.caller,
                        Some(&stored.created.user_record_name),
                    );
                    if p.read && !budget.take(estimated_size(&stored)) {
                        Err(with_record(no_room_left(), name))
                    } else if p.read {
                        let keys = wanted
                            .desired_keys
                            .as_deref()
                            .or(request.desired_keys.as_deref());
                        let fields = stored_fields(&stored)?;
                        Ok(RecordEntry::Record(record_dict(
                            ctx, &stored, &target, fields, keys,
                        )))
                    } else {
                        // Exactly what a missing record answers.
                        Err(with_record(record_not_found(), name))
                    }
                }
            };
            out.push(entry);
        }
        Ok::<_, ServerError>(out)
    })?;
    Ok(RecordsResponse { records })
}
