//! `cloudkit schema …`: commands over `.ckdb` schema files.

use std::process::ExitCode;

use clap::Subcommand;

mod check;
mod codegen;
mod comments;
mod diff;
mod fmt;
mod report;
mod show;
mod source;

/// The `schema` subcommands.
#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Parse and check schema files; print every error and warning.
    Check(check::Args),
    /// Print a schema in the canonical export layout, check it, or rewrite it in place.
    Fmt(fmt::Args),
    /// List the changes from one schema version to another, and whether production allows them.
    Diff(diff::Args),
    /// Print the parsed model: record types, fields, indexes, grants, roles.
    Show(show::Args),
    /// Print the Rust code build.rs generation writes for a schema, or check a copy of it.
    Codegen(codegen::Args),
}

impl SchemaCommand {
    /// Runs the command and says how the process should exit.
    pub fn run(self) -> ExitCode {
        let outcome = match self {
            SchemaCommand::Check(args) => check::run(&args),
            SchemaCommand::Fmt(args) => fmt::run(&args),
            SchemaCommand::Diff(args) => diff::run(&args),
            SchemaCommand::Show(args) => show::run(&args),
            SchemaCommand::Codegen(args) => codegen::run(&args),
        };
        outcome.into()
    }
}
