//! Reading a schema file and reporting its diagnostics the same way in every command.

use std::fs;
use std::path::Path;

use cloudkit_schema::{Checked, Diagnostic, parse_and_check};

/// A schema file's text and the name to show for it (the path as the user gave it, so that
/// messages can be pasted back into a shell).
pub(super) struct SchemaFile {
    pub name: String,
    pub text: String,
}

impl SchemaFile {
    /// Reads `path`, or prints why it could not be read.
    pub fn read(path: &Path) -> Option<SchemaFile> {
        match fs::read_to_string(path) {
            Ok(text) => Some(SchemaFile {
                name: path.display().to_string(),
                text,
            }),
            Err(error) => {
                eprintln!("error: cannot read {}: {error}", path.display());
                None
            }
        }
    }

    /// Reads and checks `path`. On failure every diagnostic (or the read error) has been
    /// printed; warnings of a valid file are not.
    pub fn load_checked(path: &Path) -> Option<(SchemaFile, Checked)> {
        let file = SchemaFile::read(path)?;
        match parse_and_check(&file.text) {
            Ok(checked) => Some((file, checked)),
            Err(diagnostics) => {
                file.print_diagnostics(&diagnostics);
                None
            }
        }
    }

    /// Prints diagnostics to stderr, each with its source line and caret, separated by a
    /// blank line as rustc does.
    pub fn print_diagnostics(&self, diagnostics: &[Diagnostic]) {
        for diagnostic in diagnostics {
            let rendered = diagnostic.render(&self.name, &self.text);
            eprintln!("{}\n", rendered.trim_end());
        }
    }
}
