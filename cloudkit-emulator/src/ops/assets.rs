//! `assets/upload`, `assets/rereference` (spec §3.8–3.9) and the receipt check of record
//! saves. What the emulator does where CloudKit is silent is in [`super::asset_value`].

use cloudkit_wire::Asset;
use cloudkit_wire::ws::{
    AssetRereferenceRequest, AssetRereferenceResponse, AssetUploadRequest, AssetUploadResponse,
    AssetUploadUrl, Fields, Value,
};

use super::asset_value::{base_url, saved_value};
use super::context::{Ctx, ZoneTarget};
use super::grant::permissions;
use super::limits::check_count;
use super::names;
use super::record_dict::stored_fields;
use crate::error::item_error;
use crate::error::{ServerError, ServerErrorCode};
use crate::ids::{new_uuid, opaque_id};
use crate::storage::{AssetSlot, StoredUpload, Tx};

/// How long an upload URL works (spec §6: about 15 minutes).
pub const UPLOAD_URL_LIFETIME_MS: i64 = 15 * 60 * 1000;

/// `assets/upload`: one upload URL per token.
pub fn upload(
    ctx: &Ctx<'_>,
    request: AssetUploadRequest,
) -> Result<AssetUploadResponse, ServerError> {
    check_count("tokens", request.tokens.len())?;
    if ctx.user_record_name().is_none() {
        return Err(crate::auth::authentication_required(
            &ctx.shared.sign_in_url(),
        ));
    }
    let base = base_url(ctx);
    ctx.shared.store.run_transaction(|tx| {
        let (target, _) = ctx.existing_zone(tx, request.zone_id.as_ref())?;
        let mut tokens = Vec::with_capacity(request.tokens.len());
        for token in request.tokens {
            if token.field_name.is_empty() {
                tokens.push(Err(item_error(&ServerError::bad_request(
                    "fieldName is required",
                ))));
                continue;
            }
            let record_name = token
                .record_name
                .filter(|n| !n.is_empty())
                .unwrap_or_else(new_uuid);
            let checked = names::check_record_name(&record_name)
                .and_then(|()| names::check_field(&token.field_name));
            if let Err(e) = checked {
                tokens.push(Err(item_error(&e)));
                continue;
            }
            let upload_id = opaque_id();
            tx.put_upload(
                &upload_id,
                &StoredUpload {
                    slot: AssetSlot {
                        db: target.db.clone(),
                        zone_name: target.zone_name.clone(),
                        record_name: record_name.clone(),
                        field_name: token.field_name.clone(),
                    },
                    expires_ms: ctx.shared.clock.now_ms() + UPLOAD_URL_LIFETIME_MS,
                    used: false,
                },
            )?;
            tokens.push(Ok(AssetUploadUrl {
                record_name: Some(record_name),
                field_name: token.field_name,
                url: format!("{base}/asset-upload/{upload_id}"),
            }));
        }
        Ok(AssetUploadResponse { tokens })
    })
}

/// `assets/rereference`: a fresh, unbound receipt for the file of each named asset field.
pub fn rereference(
    ctx: &Ctx<'_>,
    request: AssetRereferenceRequest,
) -> Result<AssetRereferenceResponse, ServerError> {
    check_count("assets", request.assets.len())?;
    if ctx.user_record_name().is_none() {
        return Err(crate::auth::authentication_required(
            &ctx.shared.sign_in_url(),
        ));
    }
    // Schema before store, the order every endpoint takes the two locks in.
    let schema = ctx.shared.schema.read().unwrap_or_else(|p| p.into_inner());
    ctx.shared.store.run_transaction(|tx| {
        let (target, _) = ctx.existing_zone(tx, request.zone_id.as_ref())?;
        let mut assets = Vec::with_capacity(request.assets.len());
        for wanted in request.assets {
            let one = (|| {
                names::check_record_name(&wanted.record_name)?;
                // A record the caller may not read is answered as if it did not exist.
                let stored = tx
                    .record(&target.db, &target.zone_name, &wanted.record_name)?
                    .filter(|r| !r.deleted)
                    .filter(|r| {
                        permissions(
                            ctx.scope,
                            &schema,
                            &r.record_type,
                            ctx.caller,
                            Some(&r.created.user_record_name),
                        )
                        .read
                    })
                    .ok_or_else(|| {
                        ServerError::new(ServerErrorCode::NotFound, "record not found")
                    })?;
                let fields = stored_fields(&stored)?;
                let checksum = match fields.get(&wanted.field_name).map(|f| &f.value) {
                    Some(Value::AssetId(a) | Value::Asset(a)) => a.file_checksum.clone(),
                    _ => None,
                }
                .ok_or_else(|| {
                    ServerError::bad_request(format!(
                        "field '{}' of record '{}' holds no single asset",
                        wanted.field_name, wanted.record_name
                    ))
                })?;
                let file = tx.file_by_checksum(&checksum)?.ok_or_else(|| {
                    ServerError::internal("asset file of a saved record is missing")
                })?;
                let receipt = opaque_id();
                tx.put_receipt(&receipt, &file.file_id, None)?;
                let mut asset = saved_value(&file);
                asset.receipt = Some(receipt);
                asset.download_url = None;
                Ok::<_, ServerError>(asset)
            })();
            assets.push(one.map_err(|e| item_error(&e)));
        }
        Ok(AssetRereferenceResponse { assets })
    })
}

/// Checks every asset value of a record being saved against its receipt and replaces it with
/// the stored dictionary. Runs inside the operation's savepoint, so a refused receipt leaves
/// nothing behind.
///
/// A value without a receipt is kept only when the same field of the record already holds a
/// file with that `fileChecksum` (a value read back and saved again): a checksum alone never
/// reaches bytes the caller did not upload or may not read.
pub fn bind_fields(
    tx: &mut Tx<'_>,
    target: &ZoneTarget,
    record_name: &str,
    fields: &mut Fields,
    previous: Option<&Fields>,
) -> Result<(), ServerError> {
    let names: Vec<String> = fields.names().map(str::to_owned).collect();
    for name in names {
        let Some(field) = fields.get_mut(&name) else {
            continue;
        };
        let slot = AssetSlot {
            db: target.db.clone(),
            zone_name: target.zone_name.clone(),
            record_name: record_name.to_owned(),
            field_name: name.clone(),
        };
        let held = previous.and_then(|p| p.get(&name)).map(|f| &f.value);
        match &mut field.value {
            Value::AssetId(asset) | Value::Asset(asset) => {
                **asset = bind_one(tx, &slot, asset, held)?;
            }
            Value::AssetIdList(list) => {
                for asset in list.iter_mut() {
                    *asset = bind_one(tx, &slot, asset, held)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The asset the field already holds with this checksum, if any.
fn held_asset(held: Option<&Value>, checksum: &str) -> Option<Asset> {
    let same = |a: &&Asset| a.file_checksum.as_deref() == Some(checksum);
    match held? {
        Value::AssetId(a) | Value::Asset(a) => Some(&**a).filter(same).cloned(),
        Value::AssetIdList(list) => list.iter().find(same).cloned(),
        _ => None,
    }
}

fn bind_one(
    tx: &mut Tx<'_>,
    slot: &AssetSlot,
    asset: &Asset,
    held: Option<&Value>,
) -> Result<Asset, ServerError> {
    let Some(receipt) = asset.receipt.as_deref() else {
        let known = asset
            .file_checksum
            .as_deref()
            .and_then(|c| held_asset(held, c));
        return known.ok_or_else(|| {
            ServerError::bad_request(format!(
                "asset in field '{}' has no receipt: upload it with assets/upload first",
                slot.field_name
            ))
        });
    };
    let stored = tx.receipt(receipt)?.ok_or_else(|| {
        ServerError::bad_request(format!(
            "unknown asset receipt in field '{}'",
            slot.field_name
        ))
    })?;
    match &stored.slot {
        Some(bound) if bound != slot => {
            return Err(ServerError::bad_request(format!(
                "asset receipt in field '{}' of record '{}' was issued for field '{}' of record '{}'",
                slot.field_name, slot.record_name, bound.field_name, bound.record_name
            )));
        }
        Some(_) => {}
        None => tx.bind_receipt(receipt, slot)?,
    }
    let mismatch = asset
        .file_checksum
        .as_deref()
        .is_some_and(|c| c != stored.file.file_checksum)
        || asset.size.is_some_and(|s| s != stored.file.size);
    if mismatch {
        return Err(ServerError::bad_request(format!(
            "asset in field '{}' does not match its receipt (fileChecksum or size differ)",
            slot.field_name
        )));
    }
    Ok(saved_value(&stored.file))
}
