//! Change feeds: `changes/database`, `changes/zone` and the older `records/changes`.

use cloudkit_wire::ZoneId;
use cloudkit_wire::ws::{
    self as wire, DatabaseChangesRequest, DatabaseChangesResponse, RecordChangesRequest,
    RecordChangesResponse, RecordEntry, Tombstone, ZoneChanges, ZoneChangesRequest,
    ZoneChangesRequestZone, ZoneChangesResponse,
};

use super::context::{Ctx, ZoneTarget, zone_dict};
use super::limits::{ResponseBudget, check_count, results_limit};
use super::record_dict::{estimated_size, record_dict, stored_fields};
use crate::error::ServerError;
use crate::error::item_error;
use crate::storage::Tx;
use crate::sync_token::SyncToken;

/// `changes/database`: zones changed since the token (deleted ones with `deleted: true`).
pub fn database(
    ctx: &Ctx<'_>,
    request: DatabaseChangesRequest,
) -> Result<DatabaseChangesResponse, ServerError> {
    let since = match &request.sync_token {
        Some(t) => SyncToken::database_seq(t)?,
        None => 0,
    };
    let limit = results_limit(request.results_limit);
    let Some(_) = ctx.database()? else {
        return ctx.shared.store.run_transaction(|tx| {
            Ok(DatabaseChangesResponse {
                zones: Vec::new(),
                sync_token: Some(
                    SyncToken::Database {
                        seq: tx.current_seq()?.max(since),
                    }
                    .encode(),
                ),
                more_coming: false,
            })
        });
    };
    let target = ctx.zone_target(None)?;
    ctx.shared.store.run_transaction(|tx| {
        let mut changed = tx.zones_changed_since(&target.db, since, limit + 1)?;
        let more_coming = changed.len() > limit;
        changed.truncate(limit);
        let seq = match (more_coming, changed.last()) {
            (true, Some(z)) => z.change_seq,
            _ => tx.current_seq()?.max(since),
        };
        let zones = changed
            .iter()
            .map(|z| {
                let t = ZoneTarget {
                    zone_name: z.zone_name.clone(),
                    ..target.clone()
                };
                if z.deleted {
                    let mut zone = wire::Zone::new(t.zone_id());
                    zone.deleted = Some(true);
                    Ok(zone)
                } else {
                    Ok(zone_dict(&t, Some(z)))
                }
            })
            .collect();
        Ok(DatabaseChangesResponse {
            zones,
            sync_token: Some(SyncToken::Database { seq }.encode()),
            more_coming,
        })
    })
}

/// `zones/changes`: the deprecated form of `changes/database`, with `metaSyncToken`.
pub fn zones_deprecated(
    ctx: &Ctx<'_>,
    request: wire::ZonesChangesRequest,
) -> Result<wire::ZonesChangesResponse, ServerError> {
    let changes = database(
        ctx,
        DatabaseChangesRequest {
            sync_token: request.meta_sync_token,
            results_limit: request.results_limit,
        },
    )?;
    Ok(wire::ZonesChangesResponse {
        zones: changes.zones,
        meta_sync_token: changes.sync_token,
        more_coming: changes.more_coming,
    })
}

struct ZonePage {
    records: Vec<wire::RecordResult>,
    sync_token: String,
    more_coming: bool,
}

/// One zone's changes after `token`: at most `limit` rows and what is left of `budget`; a page
/// cut short by either says `more_coming`, with the sync token of the last row it answers.
#[allow(clippy::too_many_arguments)]
fn zone_page(
    ctx: &Ctx<'_>,
    tx: &Tx<'_>,
    budget: &mut ResponseBudget,
    zone_id: &ZoneId,
    token: Option<&str>,
    limit: usize,
    desired_keys: Option<&[String]>,
    desired_types: Option<&[String]>,
) -> Result<ZonePage, ServerError> {
    let target = ctx.zone_target(Some(zone_id))?;
    if target.is_default() {
        return Err(ServerError::bad_request(
            "cannot get changes in default zone",
        ));
    }
    let (target, stored) = ctx.existing_zone(tx, Some(zone_id))?;
    let Some(zone) = stored else {
        return Err(ServerError::bad_request(
            "cannot get changes in default zone",
        ));
    };
    let since = match token {
        Some(t) => SyncToken::zone_seq(t, &zone.zone_name, zone.epoch)?,
        None => 0,
    };
    let mut rows = tx.records_changed_since(&target.db, &target.zone_name, since, limit + 1)?;
    let mut more_coming = rows.len() > limit;
    rows.truncate(limit);
    // The change sequence number of the last row answered (or skipped as an undesired type).
    let mut answered = None;
    let mut records = Vec::with_capacity(rows.len());
    for r in rows {
        if desired_types.is_some_and(|ts| !ts.contains(&r.record_type)) {
            answered = Some(r.change_seq);
            continue;
        }
        let size = if r.deleted {
            r.record_name.len() + 256
        } else {
            estimated_size(&r)
        };
        if !budget.take(size) {
            more_coming = true;
            break;
        }
        answered = Some(r.change_seq);
        if r.deleted {
            records.push(Ok(RecordEntry::Tombstone(Tombstone {
                record_name: r.record_name.clone(),
                zone_id: Some(target.zone_id()),
            })));
        } else {
            let fields = stored_fields(&r)?;
            records.push(Ok(RecordEntry::Record(record_dict(
                ctx,
                &r,
                &target,
                fields,
                desired_keys,
            ))));
        }
    }
    let seq = match (more_coming, answered) {
        (true, Some(seq)) => seq,
        (true, None) => since,
        (false, _) => zone.change_seq.max(since),
    };
    Ok(ZonePage {
        records,
        sync_token: SyncToken::Zone {
            zone_name: zone.zone_name.clone(),
            epoch: zone.epoch,
            seq,
        }
        .encode(),
        more_coming,
    })
}

/// `changes/zone`: record changes per zone; a zone that fails gets an error element.
pub fn zones(
    ctx: &Ctx<'_>,
    request: ZoneChangesRequest,
) -> Result<ZoneChangesResponse, ServerError> {
    check_count("zones", request.zones.len())?;
    ctx.shared.store.run_transaction(|tx| {
        // One budget for the whole response: a zone after it is spent answers no records,
        // `moreComing` and its own token back.
        let mut budget = ResponseBudget::default();
        let zones = request
            .zones
            .iter()
            .map(|z: &ZoneChangesRequestZone| {
                let limit = results_limit(z.results_limit.or(request.results_limit));
                let keys = z
                    .desired_keys
                    .as_deref()
                    .or(request.desired_keys.as_deref());
                let types = z
                    .desired_record_types
                    .as_deref()
                    .or(request.desired_record_types.as_deref());
                match zone_page(
                    ctx,
                    tx,
                    &mut budget,
                    &z.zone_id,
                    z.sync_token.as_deref(),
                    limit,
                    keys,
                    types,
                ) {
                    Ok(page) => Ok(ZoneChanges {
                        zone_id: ctx
                            .zone_target(Some(&z.zone_id))
                            .map_or_else(|_| z.zone_id.clone(), |t| t.zone_id()),
                        sync_token: Some(page.sync_token),
                        records: page.records,
                        more_coming: page.more_coming,
                    }),
                    Err(e) => {
                        let mut w = item_error(&e);
                        w.zone_id = Some(z.zone_id.clone());
                        Err(w)
                    }
                }
            })
            .collect();
        Ok(ZoneChangesResponse { zones })
    })
}

/// `records/changes`: the older one-zone form of `changes/zone`; errors are whole-request.
pub fn records(
    ctx: &Ctx<'_>,
    request: RecordChangesRequest,
) -> Result<RecordChangesResponse, ServerError> {
    ctx.shared.store.run_transaction(|tx| {
        let page = zone_page(
            ctx,
            tx,
            &mut ResponseBudget::default(),
            &request.zone_id,
            request.sync_token.as_deref(),
            results_limit(request.results_limit),
            request.desired_keys.as_deref(),
            None,
        )?;
        Ok(RecordChangesResponse {
            records: page.records,
            sync_token: Some(page.sync_token),
            more_coming: page.more_coming,
            reverse: Some(false),
        })
    })
}
