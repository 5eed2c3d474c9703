//! Integration tests of the client, one binary: requests as sent (snapshots), end to end
//! against the in-process emulator, and the typed records and queries. The tracing test
//! stays in its own binary (`client_tracing.rs`): a tracing dispatcher's callsite interest is
//! process-wide.

#[cfg(feature = "client")]
mod support;

#[cfg(feature = "client")]
mod asset_streams;
#[cfg(feature = "client")]
mod assets;
#[cfg(feature = "client")]
mod call_deadline;
#[cfg(all(feature = "client", feature = "derive"))]
mod camel_case_app;
#[cfg(feature = "client")]
mod conflicts;
#[cfg(feature = "client")]
mod e2e;
#[cfg(feature = "client")]
mod fault_10k;
#[cfg(feature = "client")]
mod notifications;
#[cfg(feature = "client")]
mod requests;
#[cfg(feature = "client")]
mod retried_writes;
#[cfg(feature = "client")]
mod sessions;
#[cfg(all(feature = "client", feature = "derive"))]
mod typed_changes;
#[cfg(all(feature = "client", feature = "derive"))]
mod typed_client;
#[cfg(feature = "client")]
mod typed_pages;
#[cfg(feature = "derive")]
mod typed_records;
#[cfg(feature = "client")]
mod users;
#[cfg(feature = "client")]
mod zone_batches;
