//! `cloudkit schema …`: commands over `.ckdb` schema files, and (`pull`, `push`, `validate`,
//! `reset`, `drift`, `plan`) over a container's live schema through the management API.

use std::process::ExitCode;

use clap::Subcommand;

mod check;
mod codegen;
mod comments;
mod diff;
mod drift;
mod fmt;
mod live;
mod plan;
mod pull;
mod push;
mod reset;
mod show;
mod source;
mod validate;

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
    /// Write a container's live schema, formatted like `schema fmt`.
    Pull(pull::Args),
    /// Validate FILE, show its diff against live development, and import it into development.
    Push(push::Args),
    /// Ask the server whether FILE could be applied to an environment.
    Validate(validate::Args),
    /// Reset development to production (schema and data); asks first.
    Reset(reset::Args),
    /// Compare FILE with the live schema; exit 1 naming each difference.
    Drift(drift::Args),
    /// What deploying development to production would change, and whether production holds
    /// everything FILE needs.
    Plan(plan::Args),
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
            SchemaCommand::Pull(args) => pull::run(&args),
            SchemaCommand::Push(args) => push::run(&args),
            SchemaCommand::Validate(args) => validate::run(&args),
            SchemaCommand::Reset(args) => reset::run(&args),
            SchemaCommand::Drift(args) => drift::run(&args),
            SchemaCommand::Plan(args) => plan::run(&args),
        };
        outcome.into()
    }
}
