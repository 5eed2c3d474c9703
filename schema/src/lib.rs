//! CloudKit's text schema language (`.ckdb`): lexer, parser, model, checks, formatter, diff.
//!
//! One parser serves the derive macro, build.rs generation, the CLI and the emulator.
//! (The opening example and the rest of the API arrive with the parser.)

#![warn(missing_docs)]

pub mod diagnostic;
pub mod model;

pub use diagnostic::{Diagnostic, DiagnosticKind, Severity};
pub use model::*;

pub mod diff;
pub use diff::{SchemaDiff, diff};
