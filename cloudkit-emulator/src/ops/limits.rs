//! CloudKit's limits on one request (spec §6).

use crate::error::ServerError;

/// Most operations per modify request and most results per response (spec §6).
pub const MAX_ITEMS: usize = 200;

/// Largest record, fields only (spec §6: 1 MB excluding assets).
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// Longest record type, field, record, zone name and subscription ID, in characters. Apple
/// documents 255 for record names; the emulator holds every other name to the same limit.
pub const MAX_NAME_CHARS: usize = 255;

/// Most filters in one query. CloudKit documents none (spec §6); a query needs a handful, and
/// each filter costs every candidate record a comparison.
pub const MAX_FILTERS: usize = 100;

/// Most sort descriptors in one query (CloudKit documents none; each is a sort key component).
pub const MAX_SORTS: usize = 10;

/// Most values in the list operand of one filter (`IN`, `NOT_IN`, `LIST_CONTAINS_ANY`, ...).
/// CloudKit documents none; lists of 97 are known to work (spec §6).
pub const MAX_LIST_VALUES: usize = 1_000;

/// Most bytes of records one query response carries (estimated from the stored fields). A page
/// that would pass it ends early with a continuation marker; a page always holds at least one
/// record, which the record size limit keeps under 1 MB.
pub const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// The bytes of records one response may still carry, out of [`MAX_RESPONSE_BYTES`]. The
/// first record always fits (the record size limit keeps it under 1 MB), so every response
/// makes progress.
#[derive(Debug)]
pub struct ResponseBudget {
    left: usize,
    taken: bool,
}

impl Default for ResponseBudget {
    fn default() -> Self {
        ResponseBudget {
            left: MAX_RESPONSE_BYTES,
            taken: false,
        }
    }
}

impl ResponseBudget {
    /// Takes `bytes` for one more record; false (and nothing taken) when they would pass the
    /// budget.
    pub fn take(&mut self, bytes: usize) -> bool {
        if self.taken && bytes > self.left {
            return false;
        }
        self.left = self.left.saturating_sub(bytes);
        self.taken = true;
        true
    }
}

/// Most field indexes the store keeps on its shared records table. Every index costs every
/// record write, so the fields the schema file declares come first and fields grown just in
/// time take what is left; a field beyond the cap is still queryable, by scanning its type.
pub const MAX_FIELD_INDEXES: usize = 32;

/// Checks the number of items in a request.
pub fn check_count(what: &str, n: usize) -> Result<(), ServerError> {
    if n > MAX_ITEMS {
        return Err(ServerError::bad_request(format!(
            "too many {what} in one request: {n}, the limit is {MAX_ITEMS}"
        )));
    }
    Ok(())
}

/// The page size asked for: the default and the maximum are both 200 (spec §6).
pub fn results_limit(asked: Option<u32>) -> usize {
    match asked {
        None | Some(0) => MAX_ITEMS,
        Some(n) => usize::try_from(n).unwrap_or(MAX_ITEMS).min(MAX_ITEMS),
    }
}
