//! The storage layer, for benches that compare it with the HTTP path. Not a stable API.

pub use crate::storage::{DatabaseKey, Stamp, StorageError, Store, StoredRecord};

/// Change tags, as the emulator derives them from the change sequence.
pub mod change_tag {
    pub use crate::change_tag::from_seq;
}
