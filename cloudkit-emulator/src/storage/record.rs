//! Record rows, live and tombstoned.

use rusqlite::{OptionalExtension as _, params};

use super::database_key::DatabaseKey;
use super::error::StorageError;
use super::field_path::field_index_name;
use super::store::Tx;

/// Who changed a record and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Milliseconds since the Unix epoch.
    pub timestamp: i64,
    /// The user record name of the writer.
    pub user_record_name: String,
}

/// A record as stored. `fields` is the JSON object of field name to field value dictionary,
/// exactly as it is sent back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    /// The zone the record lives in.
    pub zone_name: String,
    /// The record's name.
    pub record_name: String,
    /// The record type.
    pub record_type: String,
    /// The change tag of this version.
    pub change_tag: String,
    /// JSON object text: field name -> field value dictionary.
    pub fields: String,
    /// Creation stamp.
    pub created: Stamp,
    /// Last modification stamp.
    pub modified: Stamp,
    /// Sequence number of the last change.
    pub change_seq: i64,
    /// Whether this is a tombstone.
    pub deleted: bool,
    /// The record name of the parent in a share hierarchy (same zone), if any.
    pub parent: Option<String>,
    /// The share identifier, given when the record was saved with `createShortGUID`.
    pub short_guid: Option<String>,
}

const COLUMNS: &str = "zone_name, record_name, record_type, change_tag, fields, created_ts, \
                       created_by, modified_ts, modified_by, change_seq, deleted, parent, short_guid";

fn record_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRecord> {
    Ok(StoredRecord {
        zone_name: r.get(0)?,
        record_name: r.get(1)?,
        record_type: r.get(2)?,
        change_tag: r.get(3)?,
        fields: r.get(4)?,
        created: Stamp {
            timestamp: r.get(5)?,
            user_record_name: r.get(6)?,
        },
        modified: Stamp {
            timestamp: r.get(7)?,
            user_record_name: r.get(8)?,
        },
        change_seq: r.get(9)?,
        deleted: r.get::<_, i64>(10)? != 0,
        parent: r.get(11)?,
        short_guid: r.get(12)?,
    })
}

fn limit_param(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

impl Tx<'_> {
    /// The record (or its tombstone).
    pub fn record(
        &self,
        db: &DatabaseKey,
        zone_name: &str,
        record_name: &str,
    ) -> Result<Option<StoredRecord>, StorageError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM records WHERE scope = ?1 AND owner = ?2 AND zone_name = ?3 AND record_name = ?4"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        Ok(stmt
            .query_row(
                params![db.scope, db.owner, zone_name, record_name],
                record_row,
            )
            .optional()?)
    }

    /// Inserts or overwrites a record (live or tombstone).
    pub fn put_record(
        &mut self,
        db: &DatabaseKey,
        record: &StoredRecord,
    ) -> Result<(), StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "INSERT INTO records (scope, owner, zone_name, record_name, record_type, change_tag, fields,
                 created_ts, created_by, modified_ts, modified_by, change_seq, deleted, parent,
                 short_guid)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
             ON CONFLICT (scope, owner, zone_name, record_name) DO UPDATE SET
                 record_type = excluded.record_type, change_tag = excluded.change_tag,
                 fields = excluded.fields, created_ts = excluded.created_ts,
                 created_by = excluded.created_by, modified_ts = excluded.modified_ts,
                 modified_by = excluded.modified_by, change_seq = excluded.change_seq,
                 deleted = excluded.deleted, parent = excluded.parent,
                 short_guid = excluded.short_guid",
        )?;
        stmt.execute(params![
            db.scope,
            db.owner,
            record.zone_name,
            record.record_name,
            record.record_type,
            record.change_tag,
            record.fields,
            record.created.timestamp,
            record.created.user_record_name,
            record.modified.timestamp,
            record.modified.user_record_name,
            record.change_seq,
            i64::from(record.deleted),
            record.parent,
            record.short_guid,
        ])?;
        Ok(())
    }

    /// Live records of a type, in one zone or (with `None`) in every zone of the database.
    #[cfg(test)]
    pub fn records_of_type(
        &self,
        db: &DatabaseKey,
        zone_name: Option<&str>,
        record_type: &str,
    ) -> Result<Vec<StoredRecord>, StorageError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM records WHERE scope = ?1 AND owner = ?2 AND record_type = ?3
             AND (?4 IS NULL OR zone_name = ?4) AND deleted = 0"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![db.scope, db.owner, record_type, zone_name],
            record_row,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records and tombstones of a zone changed after `seq`, oldest first, at most `limit`.
    pub fn records_changed_since(
        &self,
        db: &DatabaseKey,
        zone_name: &str,
        seq: i64,
        limit: usize,
    ) -> Result<Vec<StoredRecord>, StorageError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM records WHERE scope = ?1 AND owner = ?2 AND zone_name = ?3
             AND change_seq > ?4 ORDER BY change_seq LIMIT ?5"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![db.scope, db.owner, zone_name, seq, limit_param(limit)],
            record_row,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// What a query needs of a record to filter and sort it: its identity, its system fields and
/// the JSON text of the few fields the query names (extracted by SQLite, not decoded whole).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// SQLite row ID, to fetch the whole record once it is on the page.
    pub rowid: i64,
    /// The zone.
    pub zone_name: String,
    /// The record name.
    pub record_name: String,
    /// Creation stamp.
    pub created: Stamp,
    /// Modification stamp.
    pub modified: Stamp,
    /// For each requested JSON path, what SQLite's `json_extract` found there: a number or
    /// text for a scalar, JSON text for an object or array, NULL when absent.
    pub fields: Vec<rusqlite::types::Value>,
}

/// A comparison SQLite can apply while scanning, to skip rows early. It must never drop a
/// row the query keeps: the query checks every filter again on what is left.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// JSON path of the scalar compared.
    pub path: String,
    /// The comparison.
    pub op: ConditionOp,
    /// The right-hand side.
    pub value: rusqlite::types::Value,
}

/// Comparisons a [`Condition`] can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionOp {
    /// `=`
    Eq,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl ConditionOp {
    fn sql(self) -> &'static str {
        match self {
            ConditionOp::Eq => "=",
            ConditionOp::Lt => "<",
            ConditionOp::Le => "<=",
            ConditionOp::Gt => ">",
            ConditionOp::Ge => ">=",
        }
    }
}

/// One row of a page answered in SQL: the row, its sort value, zone and name (the keyset).
#[derive(Debug, Clone, PartialEq)]
pub struct PageRow {
    /// SQLite row ID.
    pub rowid: i64,
    /// The sort key's value, when the query sorts.
    pub sort_value: rusqlite::types::Value,
    /// The zone.
    pub zone_name: String,
    /// The record name.
    pub record_name: String,
}

/// Where a page starts: after this sort value, zone and record name.
#[derive(Debug, Clone, PartialEq)]
pub struct PageCursor {
    /// Sort value of the last row of the previous page (NULL when it had none).
    pub sort_value: rusqlite::types::Value,
    /// Its zone.
    pub zone_name: String,
    /// Its record name.
    pub record_name: String,
}

impl Tx<'_> {
    /// Live records of a type as query candidates, with the values at `paths` (JSON paths
    /// into the fields object, e.g. `$."priority".value`) extracted.
    pub fn query_candidates(
        &self,
        db: &DatabaseKey,
        zone_name: Option<&str>,
        record_type: &str,
        paths: &[String],
        conditions: &[Condition],
    ) -> Result<Vec<Candidate>, StorageError> {
        let mut extracts = String::new();
        for i in 0..paths.len() {
            extracts.push_str(&format!(", json_extract(fields, ?{})", i + 5));
        }
        let mut wheres = String::new();
        for (i, c) in conditions.iter().enumerate() {
            let at = 5 + paths.len() + 2 * i;
            wheres.push_str(&format!(
                " AND json_extract(fields, ?{at}) {} ?{}",
                c.op.sql(),
                at + 1
            ));
        }
        let sql = format!(
            "SELECT rowid, zone_name, record_name, created_ts, created_by, modified_ts, modified_by{extracts}
             FROM records WHERE scope = ?1 AND owner = ?2 AND record_type = ?3
             AND (?4 IS NULL OR zone_name = ?4) AND deleted = 0{wheres}"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let n = paths.len();
        let mut args: Vec<&dyn rusqlite::ToSql> =
            vec![&db.scope, &db.owner, &record_type, &zone_name];
        args.extend(paths.iter().map(|p| p as &dyn rusqlite::ToSql));
        for c in conditions {
            args.push(&c.path);
            args.push(&c.value);
        }
        let rows = stmt.query_map(args.as_slice(), |r| {
            let mut fields = Vec::with_capacity(n);
            for i in 0..n {
                fields.push(r.get::<_, rusqlite::types::Value>(7 + i)?);
            }
            Ok(Candidate {
                rowid: r.get(0)?,
                zone_name: r.get(1)?,
                record_name: r.get(2)?,
                created: Stamp {
                    timestamp: r.get(3)?,
                    user_record_name: r.get(4)?,
                },
                modified: Stamp {
                    timestamp: r.get(5)?,
                    user_record_name: r.get(6)?,
                },
                fields,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A page of a query in one SQL statement. `order` is a trusted SQL expression (a column or
    /// a `json_extract` over a checked field name) and its direction; rows sort by it (nulls
    /// last), then zone and record name, and start after `after`.
    /// With `index`, the scan goes through that index (the planner would otherwise prefer the
    /// type index and sort everything).
    #[allow(clippy::too_many_arguments)]
    pub fn query_page(
        &self,
        db: &DatabaseKey,
        zone_name: Option<&str>,
        record_type: &str,
        conditions: &[Condition],
        order: Option<(&str, bool)>,
        index: Option<&str>,
        after: Option<&PageCursor>,
        limit: usize,
    ) -> Result<Vec<PageRow>, StorageError> {
        let mut args: Vec<&dyn rusqlite::ToSql> =
            vec![&db.scope, &db.owner, &record_type, &zone_name];
        let mut sql_where = String::new();
        for c in conditions {
            args.push(&c.path);
            args.push(&c.value);
            sql_where.push_str(&format!(
                " AND json_extract(fields, ?{}) {} ?{}",
                args.len() - 1,
                c.op.sql(),
                args.len()
            ));
        }
        let key = order.map_or("NULL", |(e, _)| e);
        let ascending = order.is_none_or(|(_, a)| a);
        let (after_value, after_zone, after_name);
        if let Some(c) = after {
            after_value = c.sort_value.clone();
            after_zone = c.zone_name.clone();
            after_name = c.record_name.clone();
            args.push(&after_value);
            let v = args.len();
            args.push(&after_zone);
            let z = args.len();
            args.push(&after_name);
            let n = args.len();
            let tie = format!("(zone_name > ?{z} OR (zone_name = ?{z} AND record_name > ?{n}))");
            let beyond = if ascending { ">" } else { "<" };
            // Nulls sort last whatever the direction.
            sql_where.push_str(&format!(
                " AND (CASE WHEN ?{v} IS NULL THEN ({key}) IS NULL AND {tie}
                        ELSE ({key}) IS NULL OR ({key}) {beyond} ?{v} OR (({key}) = ?{v} AND {tie}) END)"
            ));
        }
        let direction = if ascending { "ASC" } else { "DESC" };
        let indexed = index.map_or_else(String::new, |i| format!(" INDEXED BY \"{i}\""));
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        args.push(&limit);
        let sql = format!(
            "SELECT rowid, {key}, zone_name, record_name FROM records{indexed}
             WHERE scope = ?1 AND owner = ?2 AND record_type = ?3
             AND (?4 IS NULL OR zone_name = ?4) AND deleted = 0{sql_where}
             ORDER BY {key} {direction} NULLS LAST, zone_name, record_name LIMIT ?{}",
            args.len()
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(args.as_slice(), |r| {
            Ok(PageRow {
                rowid: r.get(0)?,
                sort_value: r.get(1)?,
                zone_name: r.get(2)?,
                record_name: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Creates the index CloudKit would keep for a queryable or sortable scalar field: on its
    /// value at `path` (from [`scalar_path`](super::scalar_path)), within a database and type.
    pub fn ensure_field_index(&mut self, path: &str) -> Result<(), StorageError> {
        let id = field_index_name(path);
        if path.contains('\'') {
            return Err(StorageError::Invariant("field paths never contain quotes"));
        }
        self.conn().execute_batch(&format!(
            "CREATE INDEX IF NOT EXISTS \"{id}\" ON records
             (scope, owner, record_type, json_extract(fields, '{path}'), zone_name, record_name)"
        ))?;
        Ok(())
    }

    /// Names of the field indexes the store has (those [`Tx::ensure_field_index`] makes).
    pub fn field_indexes(&self) -> Result<Vec<String>, StorageError> {
        let mut stmt = self.conn().prepare(
            "SELECT name FROM sqlite_master
             WHERE type = 'index' AND tbl_name = 'records' AND name LIKE 'field%'",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Drops a field index by name.
    pub fn drop_field_index(&mut self, name: &str) -> Result<(), StorageError> {
        if name.contains('"') {
            return Err(StorageError::Invariant("index names never contain quotes"));
        }
        self.conn()
            .execute_batch(&format!("DROP INDEX IF EXISTS \"{name}\""))?;
        Ok(())
    }

    /// Whole records by row ID, in the order asked.
    pub fn records_by_rowid(&self, rowids: &[i64]) -> Result<Vec<StoredRecord>, StorageError> {
        let sql = format!("SELECT {COLUMNS} FROM records WHERE rowid = ?1");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut out = Vec::with_capacity(rowids.len());
        for id in rowids {
            if let Some(r) = stmt.query_row([id], record_row).optional()? {
                out.push(r);
            }
        }
        Ok(out)
    }
}
