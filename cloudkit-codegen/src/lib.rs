//! Code generation for typed CloudKit records: the logic behind `#[derive(CloudKitRecord)]`,
//! the build.rs [`Builder`] and `cloudkit schema codegen`.
//!
//! One path serves all three: **parse** the struct and its `#[cloudkit(...)]` attributes
//! (`input/`), **check** it against the schema and plan what to emit (`check/`),
//! **generate** tokens (`generate/`). Errors are collected (`ctxt.rs`) and reported together,
//! each at its own span, naming the schema file and the `line:col` of the definition it
//! compared against. One naming rule (`naming/`) serves both directions: the derive finds the
//! schema field of a Rust field (`start_date` → `startDate`, `CD_` prefix under `core_data`),
//! and generation names a struct field for a schema field (`startDate` → `start_date`).
//!
//! ```
//! let schema = "DEFINE SCHEMA\nRECORD TYPE Note (title STRING QUERYABLE SORTABLE, tags LIST<STRING>);\n";
//! let options = cloudkit_codegen::Options {
//!     record_types: Some(vec!["Note".into()]),
//!     ..Default::default()
//! };
//! let code = cloudkit_codegen::generate_module(schema, &options)?;
//! assert!(code.contains("pub tags: Option<Vec<String>>"));
//! # Ok::<(), cloudkit_codegen::CodegenError>(())
//! ```
//!
//! # Type mapping
//!
//! | schema type | Rust types that fit (any of them also as `Option<…>`) | codec kind |
//! | --- | --- | --- |
//! | `STRING` | `String` | `kind::String` |
//! | `INT64` | `i64`, `i32`, `i16`, `i8`, `u32`, `u16`, `u8`, `bool` | `kind::Int64` |
//! | `DOUBLE` | `f64`, `f32` | `kind::Double` |
//! | `TIMESTAMP` | `Timestamp`, `std::time::SystemTime`, `time::OffsetDateTime`, `chrono::DateTime<Utc>` (runtime features) | `kind::Timestamp` |
//! | `BYTES` | `Vec<u8>` | `kind::Bytes` |
//! | `REFERENCE` | `Reference`, `Reference<T>` | `kind::Reference` |
//! | `ASSET` | `Asset` | `kind::Asset` |
//! | `LOCATION` | `Location` | `kind::Location` |
//! | `LIST<T>` | `Vec<T>` with `T` from this table | `kind::List<…>` |
//! | `NUMBER PREFERRED AS INT64` | as `INT64` | `kind::Int64` |
//! | `NUMBER PREFERRED AS DOUBLE`, bare `NUMBER` | as `DOUBLE` | `kind::Double` |
//!
//! The macro rejects a type it recognises by name that cannot hold the schema type (`String`
//! for an `INT64`, `u64` anywhere); for any other type rustc checks the
//! `FieldCodec<kind::…>` bound at the field. build.rs generation uses the first type of each
//! row, wrapped in `Option`.
//!
//! # Index rules of the typed query builders
//!
//! Generated field handles carry one marker type per schema field, implementing
//! `Queryable`, `Sortable`, `Searchable` and `Unencrypted` exactly as the schema says.
//! See `cloudkit_runtime::typed` for which method needs which index.

#![warn(missing_docs)]

mod builder;
mod check;
mod ctxt;
mod derive;
mod generate;
mod input;
mod module;
mod naming;
mod records_enum;
mod schema_file;
mod suggest;

pub use builder::Builder;
pub use derive::derive_record;
pub use module::{CodegenError, Options, generate_module};
pub use records_enum::derive_records;
pub use schema_file::LoadError;
