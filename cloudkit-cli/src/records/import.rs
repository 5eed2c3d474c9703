//! `cloudkit records import FILE`: JSON Lines (see `line`) into a zone, 200 records per
//! request, read line by line (at most a few batches of records in memory).
//!
//! Every line creates its record under the line's own `recordName`, so a re-run never makes a
//! second copy. A create answered `EXISTS` is compared with the server's record (the runtime
//! attaches it): the same content counts as already imported, anything else is reported as
//! the `EXISTS` it is, never overwritten. A failed run is resumed by running it again.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

use cloudkit_runtime::ZoneId;
use cloudkit_runtime::client::{
    Database, Error, MAX_OPERATIONS_PER_REQUEST, RecordOutcome, Scope, ServerFailure,
};
use cloudkit_runtime::wire::{Record, RecordOperationType, ServerErrorCode};
use indicatif::ProgressBar;

use super::line::same_content;
use crate::connection::{ConnectionArgs, block_on, on_database};
use crate::output::progress;
use crate::report::Outcome;

/// Requests of 200 sent at once: the runtime overlaps up to this many per `send`.
const REQUESTS_IN_FLIGHT: usize = 4;
/// The longest line read; CloudKit records are at most 1 MB, with JSON overhead on top.
const MAX_LINE_BYTES: u64 = 4 * 1024 * 1024;

/// Arguments of `cloudkit records import`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each line is one record as `records export` writes it; recordName and \
    recordType are required. Records already on the server with the same content count as \
    imported, so an interrupted import is resumed by running it again. Failed lines are named \
    (line number, record, CloudKit code) and make the exit code 1; the rest are still imported.\n\n\
    Examples:\n  \
    cloudkit records import notes.jsonl\n  \
    cloudkit records export Note --url https://api.apple-cloudkit.com | cloudkit records import - --url http://127.0.0.1:8080"
)]
pub struct Args {
    /// The JSON Lines file; `-` reads stdin.
    file: PathBuf,
    #[command(flatten)]
    connection: ConnectionArgs,
}

/// What an import did.
#[derive(Debug, Default)]
struct Tally {
    imported: usize,
    already: usize,
    failed: usize,
}

/// One line waiting in a batch.
struct Pending {
    line: usize,
    record: Record,
}

/// Imports the file.
pub fn run(args: &Args) -> Outcome {
    let input: Box<dyn BufRead> = if args.file.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(&args.file) {
            Ok(file) => Box::new(BufReader::with_capacity(256 * 1024, file)),
            Err(error) => {
                eprintln!("error: cannot open {}: {error}", args.file.display());
                return Outcome::Failure;
            }
        }
    };
    let Some(connected) = args.connection.connect_or_report() else {
        return Outcome::Failure;
    };
    let bar = progress("imported");
    let zone = connected.zone;
    let mut tally = Tally::default();
    let result = on_database!(connected.database, db => {
        block_on(import(db, zone, input, &bar, &mut tally))
    })
    .and_then(|r| r);
    bar.finish_and_clear();
    eprintln!(
        "imported {}, {} already present, {} failed",
        crate::report::count(tally.imported, "record", "records"),
        tally.already,
        tally.failed
    );
    match result {
        Ok(()) if tally.failed == 0 => Outcome::Success,
        Ok(()) => Outcome::Failure,
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!(
                "run the same import again to resume: records already imported are recognised"
            );
            Outcome::Failure
        }
    }
}

async fn import<S: Scope>(
    db: Database<S>,
    zone: ZoneId,
    mut input: Box<dyn BufRead>,
    bar: &ProgressBar,
    tally: &mut Tally,
) -> Result<(), String> {
    let batch_size = MAX_OPERATIONS_PER_REQUEST * REQUESTS_IN_FLIGHT;
    let mut batch: Vec<Pending> = Vec::with_capacity(batch_size);
    let mut text = String::new();
    let mut line = 0;
    loop {
        text.clear();
        let read = match Read::take(&mut input, MAX_LINE_BYTES).read_line(&mut text) {
            Ok(read) => read,
            // The line was consumed up to its newline; the next one is still good.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                line += 1;
                fail(bar, tally, line, None, "the line is not UTF-8");
                continue;
            }
            Err(e) => return Err(format!("cannot read line {}: {e}", line + 1)),
        };
        if read == 0 {
            break;
        }
        line += 1;
        if read as u64 == MAX_LINE_BYTES && !text.ends_with('\n') {
            input
                .skip_until(b'\n')
                .map_err(|e| format!("cannot read line {line}: {e}"))?;
            fail(bar, tally, line, None, "the line is longer than 4 MiB");
            continue;
        }
        if text.trim().is_empty() {
            continue;
        }
        match parse(&text) {
            Ok(record) => batch.push(Pending { line, record }),
            Err(reason) => fail(bar, tally, line, None, &reason),
        }
        if batch.len() == batch_size {
            send(&db, &zone, std::mem::take(&mut batch), bar, tally).await?;
        }
    }
    if !batch.is_empty() {
        send(&db, &zone, batch, bar, tally).await?;
    }
    Ok(())
}

/// A line as a record to create: it needs its name (that is what makes a re-run safe) and
/// its type.
fn parse(text: &str) -> Result<Record, String> {
    let record: Record =
        serde_json::from_str(text).map_err(|e| format!("not a record dictionary: {e}"))?;
    if record.record_name.as_deref().is_none_or(str::is_empty) {
        return Err("no recordName".into());
    }
    if record.record_type.as_deref().is_none_or(str::is_empty) {
        return Err("no recordType".into());
    }
    // What the server assigns is not sent back.
    Ok(super::line::export_form(record))
}

/// Sends one batch and counts each line's outcome. A request that failed as a whole stops
/// the import (the next would fail the same way), after counting what was answered.
async fn send<S: Scope>(
    db: &Database<S>,
    zone: &ZoneId,
    batch: Vec<Pending>,
    bar: &ProgressBar,
    tally: &mut Tally,
) -> Result<(), String> {
    let modify = batch
        .iter()
        .fold(db.modify().zone(zone.clone()), |m, p| {
            m.operation(RecordOperationType::Create, p.record.clone())
        })
        .requests_in_flight(REQUESTS_IN_FLIGHT);
    let answered: Vec<(usize, Result<RecordOutcome, ServerFailure>)> = match modify.send().await {
        Ok(report) => report.results.into_iter().enumerate().collect(),
        Err(Error::BatchIncomplete {
            completed,
            not_completed,
            source,
        }) => {
            for &index in &not_completed {
                if let Some(pending) = batch.get(index) {
                    let name = pending.record.record_name.as_deref();
                    fail(
                        bar,
                        tally,
                        pending.line,
                        name,
                        "not sent: the import stopped",
                    );
                }
            }
            count(&batch, completed, bar, tally);
            let first = batch.first().map_or(0, |p| p.line);
            return Err(format!("{source} (in the batch from line {first})"));
        }
        Err(error) => {
            let first = batch.first().map_or(0, |p| p.line);
            tally.failed += batch.len();
            return Err(format!("{error} (in the batch from line {first})"));
        }
    };
    count(&batch, answered, bar, tally);
    Ok(())
}

fn count(
    batch: &[Pending],
    answered: Vec<(usize, Result<RecordOutcome, ServerFailure>)>,
    bar: &ProgressBar,
    tally: &mut Tally,
) {
    for (index, result) in answered {
        let Some(pending) = batch.get(index) else {
            continue;
        };
        match result {
            Ok(_) => tally.imported += 1,
            Err(failure)
                if failure.code() == ServerErrorCode::Exists
                    && failure
                        .server_record
                        .as_deref()
                        .is_some_and(|server| same_content(&pending.record, server)) =>
            {
                tally.already += 1;
            }
            Err(failure) => {
                let reason = match failure.reason() {
                    Some(reason) => format!("{}: {reason}", failure.code().as_str()),
                    None => failure.code().as_str().to_owned(),
                };
                let name = pending.record.record_name.as_deref();
                fail(bar, tally, pending.line, name, &reason);
            }
        }
    }
    bar.set_position((tally.imported + tally.already) as u64);
}

/// Reports one failed line above the progress bar.
fn fail(bar: &ProgressBar, tally: &mut Tally, line: usize, name: Option<&str>, reason: &str) {
    tally.failed += 1;
    let record = name.map(|n| format!(" record `{n}`:")).unwrap_or_default();
    bar.suspend(|| eprintln!("error: line {line}:{record} {reason}"));
}
