//! SQLite storage: zones, records (with tombstones), subscriptions and a change sequence.
//!
//! One connection serves every request, behind a mutex: there is exactly one writer, and a
//! write that has been acknowledged has been committed. File databases run in WAL mode, which
//! keeps committed transactions across a killed process.
//!
//! Every write takes the next number of one global change sequence. Change tags, zone and
//! database sync tokens, and change feeds are all read off that sequence.

mod asset;
mod database_key;
mod detached_json;
mod erase;
mod error;
mod field_path;
mod notification;
mod record;
mod reference;
mod store;
mod subscription;
mod tables;
mod web_session;
mod zone;

pub use asset::{AssetSlot, StoredFile, StoredUpload};
pub use database_key::DatabaseKey;
pub use detached_json::extract_detached;
pub use error::StorageError;
pub use field_path::{field_index_name, is_plain_name, json_path, native_scalar, scalar_path};
pub use notification::OwnedSubscription;
pub use record::{Candidate, Condition, ConditionOp, PageCursor, PageRow, Stamp, StoredRecord};
pub use store::{Store, Tx};
pub use subscription::StoredSubscription;
pub use web_session::StoredWebSession;
pub use zone::StoredZone;

#[cfg(test)]
mod tests;
