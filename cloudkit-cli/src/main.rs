//! The `cloudkit` command line.
//!
//! `cloudkit schema check|fmt|diff|show|codegen` work on `.ckdb` schema files; `cloudkit schema
//! pull|push|validate|reset|drift|plan` work on a live container through the management API;
//! `cloudkit serve` runs the local emulator; `cloudkit key new` makes a server-to-server key
//! pair. `cloudkit records|zones|subscriptions|changes` work on a container's data through
//! CloudKit Web Services (or the emulator, with `--url`). Each subcommand lives in its own module and only parses arguments and prints: the work
//! is calls into `cloudkit-schema`, `cloudkit-runtime` and `cloudkit-emulator`.
//!
//! Output conventions: a command's result (summaries, formatted text, change lists, the
//! model) goes to stdout; diagnostics and errors go to stderr, as rustc does. Exit code 0
//! means success, 1 means the files were read but failed (invalid, not canonical, not
//! deployable) or could not be read, 2 means the command line was wrong.

#![warn(missing_docs)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod changes;
mod connection;
mod key;
mod management;
mod output;
mod records;
mod report;
mod schema;
mod serve;
mod subscriptions;
mod zones;

/// Tools for CloudKit containers and their schema files.
#[derive(Debug, Parser)]
#[command(name = "cloudkit", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check, format, compare and inspect `.ckdb` schema files; pull, push, validate, reset
    /// and compare a container's live schema.
    #[command(subcommand)]
    Schema(schema::SchemaCommand),
    /// Serve the local CloudKit Web Services emulator on 127.0.0.1 until Ctrl-C.
    #[command(after_help = "\
Examples:
  cloudkit serve --schema schema/notes.ckdb --container iCloud.com.example.notes --api-token dev --sign-in alice
  cloudkit serve --container iCloud.com.example.notes=notes.ckdb --container iCloud.com.example.admin=admin.ckdb
  cloudkit serve --data dev.sqlite --port 8787 --schema notes.ckdb --container iCloud.com.example.notes
  cloudkit serve --schema notes.ckdb --container iCloud.com.example.notes --management-token dev --quiet
  cloudkit serve --container iCloud.com.example.notes --faults throttled=0.1,drop=0.05 --seed 7")]
    Serve(serve::Args),
    /// Make server-to-server keys.
    #[command(subcommand)]
    Key(key::KeyCommand),
    /// Query, look up, create, delete, export and import records.
    #[command(subcommand)]
    Records(records::RecordsCommand),
    /// List, create and delete zones.
    #[command(subcommand)]
    Zones(zones::ZonesCommand),
    /// List and delete subscriptions.
    #[command(subcommand)]
    Subscriptions(subscriptions::SubscriptionsCommand),
    /// Print a zone's changes (private and shared databases) and the token to resume from.
    Changes(changes::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Schema(command) => command.run(),
        Command::Serve(args) => exit_code(serve::run(args)),
        Command::Key(command) => exit_code(command.run()),
        Command::Records(command) => command.run(),
        Command::Zones(command) => command.run(),
        Command::Subscriptions(command) => command.run(),
        Command::Changes(args) => changes::run(&args).into(),
    }
}

fn exit_code(success: bool) -> ExitCode {
    if success {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
