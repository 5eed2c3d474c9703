//! Query evaluation: checking a query against the schema's indexes, then matching, sorting and
//! keying records, in SQL when the query is simple enough and in Rust otherwise
//! (web-services spec §4.10–4.12, §7).

mod evaluate;
mod extract;
mod prepare;
mod sort_key;
mod sql_plan;

pub use extract::{Extract, LoadedRecord};
pub use prepare::{PreparedQuery, prepare};
pub use sort_key::{SortKey, distance_m, tokens};
pub use sql_plan::{SqlPlan, page_cursor, row_key};

#[cfg(test)]
mod tests;
