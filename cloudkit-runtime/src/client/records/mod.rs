//! Saving, looking up and deleting records: one at a time, or in batches of any size.
//!
//! Batches are split into requests of at most [`MAX_OPERATIONS_PER_REQUEST`] operations; the
//! report holds one result per operation, in the order they were added, failed ones included.
//!
//! Retrying never duplicates or loses a record. Records carry client-chosen names (a UUID is
//! generated here when a new record has none), so a retried `create` cannot make a second
//! record. A `create` answered `EXISTS` counts as done when the server holds exactly the
//! fields that were sent and an earlier attempt may have been applied (a lost answer, or a
//! re-send marked with [`ModifyRecords::as_resend`]); an `update`/`replace` answered
//! `CONFLICT` likewise. Otherwise `EXISTS` and a stale change tag stay errors, with the
//! server's record attached.

mod batch;
mod chunk;
mod endpoints;
mod lookup;
mod outcome;
mod save;
mod verify;

pub use batch::ModifyRecords;
pub use endpoints::MAX_OPERATIONS_PER_REQUEST;
pub(crate) use outcome::decode_failure;
pub use outcome::{ModifyReport, RecordOutcome};
