//! The one place a stored record becomes the record dictionary CloudKit sends back.

use cloudkit_wire::Timestamp;
use cloudkit_wire::ws::{Fields, Record, RecordStamp};

use super::asset_value::{base_url, point_download_urls_at};
use super::context::{Ctx, ZoneTarget};
use super::share_keys::add_share_keys;
use crate::error::ServerError;
use crate::storage::{Stamp, StoredRecord};

/// The record dictionary sent back for a stored record, limited to `desired_keys`, with asset
/// download URLs on the address the emulator listens on now.
pub fn record_dict(
    ctx: &Ctx<'_>,
    stored: &StoredRecord,
    target: &ZoneTarget,
    fields: Fields,
    desired_keys: Option<&[String]>,
) -> Record {
    let mut fields = match desired_keys {
        None => fields,
        Some(keys) => fields
            .into_iter()
            .filter(|(n, _)| keys.iter().any(|k| k == n))
            .collect(),
    };
    point_download_urls_at(&mut fields, &base_url(ctx));
    let stamp = |s: &Stamp| RecordStamp {
        timestamp: Timestamp::from_millis(s.timestamp),
        user_record_name: Some(s.user_record_name.clone()),
        device_id: Some("1".to_owned()),
    };
    let mut record = Record {
        record_name: Some(stored.record_name.clone()),
        record_type: Some(stored.record_type.clone()),
        record_change_tag: Some(stored.change_tag.clone()),
        fields,
        created: Some(stamp(&stored.created)),
        modified: Some(stamp(&stored.modified)),
        zone_id: Some(target.zone_id()),
        ..Record::default()
    };
    add_share_keys(&mut record, stored);
    record
}

/// About how many bytes the record dictionary of `stored` takes in a response: the stored
/// fields are most of it, the rest is small.
pub fn estimated_size(stored: &StoredRecord) -> usize {
    stored.fields.len() + stored.record_name.len() + 512
}

/// Decodes stored fields.
pub fn stored_fields(stored: &StoredRecord) -> Result<Fields, ServerError> {
    serde_json::from_str(&stored.fields).map_err(|e| {
        ServerError::internal(format!(
            "stored record {} is unreadable: {e}",
            stored.record_name
        ))
    })
}
