//! `zones/list`, `zones/lookup`, `zones/modify`.

use cloudkit_wire::ws::{
    self as wire, ZoneOperationType, ZonesLookupRequest, ZonesModifyRequest, ZonesResponse,
};

use super::context::{Ctx, ZoneTarget, zone_dict};
use super::limits::check_count;
use crate::error::item_error;
use crate::error::{ServerError, ServerErrorCode};
use cloudkit_wire::ws::DatabaseScope;

fn zone_error(e: &ServerError, zone_id: &cloudkit_wire::ZoneId) -> wire::ServerError {
    let mut w = item_error(e);
    w.zone_id = Some(zone_id.clone());
    w
}

/// `zones/list`: the default zone, then custom zones by name.
pub fn list(ctx: &Ctx<'_>) -> Result<ZonesResponse, ServerError> {
    if ctx.database()?.is_none() {
        return Ok(ZonesResponse::default());
    }
    let target = ctx.zone_target(None)?;
    ctx.shared.store.run_transaction(|tx| {
        let mut zones = vec![Ok(zone_dict(&target, None))];
        for z in tx.zones(&target.db)? {
            let t = ZoneTarget {
                zone_name: z.zone_name.clone(),
                ..target.clone()
            };
            zones.push(Ok(zone_dict(&t, Some(&z))));
        }
        Ok(ZonesResponse { zones })
    })
}

/// `zones/lookup`.
pub fn lookup(ctx: &Ctx<'_>, request: ZonesLookupRequest) -> Result<ZonesResponse, ServerError> {
    check_count("zones", request.zones.len())?;
    ctx.shared.store.run_transaction(|tx| {
        let zones = request
            .zones
            .iter()
            .map(|id| match ctx.existing_zone(tx, Some(id)) {
                Ok((target, stored)) => Ok(zone_dict(&target, stored.as_ref())),
                Err(e) => Err(zone_error(&e, id)),
            })
            .collect();
        Ok(ZonesResponse { zones })
    })
}

/// `zones/modify`: create and delete custom zones, each operation on its own.
pub fn modify(ctx: &Ctx<'_>, request: ZonesModifyRequest) -> Result<ZonesResponse, ServerError> {
    check_count("operations", request.operations.len())?;
    ctx.shared.store.run_transaction(|tx| {
        let mut zones = Vec::with_capacity(request.operations.len());
        for op in &request.operations {
            let id = &op.zone.zone_id;
            let result = (|| -> Result<wire::Zone, ServerError> {
                let target = ctx.zone_target(Some(id))?;
                if ctx.scope != DatabaseScope::Private {
                    return Err(ServerError::bad_request(format!(
                        "custom zones are only supported in the private database, not in {}",
                        ctx.scope.as_str()
                    )));
                }
                if target.is_default() {
                    return Err(ServerError::bad_request(
                        "the default zone cannot be created or deleted",
                    ));
                }
                let existing = tx
                    .zone(&target.db, &target.zone_name)?
                    .filter(|z| !z.deleted);
                match op.operation_type {
                    ZoneOperationType::Create => {
                        if existing.is_some() {
                            return Err(ServerError::new(
                                ServerErrorCode::Exists,
                                format!("zone '{}' already exists", target.zone_name),
                            ));
                        }
                        let seq = tx.next_seq()?;
                        let stored = tx.create_zone(&target.db, &target.zone_name, seq)?;
                        Ok(zone_dict(&target, Some(&stored)))
                    }
                    ZoneOperationType::Delete => {
                        if existing.is_none() {
                            return Err(ServerError::new(
                                ServerErrorCode::ZoneNotFound,
                                format!("zone '{}' does not exist", target.zone_name),
                            ));
                        }
                        let seq = tx.next_seq()?;
                        tx.delete_zone(&target.db, &target.zone_name, seq)?;
                        let mut zone = wire::Zone::new(target.zone_id());
                        zone.deleted = Some(true);
                        Ok(zone)
                    }
                }
            })();
            zones.push(result.map_err(|e| zone_error(&e, id)));
        }
        Ok(ZonesResponse { zones })
    })
}
