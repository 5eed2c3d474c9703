//! `cloudkit schema diff OLD NEW [--production]`: what changes, and would production take it?

use std::path::PathBuf;

use cloudkit_schema::diff::diff;

use super::source::SchemaFile;
use crate::report::{Outcome, count};

/// Arguments of `cloudkit schema diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema as it is now (for --production: an export of production).
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The schema to move to.
    #[arg(value_name = "NEW")]
    new: PathBuf,
    /// Exit 1 when production would refuse NEW over OLD: a removed record type or field, a
    /// changed field type, encryption or PREFERRED AS.
    #[arg(long)]
    production: bool,
}

/// Prints one line per change, each followed by why production would refuse it or what to
/// watch out for; with `--production`, a verdict line and the exit code follow from it.
pub fn run(args: &Args) -> Outcome {
    let old = SchemaFile::load_checked(&args.old);
    let new = SchemaFile::load_checked(&args.new);
    let (Some((old_file, old)), Some((new_file, new))) = (old, new) else {
        return Outcome::Failure;
    };

    let changes = diff(&old.schema, &new.schema);
    if changes.is_empty() {
        println!("{} -> {}: no changes", old_file.name, new_file.name);
    } else {
        println!(
            "{} -> {}: {}",
            old_file.name,
            new_file.name,
            count(changes.len(), "change", "changes")
        );
    }
    for change in &changes {
        println!("  {change}");
        if let Some(blocker) = change.production_blocker() {
            println!("      blocks production: {blocker}");
        } else if let Some(caution) = change.production_caution() {
            println!("      caution: {caution}");
        }
    }

    if !args.production {
        return Outcome::Success;
    }
    let blocking = changes.production_blockers().count();
    if blocking == 0 {
        println!(
            "production: {} can be deployed over {}",
            new_file.name, old_file.name
        );
        Outcome::Success
    } else {
        println!(
            "production: {} cannot be deployed over {} ({})",
            new_file.name,
            old_file.name,
            count(blocking, "blocking change", "blocking changes")
        );
        Outcome::Failure
    }
}
