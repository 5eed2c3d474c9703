//! `cloudkit schema plan FILE`: what deploying development to production would change, and
//! whether production (and development) already hold everything FILE needs.

use std::path::PathBuf;

use cloudkit_schema::Schema;
use cloudkit_schema::diff::diff;

use super::drift::compare;
use super::live::{self, EnvironmentArg};
use super::source::SchemaFile;
use crate::management::{Connection, TargetArgs};
use crate::report::{Outcome, count};

/// Arguments of `cloudkit schema plan`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    cloudkit schema plan schema/notes.ckdb\n\n\
    Exit status: 0 when production already holds everything FILE needs (an app built \
    against FILE works there), 1 when it does not or a schema cannot be read.")]
pub struct Args {
    /// The schema file the app is built against.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    #[command(flatten)]
    target: TargetArgs,
}

/// What `base` lacks of what `needed` has: record types, fields, indexes and roles missing,
/// and fields or grants that differ. An extra in `base` is no lack.
pub fn lacking(base: &Schema, needed: &Schema) -> Vec<String> {
    let drift = compare(needed, base);
    drift
        .only_in_file
        .into_iter()
        .chain(drift.different)
        .collect()
}

/// Fetches both environments and prints the plan.
pub fn run(args: &Args) -> Outcome {
    let Some((file, checked)) = SchemaFile::load_checked(&args.file) else {
        return Outcome::Failure;
    };
    let fetched = args
        .target
        .resolve()
        .and_then(Connection::open)
        .and_then(|c| {
            Ok((
                live::fetch(&c, EnvironmentArg::Production)?,
                live::fetch(&c, EnvironmentArg::Development)?,
            ))
        });
    let (production, development) = match fetched {
        Ok(both) => both,
        Err(error) => {
            eprintln!("error: {error}");
            return Outcome::Failure;
        }
    };

    let deploy = diff(&production.schema, &development.schema);
    if deploy.is_empty() {
        println!("deploying development to production: no changes");
    } else {
        println!(
            "deploying development to production: {}",
            count(deploy.len(), "change", "changes")
        );
        for change in &deploy {
            println!("  {change}");
            if let Some(blocker) = change.production_blocker() {
                println!("      blocks production: {blocker}");
            }
        }
        let blocking = deploy.production_blockers().count();
        if blocking > 0 {
            println!(
                "  production would refuse this deployment ({})",
                count(blocking, "blocking change", "blocking changes")
            );
        }
    }

    let mut outcome = Outcome::Success;
    for (name, schema) in [("production", &production), ("development", &development)] {
        let lacks = lacking(&schema.schema, &checked.schema);
        if lacks.is_empty() {
            println!("{name} holds everything {} needs", file.name);
        } else {
            println!(
                "{name} lacks {} of {}:",
                count(lacks.len(), "thing", "things"),
                file.name
            );
            for item in &lacks {
                println!("  {item}");
            }
            if name == "production" {
                outcome = Outcome::Failure;
            }
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(text: &str) -> Schema {
        cloudkit_schema::parse_and_check(text)
            .expect("valid")
            .schema
    }

    #[test]
    fn extras_are_no_lack_but_missing_fields_and_indexes_are() {
        let production =
            schema("DEFINE SCHEMA\nRECORD TYPE Note (\n  title STRING,\n  old STRING\n);\n");
        let file = schema(
            "DEFINE SCHEMA\nRECORD TYPE Note (\n  title STRING QUERYABLE\n);\nRECORD TYPE Folder (\n  name STRING\n);\n",
        );
        assert_eq!(
            lacking(&production, &file),
            vec![
                "record type Folder".to_owned(),
                "index QUERYABLE on Note.title".to_owned()
            ]
        );
        assert!(lacking(&file, &file).is_empty());
    }
}
