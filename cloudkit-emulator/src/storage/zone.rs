//! Zone rows. The default zone of each database is implicit and has no row.

use rusqlite::{OptionalExtension as _, params};

use super::database_key::DatabaseKey;
use super::error::StorageError;
use super::store::Tx;

/// A custom zone as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredZone {
    /// The zone's name.
    pub zone_name: String,
    /// Sequence number of the last change in the zone (its records or the zone itself).
    pub change_seq: i64,
    /// Sequence number at which this incarnation of the zone was created; sync tokens from an
    /// earlier incarnation are refused.
    pub epoch: i64,
    /// Whether the zone has been deleted (kept so that database change feeds report it).
    pub deleted: bool,
}

fn zone_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredZone> {
    Ok(StoredZone {
        zone_name: r.get(0)?,
        change_seq: r.get(1)?,
        epoch: r.get(2)?,
        deleted: r.get::<_, i64>(3)? != 0,
    })
}

impl Tx<'_> {
    /// The zone row, deleted or not.
    pub fn zone(
        &self,
        db: &DatabaseKey,
        zone_name: &str,
    ) -> Result<Option<StoredZone>, StorageError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT zone_name, change_seq, epoch, deleted FROM zones
                 WHERE scope = ?1 AND owner = ?2 AND zone_name = ?3",
                params![db.scope, db.owner, zone_name],
                zone_row,
            )
            .optional()?)
    }

    /// Creates (or re-creates after deletion) a zone at sequence `seq`.
    pub fn create_zone(
        &mut self,
        db: &DatabaseKey,
        zone_name: &str,
        seq: i64,
    ) -> Result<StoredZone, StorageError> {
        self.conn().execute(
            "INSERT INTO zones (scope, owner, zone_name, change_seq, epoch, deleted)
             VALUES (?1, ?2, ?3, ?4, ?4, 0)
             ON CONFLICT (scope, owner, zone_name)
             DO UPDATE SET change_seq = ?4, epoch = ?4, deleted = 0",
            params![db.scope, db.owner, zone_name, seq],
        )?;
        Ok(StoredZone {
            zone_name: zone_name.to_owned(),
            change_seq: seq,
            epoch: seq,
            deleted: false,
        })
    }

    /// Deletes a zone and every record in it; the zone row stays as a tombstone.
    pub fn delete_zone(
        &mut self,
        db: &DatabaseKey,
        zone_name: &str,
        seq: i64,
    ) -> Result<(), StorageError> {
        self.conn().execute(
            "DELETE FROM records WHERE scope = ?1 AND owner = ?2 AND zone_name = ?3",
            params![db.scope, db.owner, zone_name],
        )?;
        self.conn().execute(
            "DELETE FROM record_references WHERE scope = ?1 AND owner = ?2 AND zone_name = ?3",
            params![db.scope, db.owner, zone_name],
        )?;
        self.conn().execute(
            "UPDATE zones SET deleted = 1, change_seq = ?4
             WHERE scope = ?1 AND owner = ?2 AND zone_name = ?3",
            params![db.scope, db.owner, zone_name, seq],
        )?;
        Ok(())
    }

    /// Records that something in the zone changed at `seq`.
    pub fn touch_zone(
        &mut self,
        db: &DatabaseKey,
        zone_name: &str,
        seq: i64,
    ) -> Result<(), StorageError> {
        self.conn().execute(
            "UPDATE zones SET change_seq = ?4 WHERE scope = ?1 AND owner = ?2 AND zone_name = ?3",
            params![db.scope, db.owner, zone_name, seq],
        )?;
        Ok(())
    }

    /// Live custom zones, by name.
    pub fn zones(&self, db: &DatabaseKey) -> Result<Vec<StoredZone>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT zone_name, change_seq, epoch, deleted FROM zones
             WHERE scope = ?1 AND owner = ?2 AND deleted = 0 ORDER BY zone_name",
        )?;
        let rows = stmt.query_map(params![db.scope, db.owner], zone_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Zones (deleted ones included) changed after `seq`, oldest change first, at most `limit`.
    pub fn zones_changed_since(
        &self,
        db: &DatabaseKey,
        seq: i64,
        limit: usize,
    ) -> Result<Vec<StoredZone>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT zone_name, change_seq, epoch, deleted FROM zones
             WHERE scope = ?1 AND owner = ?2 AND change_seq > ?3 ORDER BY change_seq LIMIT ?4",
        )?;
        let rows = stmt.query_map(
            params![
                db.scope,
                db.owner,
                seq,
                i64::try_from(limit).unwrap_or(i64::MAX)
            ],
            zone_row,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
