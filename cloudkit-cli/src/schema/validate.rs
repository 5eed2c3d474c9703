//! `cloudkit schema validate FILE`: asks the server whether FILE could be applied.

use std::path::PathBuf;

use super::live::EnvironmentArg;
use super::source::SchemaFile;
use crate::management::{Connection, TargetArgs, block_on};
use crate::report::Outcome;

/// Arguments of `cloudkit schema validate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    cloudkit schema validate schema/notes.ckdb\n  \
    cloudkit schema validate schema/notes.ckdb --environment production\n\n\
    The file is checked locally first (as `cloudkit schema check`), then by the server.")]
pub struct Args {
    /// The schema file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The environment to validate against.
    #[arg(long, value_enum, default_value = "development")]
    environment: EnvironmentArg,
    #[command(flatten)]
    target: TargetArgs,
}

/// Validates locally, then remotely.
pub fn run(args: &Args) -> Outcome {
    let Some((file, _)) = SchemaFile::load_checked(&args.file) else {
        return Outcome::Failure;
    };
    let verdict = args
        .target
        .resolve()
        .and_then(Connection::open)
        .and_then(|c| {
            block_on(
                c.container()
                    .validate_schema(args.environment.environment(), &file.text),
            )
        });
    match verdict {
        Ok(v) if v.is_valid => {
            println!("{}: valid for {}", file.name, args.environment.name());
            Outcome::Success
        }
        Ok(v) => {
            println!(
                "{}: refused by the server for {}: {}",
                file.name,
                args.environment.name(),
                v.error_message.as_deref().unwrap_or("no reason given")
            );
            Outcome::Failure
        }
        Err(error) => {
            eprintln!("error: {error}");
            Outcome::Failure
        }
    }
}
