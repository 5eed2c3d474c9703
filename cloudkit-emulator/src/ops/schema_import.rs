//! The management API's schema operations on a container: validate a file against what
//! production accepts, import it into development, and reset development to production.
//!
//! The development service's schema lock is taken before its store (the order every write
//! takes them), and held while the new schema is stored, so no write sees the store and the
//! schema disagree.

use crate::error::{ServerError, ServerErrorCode};
use crate::schema::LiveSchema;
use crate::state::Shared;

/// Whether `text` could be imported into `development`: `Err` says why not.
pub fn validate(development: &Shared, production: &Shared, text: &str) -> Result<(), String> {
    let production_schema = production.schema.read().unwrap_or_else(|p| p.into_inner());
    let current = development.schema.read().unwrap_or_else(|p| p.into_inner());
    current.imported(text, &production_schema).map(|_| ())
}

/// Imports `text` into `development` (see [`LiveSchema::imported`]); a file production would
/// refuse changes nothing and is `BAD_REQUEST` with the reason.
pub fn import(development: &Shared, production: &Shared, text: &str) -> Result<(), ServerError> {
    let production_schema = production
        .schema
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let mut current = development
        .schema
        .write()
        .unwrap_or_else(|p| p.into_inner());
    let next = current
        .imported(text, &production_schema)
        .map_err(|reason| ServerError::new(ServerErrorCode::BadRequest, reason))?;
    development
        .store
        .run_transaction(|tx| next.save_imported_in(tx))?;
    *current = next;
    Ok(())
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
