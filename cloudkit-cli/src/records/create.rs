//! `cloudkit records create TYPE --field NAME=VALUE ... [--name N]` (or `--json '{...}'`).

use cloudkit_runtime::ZoneId;
use cloudkit_runtime::client::{Database, Scope};
use cloudkit_runtime::wire::{Record, RecordOperationType};

use super::field_value::{parse_assignments, parse_object};
use super::listing::Listing;
use crate::connection::{ConnectionArgs, block_on, on_database};
use crate::output::FormatArgs;
use crate::report::Outcome;

/// Arguments of `cloudkit records create`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Values are JSON when they parse as JSON (3, true, [\"a\",\"b\"], \"3\"), \
    else text, and are typed by the server from the schema; a field dictionary \
    ({\"value\": 3, \"type\": \"INT64\"}) is sent as it is.\n\n\
    Examples:\n  \
    cloudkit records create Note --field title='Shopping list' --field priority=2 --name note-1\n  \
    cloudkit records create Note --json '{\"title\": \"Errands\", \"tags\": [\"home\"]}'\n  \
    cloudkit records create Note --field title=Hi --database private --zone Notes --output-json"
)]
pub struct Args {
    /// The record type.
    record_type: String,
    /// `NAME=VALUE` (repeatable).
    #[arg(long = "field", value_name = "NAME=VALUE")]
    fields: Vec<String>,
    /// The fields as one JSON object, instead of --field.
    #[arg(long, value_name = "OBJECT", conflicts_with = "fields")]
    json: Option<String>,
    /// The record name [default: a new UUID].
    #[arg(long, value_name = "N")]
    name: Option<String>,
    /// Print the saved record as a JSON line instead of a table.
    #[arg(long)]
    output_json: bool,
    #[command(flatten)]
    connection: ConnectionArgs,
}

/// Creates the record and prints it as saved.
pub fn run(args: &Args) -> Outcome {
    let fields = match &args.json {
        Some(object) => parse_object(object),
        None => parse_assignments(&args.fields),
    };
    let fields = match fields {
        Ok(fields) => fields,
        Err(error) => {
            eprintln!("error: {error}");
            return Outcome::Usage;
        }
    };
    let mut record = Record::new(args.record_type.as_str());
    record.record_name = args.name.clone();
    record.fields = fields;
    let Some(connected) = args.connection.connect_or_report() else {
        return Outcome::Failure;
    };
    let zone = connected.zone;
    let saved = on_database!(connected.database, db => block_on(create(db, record, zone)));
    match saved.and_then(|r| r) {
        Ok(record) => {
            let mut listing = Listing::new(FormatArgs {
                json: args.output_json,
            });
            listing.add(record);
            listing.finish();
            Outcome::Success
        }
        Err(error) => {
            eprintln!("error: {error}");
            Outcome::Failure
        }
    }
}

async fn create<S: Scope>(db: Database<S>, record: Record, zone: ZoneId) -> Result<Record, String> {
    let report = db
        .modify()
        .zone(zone)
        .operation(RecordOperationType::Create, record)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    match report.results.into_iter().next() {
        Some(Ok(cloudkit_runtime::client::RecordOutcome::Saved(record))) => Ok(*record),
        Some(Ok(other)) => Err(format!("unexpected answer {other:?}")),
        Some(Err(failure)) => Err(failure.to_string()),
        None => Err("records/modify: no result for the record".into()),
    }
}
