//! `cloudkit schema push FILE`: validate, show the diff against live development, refuse
//! destructive changes unless asked, then import into development.

use std::path::PathBuf;

use cloudkit_runtime::Environment;
use cloudkit_schema::diff::diff;

use super::live::{self, EnvironmentArg};
use super::source::SchemaFile;
use crate::management::{Connection, TargetArgs, block_on};
use crate::report::{Outcome, count};

/// What `push` says when asked for production: neither Apple's API nor cktool imports there.
pub const PRODUCTION_REFUSAL: &str = "error: schemas are not imported into production: Apple's \
    management API and cktool import into development only. Push to development, then deploy \
    development to production in CloudKit Console (`cloudkit schema plan FILE` shows what that \
    deployment would change).";

/// Arguments of `cloudkit schema push`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    cloudkit schema push schema/notes.ckdb\n  \
    cloudkit schema push schema/notes.ckdb --allow-destructive   # removes types or fields in development\n\n\
    Production cannot be pushed to: deploy from CloudKit Console.")]
pub struct Args {
    /// The schema file to import.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Import even when record types or fields would be removed or retyped (their data in
    /// development goes with them).
    #[arg(long)]
    allow_destructive: bool,
    /// Only `development` is accepted; `production` explains why not.
    #[arg(long, value_enum, default_value = "development")]
    environment: EnvironmentArg,
    #[command(flatten)]
    target: TargetArgs,
}

/// Runs the push.
pub fn run(args: &Args) -> Outcome {
    if args.environment == EnvironmentArg::Production {
        eprintln!("{PRODUCTION_REFUSAL}");
        return Outcome::Failure;
    }
    let Some((file, checked)) = SchemaFile::load_checked(&args.file) else {
        return Outcome::Failure;
    };
    match push(args, &file, &checked.schema) {
        Ok(outcome) => outcome,
        Err(error) => {
            eprintln!("error: {error}");
            Outcome::Failure
        }
    }
}

fn push(
    args: &Args,
    file: &SchemaFile,
    schema: &cloudkit_schema::Schema,
) -> Result<Outcome, String> {
    let connection = Connection::open(args.target.resolve()?)?;
    let container = connection.container();
    let verdict = block_on(container.validate_schema(Environment::Development, &file.text))?;
    if !verdict.is_valid {
        eprintln!(
            "error: the server refuses {}: {}",
            file.name,
            verdict
                .error_message
                .as_deref()
                .unwrap_or("no reason given")
        );
        return Ok(Outcome::Failure);
    }
    let live = live::fetch(&connection, EnvironmentArg::Development)?;
    let changes = diff(&live.schema, schema);
    if changes.is_empty() {
        println!(
            "live development already matches {}; nothing imported",
            file.name
        );
        return Ok(Outcome::Success);
    }
    println!(
        "live development -> {}: {}",
        file.name,
        count(changes.len(), "change", "changes")
    );
    let mut destructive = 0;
    for change in &changes {
        println!("  {change}");
        if let Some(blocker) = change.production_blocker() {
            destructive += 1;
            println!("      destructive: {blocker}");
        }
    }
    if destructive > 0 && !args.allow_destructive {
        eprintln!(
            "error: not imported: {} would lose development data; pass --allow-destructive to import anyway",
            count(destructive, "change", "changes")
        );
        return Ok(Outcome::Failure);
    }
    block_on(container.import_schema(Environment::Development, &file.text))?;
    println!(
        "imported {} into development of {}",
        file.name,
        connection.container_id()
    );
    Ok(Outcome::Success)
}
