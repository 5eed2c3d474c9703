//! `cloudkit records export TYPE [-o FILE]`: every record of a type as JSON Lines (see
//! `line`), page by page: one page of at most 200 records is in memory at a time.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use cloudkit_runtime::ZoneId;
use cloudkit_runtime::client::{Database, Scope};
use cloudkit_runtime::wire::Query;
use futures_util::StreamExt as _;
use indicatif::ProgressBar;

use super::line::export_form;
use crate::connection::{ConnectionArgs, block_on, on_database};
use crate::output::progress;
use crate::report::Outcome;

/// Records per `records/query` page: CloudKit's maximum.
const PAGE: u32 = 200;

/// Arguments of `cloudkit records export`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each line is one record: {\"recordName\", \"recordType\", \"fields\"} as \
    CloudKit Web Services writes it (values with their types); `records import` reads it back.\n\n\
    Examples:\n  \
    cloudkit records export Note -o notes.jsonl\n  \
    cloudkit records export Note --database private --zone Notes | gzip > notes.jsonl.gz\n  \
    cloudkit records export Note --url http://127.0.0.1:8080 | jq -c 'select(.fields.pinned.value == 1)'"
)]
pub struct Args {
    /// The record type (its records are found by a query: `___recordID` should be QUERYABLE).
    record_type: String,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    connection: ConnectionArgs,
}

/// Exports the records.
pub fn run(args: &Args) -> Outcome {
    let Some(connected) = args.connection.connect_or_report() else {
        return Outcome::Failure;
    };
    let out: Box<dyn Write> = match &args.output {
        Some(path) => match std::fs::File::create(path) {
            Ok(file) => Box::new(file),
            Err(error) => {
                eprintln!("error: cannot create {}: {error}", path.display());
                return Outcome::Failure;
            }
        },
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(256 * 1024, out);
    let bar = progress("exported");
    let zone = connected.zone;
    let query = Query::new(&args.record_type);
    let result = on_database!(connected.database, db => {
        block_on(export(db, query, zone, &mut out, &bar))
    })
    .and_then(|r| r)
    .and_then(|count| {
        out.flush()
            .map(|()| count)
            .map_err(|e| format!("cannot write: {e}"))
    });
    bar.finish_and_clear();
    match result {
        Ok(count) => {
            eprintln!(
                "exported {}{}",
                crate::report::count(count, "record", "records"),
                args.output
                    .as_ref()
                    .map(|p| format!(" to {}", p.display()))
                    .unwrap_or_default()
            );
            Outcome::Success
        }
        Err(error) => {
            eprintln!("error: {error}");
            Outcome::Failure
        }
    }
}

/// Writes every record, a page at a time; returns how many.
async fn export<S: Scope>(
    db: Database<S>,
    query: Query,
    zone: ZoneId,
    out: &mut impl Write,
    bar: &ProgressBar,
) -> Result<usize, String> {
    let run = db.query(query).zone(zone).results_limit(PAGE);
    let mut pages = std::pin::pin!(run.pages());
    let mut count = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| format!("{e} (after {count} records)"))?;
        for record in page.records {
            let record = record.map_err(|e| format!("{e} (after {count} records)"))?;
            if record.deleted == Some(true) {
                continue;
            }
            serde_json::to_writer(&mut *out, &export_form(record))
                .map_err(|e| format!("cannot write: {e}"))?;
            out.write_all(b"\n")
                .map_err(|e| format!("cannot write: {e}"))?;
            count += 1;
        }
        bar.set_position(count as u64);
    }
    Ok(count)
}
