//! CloudKit's text schema language (`.ckdb`): lexer, parser, model, checks, formatter.
//!
//! One parser serves the derive macro, build.rs generation, the CLI and the emulator.
//!
//! ```
//! use cloudkit_schema::{FieldType, ScalarType, parse_and_check};
//!
//! let source = r#"
//! DEFINE SCHEMA
//!     RECORD TYPE Note (
//!         title  STRING QUERYABLE SEARCHABLE SORTABLE,
//!         tags   LIST<STRING> QUERYABLE,
//!         GRANT READ TO "_world"
//!     );
//! "#;
//! let checked = parse_and_check(source).map_err(|errors| errors[0].clone())?;
//! assert!(checked.warnings.is_empty());
//!
//! for record_type in &checked.schema.record_types {
//!     // Declared fields come first, then the implicit system fields.
//!     for field in record_type.user_fields() {
//!         println!("{}.{}: {}", record_type.name, field.name, field.field_type);
//!     }
//! }
//! let note = checked.schema.record_type("Note").expect("declared above");
//! let title = note.field("title").expect("declared above");
//! assert_eq!(title.field_type.element().scalar, ScalarType::String);
//! assert!(title.indexes.is_searchable());
//! assert!(matches!(note.field("tags").map(|f| f.field_type), Some(FieldType::List(_))));
//! assert_eq!(note.system_fields().count(), 6);
//!
//! // The canonical export layout (spec §14).
//! let formatted = cloudkit_schema::format(&checked.schema);
//! assert!(formatted.starts_with("DEFINE SCHEMA\n\n    RECORD TYPE Note (\n"));
//! # Ok::<(), cloudkit_schema::Diagnostic>(())
//! ```

#![warn(missing_docs)]

pub mod check;
pub mod diagnostic;
pub mod format;
mod lexer;
pub mod model;
pub mod parser;
mod render;

pub use check::{Checked, check, parse_and_check};
pub use diagnostic::{Diagnostic, DiagnosticKind, Severity};
pub use format::format;
pub use model::*;
pub use parser::parse;
