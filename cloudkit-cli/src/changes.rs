//! `cloudkit changes [--zone Z] [--since TOKEN] [--follow]`: a zone's change feed
//! (`changes/zone`), one line per changed or deleted record, then the sync token to resume
//! from. With `--follow` it asks again every few seconds until Ctrl-C, and prints the token
//! then.

use std::time::Duration;

use cloudkit_runtime::ZoneId;
use cloudkit_runtime::client::{Database, HasChangeFeeds, SyncToken};
use cloudkit_runtime::wire::RecordEntry;
use futures_util::StreamExt as _;

use crate::connection::{AnyDatabase, ConnectionArgs, block_on};
use crate::output::{FormatArgs, print_json_line};
use crate::report::Outcome;

/// Arguments of `cloudkit changes`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Lines are `saved TYPE NAME` or `deleted - NAME` (with --json: the record \
    dictionary or tombstone as the server sent it), then `syncToken TOKEN` \
    ({\"syncToken\": …} with --json). Pass that token to --since to continue.\n\n\
    Examples:\n  \
    cloudkit changes --database private --zone Notes\n  \
    cloudkit changes --database private --zone Notes --since \"$(cat notes.token)\"\n  \
    cloudkit changes --database private --zone Notes --follow --json"
)]
pub struct Args {
    /// Start after this sync token [default: the zone's whole history].
    #[arg(long, value_name = "TOKEN")]
    since: Option<String>,
    /// Keep asking for new changes until Ctrl-C.
    #[arg(long)]
    follow: bool,
    /// Seconds between asks with --follow.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0)]
    interval: f64,
    #[command(flatten)]
    format: FormatArgs,
    #[command(flatten)]
    connection: ConnectionArgs,
}

/// Prints the feed and the token.
pub fn run(args: &Args) -> Outcome {
    let interval = match Duration::try_from_secs_f64(args.interval) {
        Ok(interval) if !interval.is_zero() => interval,
        _ => {
            eprintln!("error: --interval must be a positive number of seconds");
            return Outcome::Usage;
        }
    };
    let Some(connected) = args.connection.connect_or_report() else {
        return Outcome::Failure;
    };
    let feed = Feed {
        zone: connected.zone,
        since: args.since.clone().map(SyncToken::new),
        follow: args.follow.then_some(interval),
        json: args.format.json,
    };
    let result = match connected.database {
        AnyDatabase::Private(db) => block_on(feed.run(db)),
        AnyDatabase::Shared(db) => block_on(feed.run(db)),
        AnyDatabase::Public(_) => {
            eprintln!(
                "error: the public database has no change feed: pass --database private or shared"
            );
            return Outcome::Usage;
        }
    };
    match result {
        Ok(Ok(())) => Outcome::Success,
        Ok(Err(error)) | Err(error) => {
            eprintln!("error: {error}");
            Outcome::Failure
        }
    }
}

/// What to read and how to print it.
struct Feed {
    zone: ZoneId,
    since: Option<SyncToken>,
    follow: Option<Duration>,
    json: bool,
}

impl Feed {
    /// Reads the feed; the last token is printed however it ends (done, Ctrl-C, error).
    async fn run<S: HasChangeFeeds>(self, db: Database<S>) -> Result<(), String> {
        let mut token = self.since.clone();
        let result = tokio::select! {
            result = self.read(&db, &mut token) => result,
            stopped = tokio::signal::ctrl_c() => stopped.map_err(|e| format!("cannot wait for Ctrl-C: {e}")),
        };
        self.print_token(token.as_ref());
        result
    }

    async fn read<S: HasChangeFeeds>(
        &self,
        db: &Database<S>,
        token: &mut Option<SyncToken>,
    ) -> Result<(), String> {
        loop {
            let mut pages =
                std::pin::pin!(db.zone_changes(self.zone.clone(), token.clone()).stream());
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| e.to_string())?;
                for entry in page.records {
                    match entry {
                        Ok(entry) => self.print_change(&entry),
                        Err(failure) => eprintln!("error: {failure}"),
                    }
                }
                if page.sync_token.is_some() {
                    *token = page.sync_token;
                }
            }
            match self.follow {
                Some(interval) => tokio::time::sleep(interval).await,
                None => return Ok(()),
            }
        }
    }

    fn print_change(&self, entry: &RecordEntry) {
        if self.json {
            print_json_line(entry);
            return;
        }
        let line = match entry {
            RecordEntry::Record(record) if record.deleted == Some(true) => {
                format!(
                    "deleted - {}",
                    record.record_name.as_deref().unwrap_or_default()
                )
            }
            RecordEntry::Record(record) => format!(
                "saved {} {}",
                record.record_type.as_deref().unwrap_or("-"),
                record.record_name.as_deref().unwrap_or_default()
            ),
            RecordEntry::Tombstone(tombstone) => format!("deleted - {}", tombstone.record_name),
        };
        println!("{line}");
    }

    fn print_token(&self, token: Option<&SyncToken>) {
        let Some(token) = token else {
            return;
        };
        if self.json {
            print_json_line(&serde_json::json!({ "syncToken": token.as_str() }));
        } else {
            println!("syncToken {}", token.as_str());
        }
    }
}
