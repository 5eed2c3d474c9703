//! The live schema of a container environment, fetched through the management API, and the
//! `--environment` flag.

use cloudkit_runtime::Environment;
use cloudkit_schema::{Checked, parse_and_check};

use crate::management::{Connection, block_on};

/// The `--environment` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EnvironmentArg {
    /// The development environment.
    Development,
    /// The production environment.
    Production,
}

impl EnvironmentArg {
    /// The runtime's environment.
    pub fn environment(self) -> Environment {
        match self {
            EnvironmentArg::Development => Environment::Development,
            EnvironmentArg::Production => Environment::Production,
        }
    }

    /// `development` or `production`, for messages.
    pub fn name(self) -> &'static str {
        self.environment().as_str()
    }
}

/// The live schema text of `environment`.
pub fn export(connection: &Connection, environment: EnvironmentArg) -> Result<String, String> {
    block_on(
        connection
            .container()
            .export_schema(environment.environment()),
    )
}

/// The live schema of `environment`, parsed. A live schema our parser refuses is reported with
/// its diagnostics' first line, naming the environment.
pub fn fetch(connection: &Connection, environment: EnvironmentArg) -> Result<Checked, String> {
    let text = export(connection, environment)?;
    parse_and_check(&text).map_err(|diagnostics| {
        let first = diagnostics
            .first()
            .map(|d| d.render("live schema", &text))
            .unwrap_or_default();
        format!(
            "the live {} schema of {} does not parse here:\n{}",
            environment.name(),
            connection.container_id(),
            first.trim_end()
        )
    })
}
