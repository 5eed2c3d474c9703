//! Asset storage: issued upload URLs, uploaded files (bytes in SQLite, so they are as durable
//! as the records that use them) and receipts.
//!
//! A receipt names one uploaded file. A receipt from a byte upload is bound to the record and
//! field its upload URL was issued for; a receipt from `assets/rereference` starts unbound and
//! is bound to the first record field that saves it.

use rusqlite::{OptionalExtension as _, params};

use super::database_key::DatabaseKey;
use super::error::StorageError;
use super::store::Tx;

/// Where an asset value lives: database, zone, record and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetSlot {
    /// The database.
    pub db: DatabaseKey,
    /// The zone name.
    pub zone_name: String,
    /// The record name.
    pub record_name: String,
    /// The field name.
    pub field_name: String,
}

/// An issued upload URL.
#[derive(Debug, Clone)]
pub struct StoredUpload {
    /// The slot the uploaded file is for.
    pub slot: AssetSlot,
    /// When the URL stops working, milliseconds since the epoch.
    pub expires_ms: i64,
    /// Whether bytes were uploaded to it already.
    pub used: bool,
}

/// An uploaded file, without its bytes.
#[derive(Debug, Clone)]
pub struct StoredFile {
    /// The file's ID (in download URLs).
    pub file_id: String,
    /// Base64 SHA-256 of the bytes.
    pub file_checksum: String,
    /// Size in bytes.
    pub size: u64,
}

/// A receipt and what it is bound to.
#[derive(Debug, Clone)]
pub struct StoredReceipt {
    /// The file it names.
    pub file: StoredFile,
    /// The slot it is bound to, if bound.
    pub slot: Option<AssetSlot>,
}

fn size_of(n: i64) -> u64 {
    u64::try_from(n).unwrap_or_default()
}

impl Tx<'_> {
    /// Records an issued upload URL.
    pub fn put_upload(
        &mut self,
        upload_id: &str,
        upload: &StoredUpload,
    ) -> Result<(), StorageError> {
        let s = &upload.slot;
        self.inner.execute(
            "INSERT INTO asset_uploads (upload_id, scope, owner, zone_name, record_name, field_name, expires_ms, used)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                upload_id,
                s.db.scope,
                s.db.owner,
                s.zone_name,
                s.record_name,
                s.field_name,
                upload.expires_ms,
                upload.used
            ],
        )?;
        Ok(())
    }

    /// An issued upload URL.
    pub fn upload(&self, upload_id: &str) -> Result<Option<StoredUpload>, StorageError> {
        Ok(self
            .inner
            .query_row(
                "SELECT scope, owner, zone_name, record_name, field_name, expires_ms, used
                 FROM asset_uploads WHERE upload_id = ?1",
                [upload_id],
                |r| {
                    let scope: String = r.get(0)?;
                    Ok(StoredUpload {
                        slot: AssetSlot {
                            db: DatabaseKey {
                                scope: if scope == "public" {
                                    "public"
                                } else {
                                    "private"
                                },
                                owner: r.get(1)?,
                            },
                            zone_name: r.get(2)?,
                            record_name: r.get(3)?,
                            field_name: r.get(4)?,
                        },
                        expires_ms: r.get(5)?,
                        used: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }

    /// Marks an upload URL as used.
    pub fn use_upload(&mut self, upload_id: &str) -> Result<(), StorageError> {
        self.inner.execute(
            "UPDATE asset_uploads SET used = 1 WHERE upload_id = ?1",
            [upload_id],
        )?;
        Ok(())
    }

    /// Stores a file's bytes.
    pub fn put_file(&mut self, file: &StoredFile, bytes: &[u8]) -> Result<(), StorageError> {
        self.inner.execute(
            "INSERT INTO asset_files (file_id, file_checksum, size, bytes) VALUES (?1, ?2, ?3, ?4)",
            params![
                file.file_id,
                file.file_checksum,
                i64::try_from(file.size).unwrap_or(i64::MAX),
                bytes
            ],
        )?;
        Ok(())
    }

    /// A stored file by checksum (any copy: the bytes are the same).
    pub fn file_by_checksum(&self, checksum: &str) -> Result<Option<StoredFile>, StorageError> {
        Ok(self
            .inner
            .query_row(
                "SELECT file_id, file_checksum, size FROM asset_files WHERE file_checksum = ?1 LIMIT 1",
                [checksum],
                |r| {
                    Ok(StoredFile {
                        file_id: r.get(0)?,
                        file_checksum: r.get(1)?,
                        size: size_of(r.get(2)?),
                    })
                },
            )
            .optional()?)
    }

    /// A stored file's bytes.
    pub fn file_bytes(&self, file_id: &str) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self
            .inner
            .query_row(
                "SELECT bytes FROM asset_files WHERE file_id = ?1",
                [file_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Issues a receipt for a file, bound to `slot` or unbound.
    pub fn put_receipt(
        &mut self,
        receipt: &str,
        file_id: &str,
        slot: Option<&AssetSlot>,
    ) -> Result<(), StorageError> {
        self.inner.execute(
            "INSERT INTO asset_receipts (receipt, file_id, scope, owner, zone_name, record_name, field_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                receipt,
                file_id,
                slot.map(|s| s.db.scope),
                slot.map(|s| s.db.owner.as_str()),
                slot.map(|s| s.zone_name.as_str()),
                slot.map(|s| s.record_name.as_str()),
                slot.map(|s| s.field_name.as_str()),
            ],
        )?;
        Ok(())
    }

    /// Binds an unbound receipt to a slot.
    pub fn bind_receipt(&mut self, receipt: &str, slot: &AssetSlot) -> Result<(), StorageError> {
        self.inner.execute(
            "UPDATE asset_receipts SET scope = ?2, owner = ?3, zone_name = ?4, record_name = ?5, field_name = ?6
             WHERE receipt = ?1",
            params![
                receipt,
                slot.db.scope,
                slot.db.owner,
                slot.zone_name,
                slot.record_name,
                slot.field_name
            ],
        )?;
        Ok(())
    }

    /// A receipt with its file.
    pub fn receipt(&self, receipt: &str) -> Result<Option<StoredReceipt>, StorageError> {
        Ok(self
            .inner
            .query_row(
                "SELECT f.file_id, f.file_checksum, f.size, r.scope, r.owner, r.zone_name, r.record_name, r.field_name
                 FROM asset_receipts r JOIN asset_files f ON f.file_id = r.file_id
                 WHERE r.receipt = ?1",
                [receipt],
                |r| {
                    let scope: Option<String> = r.get(3)?;
                    let owner: Option<String> = r.get(4)?;
                    let zone_name: Option<String> = r.get(5)?;
                    let record_name: Option<String> = r.get(6)?;
                    let field_name: Option<String> = r.get(7)?;
                    let slot = match (scope, owner, zone_name, record_name, field_name) {
                        (Some(scope), Some(owner), Some(zone_name), Some(record_name), Some(field_name)) => {
                            Some(AssetSlot {
                                db: DatabaseKey {
                                    scope: if scope == "public" { "public" } else { "private" },
                                    owner,
                                },
                                zone_name,
                                record_name,
                                field_name,
                            })
                        }
                        _ => None,
                    };
                    Ok(StoredReceipt {
                        file: StoredFile {
                            file_id: r.get(0)?,
                            file_checksum: r.get(1)?,
                            size: size_of(r.get(2)?),
                        },
                        slot,
                    })
                },
            )
            .optional()?)
    }
}
