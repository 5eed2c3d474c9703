//! The references with an action (`VALIDATE`, `DELETE_SELF`) between live records of a zone,
//! kept beside the records so that "who points at this record" is one indexed lookup instead
//! of a scan of the zone.

use rusqlite::params;

use super::database_key::DatabaseKey;
use super::error::StorageError;
use super::store::Tx;

/// A record that points at another with an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referrer {
    /// The record holding the reference.
    pub source_name: String,
    /// `VALIDATE` or `DELETE_SELF`.
    pub action: String,
}

impl Tx<'_> {
    /// Replaces the references with an action that record `source_name` holds: `(target,
    /// action)` pairs, empty for a deleted record.
    pub fn set_references(
        &mut self,
        db: &DatabaseKey,
        zone_name: &str,
        source_name: &str,
        references: &[(&str, &str)],
    ) -> Result<(), StorageError> {
        self.conn()
            .prepare_cached(
                "DELETE FROM record_references
                 WHERE scope = ?1 AND owner = ?2 AND zone_name = ?3 AND source_name = ?4",
            )?
            .execute(params![db.scope, db.owner, zone_name, source_name])?;
        let mut insert = self.conn().prepare_cached(
            "INSERT OR IGNORE INTO record_references
             (scope, owner, zone_name, source_name, target_name, action)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (target, action) in references {
            insert.execute(params![
                db.scope,
                db.owner,
                zone_name,
                source_name,
                target,
                action
            ])?;
        }
        Ok(())
    }

    /// The records of a zone that point at `target_name` with an action.
    pub fn referrers(
        &self,
        db: &DatabaseKey,
        zone_name: &str,
        target_name: &str,
    ) -> Result<Vec<Referrer>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT source_name, action FROM record_references
             WHERE scope = ?1 AND owner = ?2 AND zone_name = ?3 AND target_name = ?4",
        )?;
        let rows = stmt.query_map(params![db.scope, db.owner, zone_name, target_name], |r| {
            Ok(Referrer {
                source_name: r.get(0)?,
                action: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many records other than `except` point at `target_name` with `action`.
    pub fn count_referrers(
        &self,
        db: &DatabaseKey,
        zone_name: &str,
        target_name: &str,
        action: &str,
        except: &str,
    ) -> Result<usize, StorageError> {
        let n: i64 = self
            .conn()
            .prepare_cached(
                "SELECT count(*) FROM record_references
                 WHERE scope = ?1 AND owner = ?2 AND zone_name = ?3 AND target_name = ?4
                 AND action = ?5 AND source_name <> ?6",
            )?
            .query_row(
                params![db.scope, db.owner, zone_name, target_name, action, except],
                |r| r.get(0),
            )?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }
}
