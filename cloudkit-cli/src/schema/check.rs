//! `cloudkit schema check FILE...`: is every file a valid schema?

use std::path::PathBuf;

use cloudkit_schema::check::read_only_types;
use cloudkit_schema::parse_and_check;

use super::source::SchemaFile;
use crate::report::{Outcome, count};

/// Arguments of `cloudkit schema check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Schema files to check.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Checks each file, printing diagnostics to stderr and one summary line per file to stdout
/// (and an overall line when there are several files). Warnings never fail the check; they
/// include record types usable in the public database that no role can create.
pub fn run(args: &Args) -> Outcome {
    let mut failed = 0;
    for path in &args.files {
        let Some(file) = SchemaFile::read(path) else {
            println!("{}: unreadable", path.display());
            failed += 1;
            continue;
        };
        match parse_and_check(&file.text) {
            Ok(mut checked) => {
                // Advice the schema's own checks leave out (see `read_only_types`).
                checked.warnings.extend(read_only_types(&checked.schema));
                checked.warnings.sort_by_key(|d| d.span.start.offset);
                file.print_diagnostics(&checked.warnings);
                let mut summary = count(
                    checked.schema.record_types.len(),
                    "record type",
                    "record types",
                );
                if !checked.warnings.is_empty() {
                    summary.push_str(", ");
                    summary.push_str(&count(checked.warnings.len(), "warning", "warnings"));
                }
                println!("{}: ok ({summary})", file.name);
            }
            Err(diagnostics) => {
                file.print_diagnostics(&diagnostics);
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                let warnings = diagnostics.len() - errors;
                let mut summary = count(errors, "error", "errors");
                if warnings > 0 {
                    summary.push_str(", ");
                    summary.push_str(&count(warnings, "warning", "warnings"));
                }
                println!("{}: {summary}", file.name);
                failed += 1;
            }
        }
    }
    if args.files.len() > 1 {
        let files = count(args.files.len(), "file", "files");
        if failed == 0 {
            println!("checked {files}: all valid");
        } else {
            println!("checked {files}: {failed} failed");
        }
    }
    if failed == 0 {
        Outcome::Success
    } else {
        Outcome::Failure
    }
}
