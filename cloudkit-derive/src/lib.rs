//! `#[derive(CloudKitRecord)]`: a struct checked against a checked-in CloudKit schema at
//! compile time. All logic lives in `cloudkit-codegen`; this crate only hands tokens over.
//!
//! Use it through `cloudkit_runtime`, which re-exports it:
//!
//! ```
//! use cloudkit_runtime::{CloudKitRecord, SystemFields};
//!
//! #[derive(CloudKitRecord, Debug, Clone)]
//! #[cloudkit(schema = "tests/schema/notes.ckdb", record_type = "Note")]
//! pub struct Note {
//!     #[cloudkit(system)]
//!     pub meta: SystemFields,
//!     pub title: String,
//!     pub tags: Vec<String>,
//! }
//!
//! let query = Note::query()
//!     .filter(Note::fields().title().begins_with("Shop"))
//!     .filter(Note::fields().tags().list_contains("home"))
//!     .sort(Note::fields().modified_at().descending());
//! assert_eq!(query.to_wire().record_type, "Note");
//! ```
//!
//! Container options: `schema = "PATH"` (relative to the crate's Cargo.toml),
//! `record_type = "Name"` (default: the struct's name), `crate = "path"` (where
//! `cloudkit_runtime` is). Field options: `rename = "schemaName"`, `system` (the field holding
//! `SystemFields`), `skip` (not stored; `Default` on decode).
//!
//! Problems become `compile_error!`s at the field or attribute they are about, never a panic,
//! so the macro behaves in rust-analyzer too.

#![warn(missing_docs)]

use proc_macro::TokenStream;

/// Implements `CloudKitRecord` and the typed field, query and subscription builders for a
/// struct, after checking it against the schema named by `#[cloudkit(schema = "...")]`.
#[proc_macro_derive(CloudKitRecord, attributes(cloudkit))]
pub fn derive_cloudkit_record(input: TokenStream) -> TokenStream {
    cloudkit_codegen::derive_record(input.into()).into()
}
