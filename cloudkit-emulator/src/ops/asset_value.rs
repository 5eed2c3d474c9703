//! Asset values: the dictionary a record field holds for a stored file, and its download URL.
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
use cloudkit_wire::ws::{Fields, Value};
use sha2::{Digest as _, Sha256};

use super::context::Ctx;
use crate::ids::checksum;
use crate::storage::StoredFile;

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
