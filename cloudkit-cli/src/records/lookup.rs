//! `cloudkit records lookup NAME...`.

use cloudkit_runtime::ZoneId;
use cloudkit_runtime::client::{Database, Scope};
use cloudkit_runtime::wire::{RecordEntry, RecordsResponse};

use super::listing::Listing;
use crate::connection::{ConnectionArgs, block_on, on_database};
use crate::output::FormatArgs;
use crate::report::Outcome;

/// Arguments of `cloudkit records lookup`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    cloudkit records lookup note-1 note-2\n  \
    cloudkit records lookup note-1 --database private --zone Notes --json")]
pub struct Args {
    /// Record names (a missing one is reported and makes the exit code 1).
    #[arg(required = true, value_name = "NAME")]
    names: Vec<String>,
    #[command(flatten)]
    format: FormatArgs,
    #[command(flatten)]
    connection: ConnectionArgs,
}

/// Looks the records up and prints those found.
pub fn run(args: &Args) -> Outcome {
    let Some(connected) = args.connection.connect_or_report() else {
        return Outcome::Failure;
    };
    let mut listing = Listing::new(args.format);
    let zone = connected.zone;
    let result = on_database!(connected.database, db => {
        block_on(run_on(db, &args.names, zone, &mut listing))
    });
    listing.finish();
    match result.and_then(|r| r) {
        Ok(0) => Outcome::Success,
        Ok(_) => Outcome::Failure,
        Err(error) => {
            eprintln!("error: {error}");
            Outcome::Failure
        }
    }
}

/// Prints each record found and each failure (NOT_FOUND, …); returns how many failed.
async fn run_on<S: Scope>(
    db: Database<S>,
    names: &[String],
    zone: ZoneId,
    listing: &mut Listing,
) -> Result<usize, String> {
    let mut failed = 0;
    // The runtime's typed lookup wants a `CloudKitRecord`; the CLI has none, so it sends the
    // runtime's own prepared request and reads the dynamic records.
    for chunk in names.chunks(cloudkit_runtime::client::MAX_OPERATIONS_PER_REQUEST) {
        let request = db
            .prepare_lookup(chunk, Some(zone.clone()), None)
            .map_err(|e| e.to_string())?;
        let body = db
            .client()
            .send_raw(&request)
            .await
            .map_err(|e| e.to_string())?;
        let response: RecordsResponse = serde_json::from_slice(&body)
            .map_err(|e| format!("records/lookup: unexpected response: {e}"))?;
        for (name, result) in chunk.iter().zip(response.records) {
            match result {
                Ok(RecordEntry::Record(record)) => listing.add(record),
                Ok(RecordEntry::Tombstone(_)) => {
                    failed += 1;
                    eprintln!("error: `{name}`: NOT_FOUND: the record was deleted");
                }
                Err(error) => {
                    failed += 1;
                    eprintln!("error: `{name}`: {error}");
                }
            }
        }
    }
    Ok(failed)
}
