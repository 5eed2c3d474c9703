//! SQLite storage: zones, records (with tombstones), subscriptions and a change sequence.
//!
//! One connection serves every request, behind a mutex: there is exactly one writer, and a
//! write that has been acknowledged has been committed. File databases run in WAL mode, which
//! keeps committed transactions across a killed process.
//!
//! Every write takes the next number of one global change sequence. Change tags, zone and
//! database sync tokens, and change feeds are all read off that sequence.

mod asset;
mod notification;
mod record;
mod subscription;
mod zone;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension as _, params};

use crate::error::ServerError;
pub use asset::{AssetSlot, StoredFile, StoredReceipt, StoredUpload};
pub use notification::OwnedSubscription;
pub use record::{
    Candidate, Condition, ConditionOp, PageCursor, PageRow, Stamp, StoredRecord, field_index_name,
    is_plain_name,
};
pub use subscription::StoredSubscription;
pub use zone::StoredZone;

/// Which stored database a request reads and writes: the public one, or one user's private one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DatabaseKey {
    /// `public` or `private`.
    pub scope: &'static str,
    /// The owning user's record name; empty for the public database.
    pub owner: String,
}

impl DatabaseKey {
    /// The public database.
    pub fn public() -> DatabaseKey {
        DatabaseKey {
            scope: "public",
            owner: String::new(),
        }
    }

    /// A user's private database.
    pub fn private(owner: &str) -> DatabaseKey {
        DatabaseKey {
            scope: "private",
            owner: owner.to_owned(),
        }
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('seq', '0');
CREATE TABLE IF NOT EXISTS zones (
    scope TEXT NOT NULL, owner TEXT NOT NULL, zone_name TEXT NOT NULL,
    change_seq INTEGER NOT NULL, epoch INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, owner, zone_name)
);
CREATE INDEX IF NOT EXISTS zones_by_change ON zones (scope, owner, change_seq);
CREATE TABLE IF NOT EXISTS records (
    scope TEXT NOT NULL, owner TEXT NOT NULL, zone_name TEXT NOT NULL, record_name TEXT NOT NULL,
    record_type TEXT NOT NULL, change_tag TEXT NOT NULL, fields TEXT NOT NULL,
    created_ts INTEGER NOT NULL, created_by TEXT NOT NULL,
    modified_ts INTEGER NOT NULL, modified_by TEXT NOT NULL,
    change_seq INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, owner, zone_name, record_name)
);
CREATE INDEX IF NOT EXISTS records_by_change ON records (scope, owner, zone_name, change_seq);
CREATE INDEX IF NOT EXISTS records_by_type ON records (scope, owner, record_type, zone_name);
CREATE TABLE IF NOT EXISTS subscriptions (
    scope TEXT NOT NULL, owner TEXT NOT NULL, subscription_id TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (scope, owner, subscription_id)
);
";

/// The store: one SQLite connection.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// A store that lives in memory and is gone at shutdown.
    pub fn memory() -> Result<Store, rusqlite::Error> {
        Store::init(Connection::open_in_memory()?)
    }

    /// A store in a file, created if missing. WAL journal; `synchronous=NORMAL`, which in WAL
    /// mode keeps every committed transaction when the process dies (not on power loss).
    pub fn file(path: &Path) -> Result<Store, rusqlite::Error> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Store::init(conn)
    }

    fn init(conn: Connection) -> Result<Store, rusqlite::Error> {
        conn.execute_batch(SCHEMA)?;
        conn.execute_batch(asset::SCHEMA)?;
        conn.execute_batch(notification::SCHEMA)?;
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, ServerError> {
        // A panic while holding the lock cannot leave a half-applied write behind (the
        // transaction is rolled back when dropped), so a poisoned lock is safe to reuse.
        Ok(self.conn.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Runs `f` in one transaction. It commits when `f` returns `Ok` and did not call
    /// [`Tx::roll_back`]; otherwise nothing `f` wrote is kept.
    pub fn transaction<R>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<R, ServerError>,
    ) -> Result<R, ServerError> {
        let mut conn = self.lock()?;
        let inner = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut tx = Tx {
            inner,
            roll_back: false,
        };
        let out = f(&mut tx)?;
        if tx.roll_back {
            tx.inner.rollback()?;
        } else {
            tx.inner.commit()?;
        }
        Ok(out)
    }

    /// Reads a metadata value.
    pub fn meta(&self, key: &str) -> Result<Option<String>, ServerError> {
        let conn = self.lock()?;
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Writes a metadata value.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), ServerError> {
        let conn = self.lock()?;
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}

/// An open transaction.
pub struct Tx<'c> {
    inner: rusqlite::Transaction<'c>,
    roll_back: bool,
}

impl Tx<'_> {
    /// Makes the transaction discard everything at the end, while still returning a result
    /// (an atomic batch that failed).
    pub fn roll_back(&mut self) {
        self.roll_back = true;
    }

    /// Takes the next number of the change sequence.
    pub fn next_seq(&mut self) -> Result<i64, ServerError> {
        Ok(self.inner.query_row(
            "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'seq' RETURNING CAST(value AS INTEGER)",
            [],
            |r| r.get(0),
        )?)
    }

    /// The last number taken from the change sequence.
    pub fn current_seq(&self) -> Result<i64, ServerError> {
        Ok(self.inner.query_row(
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'",
            [],
            |r| r.get(0),
        )?)
    }

    fn conn(&self) -> &Connection {
        &self.inner
    }
}

#[cfg(test)]
mod tests;

impl Tx<'_> {
    /// Marks the start of one operation inside the transaction.
    pub fn savepoint(&mut self) -> Result<(), ServerError> {
        self.inner.execute_batch("SAVEPOINT operation")?;
        Ok(())
    }

    /// Keeps what the operation wrote.
    pub fn release(&mut self) -> Result<(), ServerError> {
        self.inner.execute_batch("RELEASE operation")?;
        Ok(())
    }

    /// Discards what the operation wrote; the rest of the transaction stays.
    pub fn roll_back_operation(&mut self) -> Result<(), ServerError> {
        self.inner
            .execute_batch("ROLLBACK TO operation; RELEASE operation")?;
        Ok(())
    }
}
