//! `cloudkit records …`: query, look up, create and delete records, and export or import a
//! record type as JSON Lines. Records are dynamic wire records: the CLI has no Rust types.

use std::process::ExitCode;

use clap::Subcommand;

mod create;
mod delete;
mod export;
mod field_value;
mod filter;
mod import;
mod line;
mod listing;
mod lookup;
mod query;

/// The `records` subcommands.
#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// Query records of a type, with filters and sort order; follows continuation markers.
    Query(query::Args),
    /// Fetch records by name.
    Lookup(lookup::Args),
    /// Create one record.
    Create(create::Args),
    /// Delete records by name.
    Delete(delete::Args),
    /// Write every record of a type as JSON Lines, page by page.
    Export(export::Args),
    /// Create the records of a JSON Lines file, 200 per request; resumable.
    Import(import::Args),
}

impl RecordsCommand {
    /// Runs the command and says how the process should exit.
    pub fn run(self) -> ExitCode {
        let outcome = match self {
            RecordsCommand::Query(args) => query::run(&args),
            RecordsCommand::Lookup(args) => lookup::run(&args),
            RecordsCommand::Create(args) => create::run(&args),
            RecordsCommand::Delete(args) => delete::run(&args),
            RecordsCommand::Export(args) => export::run(&args),
            RecordsCommand::Import(args) => import::run(&args),
        };
        outcome.into()
    }
}
