//! `cloudkit schema pull [-o FILE]`: the live schema, in the canonical layout of
//! `cloudkit schema fmt`.

use std::path::PathBuf;

use cloudkit_schema::{format, parse_and_check};

use super::live::{self, EnvironmentArg};
use crate::management::{Connection, TargetArgs};
use crate::report::Outcome;

/// Arguments of `cloudkit schema pull`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    cloudkit schema pull --team ABCDE12345 --container iCloud.com.example.notes -o schema/notes.ckdb\n  \
    CLOUDKIT_MANAGEMENT_TOKEN=… cloudkit schema pull --environment production > prod.ckdb")]
pub struct Args {
    /// Write to FILE instead of stdout (only after the whole schema has arrived).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// The environment to export.
    #[arg(long, value_enum, default_value = "development")]
    environment: EnvironmentArg,
    #[command(flatten)]
    target: TargetArgs,
}

/// Exports, formats and writes the schema.
pub fn run(args: &Args) -> Outcome {
    let text = match args
        .target
        .resolve()
        .and_then(Connection::open)
        .and_then(|c| live::export(&c, args.environment))
    {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: {error}");
            return Outcome::Failure;
        }
    };
    // A schema our parser refuses is kept as the server sent it rather than lost.
    let formatted = match parse_and_check(&text) {
        Ok(checked) => format(&checked.schema),
        Err(_) => {
            eprintln!(
                "warning: the live schema does not parse here; written as the server sent it \
                 (run `cloudkit schema check` on it)"
            );
            text
        }
    };
    match &args.output {
        None => {
            print!("{formatted}");
            Outcome::Success
        }
        Some(path) => match std::fs::write(path, &formatted) {
            Ok(()) => {
                eprintln!(
                    "wrote the live {} schema to {}",
                    args.environment.name(),
                    path.display()
                );
                Outcome::Success
            }
            Err(error) => {
                eprintln!("error: cannot write {}: {error}", path.display());
                Outcome::Failure
            }
        },
    }
}
