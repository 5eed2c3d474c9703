//! `cloudkit records delete NAME... [--force]`.

use cloudkit_runtime::ZoneId;
use cloudkit_runtime::client::{Database, Scope};
use cloudkit_runtime::wire::{Record, RecordEntry, RecordOperationType, RecordsResponse};

use crate::connection::{ConnectionArgs, block_on, on_database};
use crate::report::Outcome;

/// Arguments of `cloudkit records delete`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Without --force each record is looked up first and deleted at the \
    version found (a record changed in between is a CONFLICT, a missing one NOT_FOUND); with \
    --force the names are sent as forceDelete, whatever their version.\n\n\
    Examples:\n  \
    cloudkit records delete note-1 note-2\n  \
    cloudkit records query Note --json | jq -r .recordName | xargs cloudkit records delete --force"
)]
pub struct Args {
    /// Record names.
    #[arg(required = true, value_name = "NAME")]
    names: Vec<String>,
    /// Delete whatever version the server holds (forceDelete), without looking it up.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    connection: ConnectionArgs,
}

/// Deletes the records; prints one line per record.
pub fn run(args: &Args) -> Outcome {
    let Some(connected) = args.connection.connect_or_report() else {
        return Outcome::Failure;
    };
    let zone = connected.zone;
    let result = on_database!(connected.database, db => {
        block_on(delete(db, &args.names, zone, args.force))
    });
    match result.and_then(|r| r) {
        Ok(0) => Outcome::Success,
        Ok(_) => Outcome::Failure,
        Err(error) => {
            eprintln!("error: {error}");
            Outcome::Failure
        }
    }
}

/// Deletes the records; returns how many failed.
async fn delete<S: Scope>(
    db: Database<S>,
    names: &[String],
    zone: ZoneId,
    force: bool,
) -> Result<usize, String> {
    let mut failed = 0;
    let mut batch = db.modify().zone(zone.clone());
    for chunk in names.chunks(cloudkit_runtime::client::MAX_OPERATIONS_PER_REQUEST) {
        let tags = if force {
            vec![Ok(None); chunk.len()]
        } else {
            change_tags(&db, chunk, &zone).await?
        };
        let op = if force {
            RecordOperationType::ForceDelete
        } else {
            RecordOperationType::Delete
        };
        for (name, tag) in chunk.iter().zip(tags) {
            match tag {
                Ok(tag) => {
                    let record = Record {
                        record_name: Some(name.clone()),
                        record_change_tag: tag,
                        ..Record::default()
                    };
                    batch = batch.operation(op, record);
                }
                Err(error) => {
                    failed += 1;
                    eprintln!("error: `{name}`: {error}");
                }
            }
        }
    }
    if batch.is_empty() {
        return Ok(failed);
    }
    let report = batch.send().await.map_err(|e| e.to_string())?;
    for result in report.results {
        match result {
            Ok(outcome) => println!("deleted {}", outcome.record_name().unwrap_or_default()),
            Err(failure) => {
                failed += 1;
                eprintln!("error: {failure}");
            }
        }
    }
    Ok(failed)
}

/// The change tag of each record of `names`, or why it cannot be deleted (missing, or the
/// lookup's own error).
async fn change_tags<S: Scope>(
    db: &Database<S>,
    names: &[String],
    zone: &ZoneId,
) -> Result<Vec<Result<Option<String>, String>>, String> {
    let request = db
        .prepare_lookup(names, Some(zone.clone()), Some(Vec::new()))
        .map_err(|e| e.to_string())?;
    let body = db
        .client()
        .send_raw(&request)
        .await
        .map_err(|e| e.to_string())?;
    let response: RecordsResponse = serde_json::from_slice(&body)
        .map_err(|e| format!("records/lookup: unexpected response: {e}"))?;
    Ok(response
        .records
        .into_iter()
        .map(|entry| match entry {
            Ok(RecordEntry::Record(record)) => Ok(record.record_change_tag),
            Ok(RecordEntry::Tombstone(_)) => Err("NOT_FOUND: the record was deleted".to_owned()),
            Err(error) => Err(error.to_string()),
        })
        .collect())
}
