//! The management API's schema operations on a container: validate a file against what
//! production accepts, import it into development, and reset development to production.
//!
//! The uploaded text (up to the request size limit) is parsed, checked and compared with
//! production on copies of the schemas, with no lock held; the development schema's lock is
//! taken only to swap in the result, and held while it is stored (schema lock before store
//! lock, the order every write takes them), so no write sees the store and the schema
//! disagree.

use crate::error::{ServerError, ServerErrorCode};
use crate::schema::LiveSchema;
use crate::state::Shared;

/// How often an import is worked out again when development's schema changed meanwhile.
const IMPORT_ATTEMPTS: usize = 3;

/// A copy of the schema in force, taken under its lock only for the copy.
fn snapshot(shared: &Shared) -> LiveSchema {
    shared
        .schema
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
}

/// Whether `text` could be imported into `development`: `Err` says why not.
pub fn validate(development: &Shared, production: &Shared, text: &str) -> Result<(), String> {
    snapshot(development)
        .imported(text, &snapshot(production))
        .map(|_| ())
}

/// Imports `text` into `development` (see [`LiveSchema::imported`]); a file production would
/// refuse changes nothing and is `BAD_REQUEST` with the reason.
pub fn import(development: &Shared, production: &Shared, text: &str) -> Result<(), ServerError> {
    for _ in 0..IMPORT_ATTEMPTS {
        let current = snapshot(development);
        let next = current
            .imported(text, &snapshot(production))
            .map_err(|reason| ServerError::new(ServerErrorCode::BadRequest, reason))?;
        let mut live = development
            .schema
            .write()
            .unwrap_or_else(|p| p.into_inner());
        if live.generation() != current.generation() {
            // A write grew development while the file was being merged: merge again.
            continue;
        }
        development
            .store
            .run_transaction(|tx| next.save_imported_in(tx))?;
        *live = next;
        return Ok(());
    }
    Err(ServerError::new(
        ServerErrorCode::TryAgainLater,
        "development's schema kept changing while the import was applied; try again",
    )
    .with_retry_after(1))
}

/// Development back to production's schema, with every record, zone, subscription and asset
/// of development deleted (`cktool reset-schema`). Sign-ins stay.
pub fn reset(development: &Shared, production: &Shared) -> Result<(), ServerError> {
    let next = LiveSchema::reset_to(&production.schema.read().unwrap_or_else(|p| p.into_inner()));
    let mut current = development
        .schema
        .write()
        .unwrap_or_else(|p| p.into_inner());
    development.store.run_transaction(|tx| {
        tx.erase_data()?;
        next.save_reset_in(tx)
    })?;
    *current = next;
    development
        .users_seen
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clear();
    Ok(())
}
