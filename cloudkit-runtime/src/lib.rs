//! Typed CloudKit Web Services for Rust.

#![warn(missing_docs)]
