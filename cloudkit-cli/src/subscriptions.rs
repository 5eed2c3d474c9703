//! `cloudkit subscriptions list|delete`.

use std::process::ExitCode;

use clap::Subcommand;
use cloudkit_runtime::client::{Database, Scope, ServerFailure};
use cloudkit_runtime::wire::Subscription;

use crate::connection::{ConnectionArgs, block_on, on_database};
use crate::output::{FormatArgs, Output};
use crate::report::Outcome;

/// The `subscriptions` subcommands.
#[derive(Debug, Subcommand)]
pub enum SubscriptionsCommand {
    /// List the database's subscriptions.
    #[command(after_help = "Examples:\n  \
        cloudkit subscriptions list\n  \
        cloudkit subscriptions list --database private --json")]
    List {
        #[command(flatten)]
        format: FormatArgs,
        #[command(flatten)]
        connection: ConnectionArgs,
    },
    /// Delete subscriptions by ID.
    #[command(
        after_help = "Example:\n  cloudkit subscriptions delete shopping-notes --database private"
    )]
    Delete {
        /// Subscription IDs.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        #[command(flatten)]
        connection: ConnectionArgs,
    },
}

impl SubscriptionsCommand {
    /// Runs the command and says how the process should exit.
    pub fn run(self) -> ExitCode {
        let outcome = match self {
            SubscriptionsCommand::List { format, connection } => list(format, &connection),
            SubscriptionsCommand::Delete { ids, connection } => delete(&ids, &connection),
        };
        outcome.into()
    }
}

fn list(format: FormatArgs, connection: &ConnectionArgs) -> Outcome {
    let listed = connection.connect().and_then(|connected| {
        on_database!(connected.database, db => block_on(list_on(db))).and_then(|r| r)
    });
    let subscriptions = match listed {
        Ok(subscriptions) => subscriptions,
        Err(error) => {
            eprintln!("error: {error}");
            return Outcome::Failure;
        }
    };
    let header = ["subscriptionID", "type", "recordType", "zone"];
    let mut output = Output::new(format, header.map(String::from).to_vec());
    for subscription in &subscriptions {
        output.row(
            subscription,
            vec![
                subscription.subscription_id.clone(),
                subscription
                    .subscription_type
                    .as_ref()
                    .map(|t| t.as_str().to_owned())
                    .unwrap_or_default(),
                subscription
                    .query
                    .as_ref()
                    .map(|q| q.record_type.clone())
                    .unwrap_or_default(),
                subscription
                    .zone_id
                    .as_ref()
                    .map(|z| z.zone_name.clone())
                    .unwrap_or_default(),
            ],
        );
    }
    output.finish(("subscription", "subscriptions"));
    Outcome::Success
}

async fn list_on<S: Scope>(db: Database<S>) -> Result<Vec<Subscription>, String> {
    db.subscriptions().list().await.map_err(|e| e.to_string())
}

fn delete(ids: &[String], connection: &ConnectionArgs) -> Outcome {
    let results = connection.connect().and_then(|connected| {
        on_database!(connected.database, db => block_on(delete_on(db, ids))).and_then(|r| r)
    });
    let results = match results {
        Ok(results) => results,
        Err(error) => {
            eprintln!("error: {error}");
            return Outcome::Failure;
        }
    };
    let mut outcome = Outcome::Success;
    for (id, result) in ids.iter().zip(results) {
        match result {
            Ok(_) => println!("deleted subscription {id}"),
            Err(error) => {
                eprintln!("error: {error}");
                outcome = Outcome::Failure;
            }
        }
    }
    outcome
}

async fn delete_on<S: Scope>(
    db: Database<S>,
    ids: &[String],
) -> Result<Vec<Result<Subscription, ServerFailure>>, String> {
    let batch = ids.iter().fold(db.subscriptions().modify(), |batch, id| {
        batch.delete(id.as_str())
    });
    batch.send().await.map_err(|e| e.to_string())
}
