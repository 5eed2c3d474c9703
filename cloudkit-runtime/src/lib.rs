//! Typed CloudKit Web Services for Rust.

#![warn(missing_docs)]

#[cfg(feature = "client")]
pub mod client;
