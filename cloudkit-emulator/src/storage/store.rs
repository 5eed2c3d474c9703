//! The store and its transactions: one connection behind a mutex, one global change sequence.
//! The tables' own reads and writes are `Tx` methods in the sibling modules.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension as _, params};

use super::error::StorageError;
use super::tables;

/// Prepared statements kept for reuse.
const STATEMENT_CACHE: usize = 128;

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
        conn.execute_batch(tables::CORE)?;
        conn.execute_batch(tables::ASSETS)?;
        conn.execute_batch(tables::NOTIFICATIONS)?;
        conn.execute_batch(tables::WEB_SESSIONS)?;
        let has_references: bool = conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'record_references'",
            [],
            |r| r.get(0),
        )?;
        let has_sharing: bool = conn.query_row(
            "SELECT count(*) > 0 FROM pragma_table_info('records') WHERE name = 'short_guid'",
            [],
            |r| r.get(0),
        )?;
        if !has_sharing {
            conn.execute_batch(&format!("BEGIN; {} COMMIT;", tables::SHARING))?;
        }
        if !has_references {
            // Created and filled in one transaction: a crash leaves no half-filled table.
            conn.execute_batch(&format!("BEGIN; {} COMMIT;", tables::REFERENCES))?;
        }
        // One write runs a dozen statements per record and queries add their own: the default
        // cache of 16 would evict the write path's statements and parse them again every time.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, StorageError> {
        // A panic while holding the lock cannot leave a half-applied write behind (the
        // transaction is rolled back when dropped), so a poisoned lock is safe to reuse.
        Ok(self.conn.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Runs `f` in one transaction. It commits when `f` returns `Ok` and did not call
    /// [`Tx::roll_back`]; otherwise nothing `f` wrote is kept.
    pub fn transaction<R>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<R, StorageError>,
    ) -> Result<R, StorageError> {
        self.run_transaction(f)
    }

    /// [`Store::transaction`] for a closure that fails with the caller's own error (CloudKit's,
    /// above the store), which every [`StorageError`] converts into.
    pub fn run_transaction<R, E: From<StorageError>>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<R, E>,
    ) -> Result<R, E> {
        let mut conn = self.lock()?;
        let inner = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(StorageError::from)?;
        let mut tx = Tx {
            inner,
            roll_back: false,
        };
        let out = f(&mut tx)?;
        if tx.roll_back {
            tx.inner.rollback().map_err(StorageError::from)?;
        } else {
            tx.inner.commit().map_err(StorageError::from)?;
        }
        Ok(out)
    }

    /// Reads a metadata value.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StorageError> {
        let conn = self.lock()?;
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Writes a metadata value.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StorageError> {
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
    pub(super) inner: rusqlite::Transaction<'c>,
    roll_back: bool,
}

impl Tx<'_> {
    /// Makes the transaction discard everything at the end, while still returning a result
    /// (an atomic batch that failed).
    pub fn roll_back(&mut self) {
        self.roll_back = true;
    }

    /// Takes the next number of the change sequence.
    pub fn next_seq(&mut self) -> Result<i64, StorageError> {
        Ok(self
            .inner
            .prepare_cached(
                "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'seq'
                 RETURNING CAST(value AS INTEGER)",
            )?
            .query_row([], |r| r.get(0))?)
    }

    /// The last number taken from the change sequence.
    pub fn current_seq(&self) -> Result<i64, StorageError> {
        Ok(self
            .inner
            .prepare_cached("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'")?
            .query_row([], |r| r.get(0))?)
    }

    /// Writes a metadata value as part of this transaction.
    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        self.inner.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub(super) fn conn(&self) -> &Connection {
        &self.inner
    }
}

impl Tx<'_> {
    /// Marks the start of one operation inside the transaction.
    pub fn savepoint(&mut self) -> Result<(), StorageError> {
        // Cached like any statement: a batch marks one savepoint per operation.
        self.inner
            .prepare_cached("SAVEPOINT operation")?
            .execute([])?;
        Ok(())
    }

    /// Keeps what the operation wrote.
    pub fn release(&mut self) -> Result<(), StorageError> {
        self.inner
            .prepare_cached("RELEASE operation")?
            .execute([])?;
        Ok(())
    }

    /// Discards what the operation wrote; the rest of the transaction stays.
    pub fn roll_back_operation(&mut self) -> Result<(), StorageError> {
        self.inner
            .execute_batch("ROLLBACK TO operation; RELEASE operation")?;
        Ok(())
    }
}
