//! What can go wrong in SQLite, apart from CloudKit's own errors: those are decided above the
//! store, which converts this one at its boundary.

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// SQLite refused or failed.
    #[error("storage failure: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A request the store never expects from the emulator's own code.
    #[error("{0}")]
    Invariant(&'static str),
}
