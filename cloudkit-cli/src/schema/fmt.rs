//! `cloudkit schema fmt FILE... [--check | --write]`: the canonical export layout (spec §14).

use std::fs;
use std::path::PathBuf;

use cloudkit_schema::format;

use super::comments::has_comments;
use super::source::SchemaFile;
use crate::report::{Outcome, count};

/// Arguments of `cloudkit schema fmt`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Schema files to format. Without --check or --write, exactly one.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Print nothing but the names of files that are not canonical; exit 1 if there are any.
    #[arg(long, conflicts_with = "write")]
    check: bool,
    /// Rewrite files in place (only those that change).
    #[arg(long)]
    write: bool,
    /// With --write: rewrite files even though their comments will be lost. CloudKit keeps
    /// no comments either, so the canonical layout has none.
    #[arg(long, requires = "write")]
    drop_comments: bool,
}

/// Formats, checks or rewrites each file. A file with errors is reported and never written.
pub fn run(args: &Args) -> Outcome {
    if !(args.check || args.write) && args.files.len() > 1 {
        eprintln!(
            "error: printing the formatted schema takes one FILE; use --check or --write for several"
        );
        return Outcome::Usage;
    }
    let mut failed = 0;
    let mut not_canonical = 0;
    for path in &args.files {
        let Some((file, checked)) = SchemaFile::load_checked(path) else {
            failed += 1;
            continue;
        };
        let formatted = format(&checked.schema);
        if args.check {
            if formatted != file.text {
                println!("{}: not in canonical format", file.name);
                not_canonical += 1;
            }
        } else if args.write {
            if formatted == file.text {
                continue;
            }
            if has_comments(&file.text) && !args.drop_comments {
                eprintln!(
                    "error: {} has comments, which the canonical layout does not keep; \
                     not rewritten (pass --drop-comments to rewrite it anyway)",
                    file.name
                );
                failed += 1;
                continue;
            }
            if let Err(error) = fs::write(path, &formatted) {
                eprintln!("error: cannot write {}: {error}", file.name);
                failed += 1;
                continue;
            }
            println!("{}: reformatted", file.name);
        } else {
            if has_comments(&file.text) {
                eprintln!(
                    "note: {}: comments are not kept in the canonical layout",
                    file.name
                );
            }
            print!("{formatted}");
        }
    }
    if args.check && args.files.len() > 1 && (failed > 0 || not_canonical > 0) {
        let mut summary = format!(
            "checked {}: {not_canonical} not in canonical format",
            count(args.files.len(), "file", "files")
        );
        if failed > 0 {
            summary.push_str(&format!(", {failed} with errors"));
        }
        println!("{summary}");
    }
    if failed == 0 && not_canonical == 0 {
        Outcome::Success
    } else {
        Outcome::Failure
    }
}
