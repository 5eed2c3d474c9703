//! The records endpoints and how many operations one request may carry.

/// CloudKit's limit of operations in one `records/modify` request.
pub const MAX_OPERATIONS_PER_REQUEST: usize = 200;

pub(crate) const MODIFY: &str = "records/modify";
pub(crate) const LOOKUP: &str = "records/lookup";
