//! Query evaluation: checking a query against the schema's indexes, then matching, sorting and
//! keying records, in SQL when the query is simple enough and in Rust otherwise
//! (web-services spec §4.10–4.12, §7).

mod continuation;
mod evaluate;
mod extract;
pub mod prepare;
mod run;
mod sort_key;
mod sql_plan;

pub use extract::LoadedRecord;
pub use prepare::prepare;
pub use run::records_query;

#[cfg(test)]
mod tests;
