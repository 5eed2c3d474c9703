//! `cloudkit zones list|create|delete`.

use std::process::ExitCode;

use clap::Subcommand;
use cloudkit_runtime::ZoneId;
use cloudkit_runtime::client::{Database, Scope};

use crate::connection::{AnyDatabase, ConnectionArgs, block_on, on_database};
use crate::output::{FormatArgs, Output};
use crate::report::Outcome;

/// The `zones` subcommands.
#[derive(Debug, Subcommand)]
pub enum ZonesCommand {
    /// List the database's zones.
    #[command(after_help = "Examples:\n  \
        cloudkit zones list --database private\n  \
        cloudkit zones list --database shared --json")]
    List {
        #[command(flatten)]
        format: FormatArgs,
        #[command(flatten)]
        connection: ConnectionArgs,
    },
    /// Create zones (private database only).
    #[command(after_help = "Example:\n  cloudkit zones create Notes Archive --database private")]
    Create {
        /// Zone names.
        #[arg(required = true, value_name = "ZONE")]
        names: Vec<String>,
        #[command(flatten)]
        connection: ConnectionArgs,
    },
    /// Delete zones and every record in them (private database only).
    #[command(after_help = "Example:\n  cloudkit zones delete Archive --database private")]
    Delete {
        /// Zone names.
        #[arg(required = true, value_name = "ZONE")]
        names: Vec<String>,
        #[command(flatten)]
        connection: ConnectionArgs,
    },
}

impl ZonesCommand {
    /// Runs the command and says how the process should exit.
    pub fn run(self) -> ExitCode {
        let outcome = match self {
            ZonesCommand::List { format, connection } => list(format, &connection),
            ZonesCommand::Create { names, connection } => modify(&names, &connection, true),
            ZonesCommand::Delete { names, connection } => modify(&names, &connection, false),
        };
        outcome.into()
    }
}

fn list(format: FormatArgs, connection: &ConnectionArgs) -> Outcome {
    let connected = match connection.connect() {
        Ok(connected) => connected,
        Err(error) => return failure(&error),
    };
    let zones = on_database!(connected.database, db => block_on(list_on(db)));
    let zones = match zones.and_then(|z| z) {
        Ok(zones) => zones,
        Err(error) => return failure(&error),
    };
    let mut output = Output::new(format, vec!["zoneName".into(), "owner".into()]);
    for zone in &zones {
        output.row(
            zone,
            vec![
                zone.zone_id.zone_name.clone(),
                zone.zone_id.owner_record_name.clone().unwrap_or_default(),
            ],
        );
    }
    output.finish(("zone", "zones"));
    Outcome::Success
}

async fn list_on<S: Scope>(db: Database<S>) -> Result<Vec<cloudkit_runtime::wire::Zone>, String> {
    db.zones().list().await.map_err(|e| e.to_string())
}

/// Creates (`create`) or deletes the zones; one line per zone.
fn modify(names: &[String], connection: &ConnectionArgs, create: bool) -> Outcome {
    let connected = match connection.connect() {
        Ok(connected) => connected,
        Err(error) => return failure(&error),
    };
    // Only the private database has custom zones; the runtime's types say so, and the
    // message here says it before anything is sent.
    let AnyDatabase::Private(db) = connected.database else {
        eprintln!(
            "error: zones are created and deleted in the private database: pass --database private"
        );
        return Outcome::Usage;
    };
    let operations = names
        .iter()
        .map(|name| {
            let zone_id = ZoneId::new(name.as_str());
            if create {
                cloudkit_runtime::wire::ZoneOperation::create(zone_id)
            } else {
                cloudkit_runtime::wire::ZoneOperation::delete(zone_id)
            }
        })
        .collect();
    let results = match block_on(async { db.zones().modify(operations).await }) {
        Ok(Ok(results)) => results,
        Ok(Err(error)) => return failure(&error.to_string()),
        Err(error) => return failure(&error),
    };
    let mut outcome = Outcome::Success;
    for (name, result) in names.iter().zip(results) {
        match result {
            Ok(_) if create => println!("created zone {name}"),
            Ok(_) => println!("deleted zone {name}"),
            Err(error) => {
                eprintln!("error: {error}");
                outcome = Outcome::Failure;
            }
        }
    }
    outcome
}

fn failure(error: &str) -> Outcome {
    eprintln!("error: {error}");
    Outcome::Failure
}
