//! `records/query`: through one indexed SQL statement when the query is simple enough,
//! otherwise by decoding, filtering and sorting in Rust. Both page with keyset markers.

use cloudkit_wire::ws::{QueryRecordsRequest, QueryRecordsResponse, RecordEntry};

use super::continuation;
use super::extract::LoadedRecord;
use super::prepare::prepare;
use super::sort_key::SortKey;
use super::sql_plan::{SqlPlan, page_cursor, row_key};
use crate::error::{ServerError, ServerErrorCode};
use crate::ops::context::{Ctx, ZoneTarget};
use crate::ops::grant::{Access, access_denied, permissions};
use crate::ops::limits::{MAX_RESPONSE_BYTES, results_limit};
use crate::ops::record_dict::{estimated_size, record_dict, stored_fields};
use crate::storage::Tx;

/// `records/query` answered by one SQL statement (see [`SqlPlan`]).
fn query_in_sql(
    ctx: &Ctx<'_>,
    tx: &Tx<'_>,
    request: &QueryRecordsRequest,
    plan: &SqlPlan,
    after: Option<&[SortKey]>,
    limit: usize,
    fingerprint: &str,
) -> Result<QueryRecordsResponse, ServerError> {
    let zone_wide = request.zone_wide.unwrap_or(false);
    let (target, zone) = if zone_wide {
        if ctx.database()?.is_none() {
            return Ok(QueryRecordsResponse::default());
        }
        (ctx.zone_target(None)?, None)
    } else {
        let (target, _) = ctx.existing_zone(tx, request.zone_id.as_ref())?;
        let zone = Some(target.zone_name.clone());
        (target, zone)
    };
    let cursor = match after {
        None => None,
        Some(key) => Some(page_cursor(key, plan.order.is_some())?),
    };
    let rows = tx.query_page(
        &target.db,
        zone.as_deref(),
        &request.query.record_type,
        &plan.conditions,
        plan.order.as_ref().map(|(e, a)| (e.as_str(), *a)),
        plan.index.as_deref(),
        cursor.as_ref(),
        limit + 1,
    )?;
    let more = rows.len() > limit;
    let page: Vec<(Vec<SortKey>, i64)> = rows
        .iter()
        .take(limit)
        .map(|r| (row_key(r, plan.order.is_some()), r.rowid))
        .collect();
    fill_page(ctx, tx, request, &target, page, more, fingerprint)
}

/// The response for a page of rows in result order: the records, up to
/// [`MAX_RESPONSE_BYTES`], and a marker after the last one sent when more remain.
fn fill_page(
    ctx: &Ctx<'_>,
    tx: &Tx<'_>,
    request: &QueryRecordsRequest,
    target: &ZoneTarget,
    page: Vec<(Vec<SortKey>, i64)>,
    more: bool,
    fingerprint: &str,
) -> Result<QueryRecordsResponse, ServerError> {
    let desired = request.desired_keys.as_deref();
    let mut records = Vec::with_capacity(page.len());
    let mut bytes = 0usize;
    let mut last_key = None;
    let mut cut = false;
    for (key, rowid) in page {
        let Some(stored) = tx.records_by_rowid(&[rowid])?.pop() else {
            continue;
        };
        let size = estimated_size(&stored);
        if !records.is_empty() && bytes + size > MAX_RESPONSE_BYTES {
            cut = true;
            break;
        }
        bytes += size;
        let zone = ZoneTarget {
            zone_name: stored.zone_name.clone(),
            ..target.clone()
        };
        let fields = stored_fields(&stored)?;
        records.push(Ok(RecordEntry::Record(record_dict(
            ctx, &stored, &zone, fields, desired,
        ))));
        last_key = Some(key);
    }
    let marker = match (more || cut, last_key) {
        (true, Some(after)) => Some(
            continuation::Marker {
                fingerprint: fingerprint.to_owned(),
                after,
            }
            .encode(),
        ),
        _ => None,
    };
    Ok(QueryRecordsResponse {
        records,
        continuation_marker: marker,
    })
}

/// `records/query`.
pub fn records_query(
    ctx: &Ctx<'_>,
    request: QueryRecordsRequest,
) -> Result<QueryRecordsResponse, ServerError> {
    let schema = ctx.shared.schema.read().unwrap_or_else(|p| p.into_inner());
    let prepared = prepare(&schema, &request.query)?;
    let limit = results_limit(request.results_limit);
    let zone_wide = request.zone_wide.unwrap_or(false);
    let fingerprint = continuation::query_fingerprint(
        &prepared,
        request.zone_id.as_ref(),
        zone_wide,
        ctx.user_record_name(),
    );
    let after = match &request.continuation_marker {
        Some(m) => Some(continuation::Marker::decode(m, &fingerprint)?.after),
        None => None,
    };
    // Which records the caller may read: all, only their own (a `_creator` READ grant), or none.
    let scope = ctx.scope;
    let me = ctx.user_record_name();
    let all = permissions(scope, &schema, &prepared.record_type, ctx.caller, None).read;
    let own = me.is_some_and(|m| {
        permissions(scope, &schema, &prepared.record_type, ctx.caller, Some(m)).read
    });
    if !all && !own {
        return Err(access_denied(
            Access::Read,
            &schema,
            &prepared.record_type,
            ctx.caller,
            None,
        ));
    }
    ctx.shared.store.run_transaction(|tx| {
        if let Some(plan) = prepared.sql_plan().filter(|_| all) {
            let answer = query_in_sql(
                ctx,
                tx,
                &request,
                &plan,
                after.as_deref(),
                limit,
                &fingerprint,
            );
            match answer {
                // A storage failure here (an index that is not there) still has the general
                // path; request errors do not.
                Err(e) if e.code == ServerErrorCode::InternalError => {
                    tracing::debug!(error = %e, "SQL query path failed; using the general path");
                }
                other => return other,
            }
        }
        let paths: Vec<String> = prepared.extracts.iter().map(|x| x.path.clone()).collect();
        let names = &paths;
        let conditions = prepared.conditions();
        let (target, candidates) = if zone_wide {
            let target = match ctx.database()? {
                Some(_) => ctx.zone_target(None)?,
                None => return Ok(QueryRecordsResponse::default()),
            };
            let rows =
                tx.query_candidates(&target.db, None, &prepared.record_type, names, &conditions)?;
            (target, rows)
        } else {
            let (target, _) = ctx.existing_zone(tx, request.zone_id.as_ref())?;
            let rows = tx.query_candidates(
                &target.db,
                Some(&target.zone_name),
                &prepared.record_type,
                names,
                &conditions,
            )?;
            (target, rows)
        };
        let mut hits: Vec<(Vec<SortKey>, i64)> = candidates
            .into_iter()
            .filter(|c| all || Some(c.created.user_record_name.as_str()) == me)
            .map(|c| LoadedRecord::new(c, &prepared.extracts))
            .filter(|r| prepared.matches(r))
            .map(|r| (prepared.sort_key(&r), r.candidate.rowid))
            // Keyset paging: only what sorts after the cursor.
            .filter(|(k, _)| {
                after
                    .as_ref()
                    .is_none_or(|cursor| prepared.compare(k, cursor) == std::cmp::Ordering::Greater)
            })
            .collect();
        let order = |a: &(Vec<SortKey>, i64), b: &(Vec<SortKey>, i64)| prepared.compare(&a.0, &b.0);
        let more = hits.len() > limit;
        if more {
            // Only the page needs sorting: pick its records first.
            hits.select_nth_unstable_by(limit, order);
            hits.truncate(limit);
        }
        hits.sort_by(order);
        fill_page(ctx, tx, &request, &target, hits, more, &fingerprint)
    })
}
