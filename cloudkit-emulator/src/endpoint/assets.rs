//! `assets/upload`, `assets/rereference` (spec §3.8–3.9) and the receipt check of record
//! saves.
//!
//! What the emulator does where CloudKit is silent:
//! - `fileChecksum` is the standard base64 of the SHA-256 of the bytes; `referenceChecksum`
//!   the base64 SHA-256 of the file ID; `wrappingKey` 32 random bytes in base64 (nothing is
//!   encrypted). Clients should treat all three as opaque.
//! - A saved asset value keeps `fileChecksum`, `size`, `referenceChecksum`, `wrappingKey` and
//!   gains `downloadURL` (`{base}/asset-download/{file}/${f}`); the receipt is not kept. The
//!   stored value holds only the path: `{base}` is the address the emulator listens on when the
//!   record is read, so URLs stay valid after a restart on another port.
//! - An asset value without a receipt is accepted only when its `fileChecksum` names a file the
//!   emulator stores (a value read back and saved again unchanged).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cloudkit_wire::Asset;
use cloudkit_wire::ws::{
    AssetRereferenceRequest, AssetRereferenceResponse, AssetUploadRequest, AssetUploadResponse,
    AssetUploadUrl, Fields, Value,
};
use sha2::{Digest as _, Sha256};

use super::records::stored_fields;
use super::{Ctx, ZoneTarget, check_count, item_error};
use crate::error::{ServerError, ServerErrorCode};
use crate::ids::{checksum, new_uuid, opaque_id};
use crate::storage::{AssetSlot, StoredFile, StoredUpload, Tx};

/// How long an upload URL works (spec §6: about 15 minutes).
pub const UPLOAD_URL_LIFETIME_MS: i64 = 15 * 60 * 1000;

/// Where download URLs start: what [`point_download_urls_at`] keeps of a stored URL.
const DOWNLOAD_PATH: &str = "/asset-download/";

/// The asset dictionary of a stored file as a record field holds it; `downloadURL` is a path
/// until [`point_download_urls_at`] puts the emulator's address in front.
pub fn saved_value(file: &StoredFile) -> Asset {
    Asset {
        file_checksum: Some(file.file_checksum.clone()),
        size: Some(file.size),
        reference_checksum: Some(checksum(file.file_id.as_bytes())),
        wrapping_key: Some(STANDARD.encode(Sha256::digest(format!("key {}", file.file_id)))),
        receipt: None,
        download_url: Some(format!(
            "{DOWNLOAD_PATH}{}/{}",
            file.file_id,
            Asset::FILE_NAME_PLACEHOLDER
        )),
    }
}

/// The `singleFile` dictionary of a byte upload: what the client puts in the record.
pub fn upload_value(file: &StoredFile, receipt: String) -> Asset {
    let mut asset = saved_value(file);
    asset.receipt = Some(receipt);
    asset.download_url = None;
    asset
}

/// The address the emulator listens on, as `http://host:port`.
pub fn base_url(ctx: &Ctx<'_>) -> String {
    ctx.shared.base_url.get().cloned().unwrap_or_default()
}

/// Rewrites the `downloadURL` of every asset value to start with `base`. Stored values hold a
/// path (or, for records saved by earlier versions, a URL on whatever port was used then).
pub fn point_download_urls_at(fields: &mut Fields, base: &str) {
    let point = |asset: &mut Asset| {
        if let Some(url) = &mut asset.download_url
            && let Some(at) = url.find(DOWNLOAD_PATH)
        {
            *url = format!("{base}{}", &url[at..]);
        }
    };
    for (_, field) in fields.iter_mut() {
        match &mut field.value {
            Value::AssetId(asset) | Value::Asset(asset) => point(asset),
            Value::AssetIdList(list) => list.iter_mut().for_each(point),
            _ => {}
        }
    }
}

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
    ctx.shared.store.run_transaction(|tx| {
        let (target, _) = ctx.existing_zone(tx, request.zone_id.as_ref())?;
        let mut assets = Vec::with_capacity(request.assets.len());
        for wanted in request.assets {
            let one = (|| {
                let stored = tx
                    .record(&target.db, &target.zone_name, &wanted.record_name)?
                    .filter(|r| !r.deleted)
                    .ok_or_else(|| {
                        ServerError::new(
                            ServerErrorCode::NotFound,
                            format!("record '{}' not found", wanted.record_name),
                        )
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
pub fn bind_fields(
    tx: &mut Tx<'_>,
    target: &ZoneTarget,
    record_name: &str,
    fields: &mut Fields,
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
        match &mut field.value {
            Value::AssetId(asset) | Value::Asset(asset) => {
                **asset = bind_one(tx, &slot, asset)?;
            }
            Value::AssetIdList(list) => {
                for asset in list.iter_mut() {
                    *asset = bind_one(tx, &slot, asset)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn bind_one(tx: &mut Tx<'_>, slot: &AssetSlot, asset: &Asset) -> Result<Asset, ServerError> {
    let Some(receipt) = asset.receipt.as_deref() else {
        let known = match asset.file_checksum.as_deref() {
            Some(c) => tx.file_by_checksum(c)?,
            None => None,
        };
        return known.map(|f| saved_value(&f)).ok_or_else(|| {
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
