//! `cloudkit records query TYPE [--filter …] [--sort …] [--limit N]`.

use cloudkit_runtime::client::{Database, Scope};
use cloudkit_runtime::wire::Query;
use futures_util::StreamExt as _;

use super::filter::{parse_filter, parse_sort};
use super::listing::Listing;
use crate::connection::{ConnectionArgs, block_on, on_database};
use crate::output::FormatArgs;
use crate::report::Outcome;

/// Arguments of `cloudkit records query`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    cloudkit records query Note\n  \
    cloudkit records query Note --filter 'title begins_with Shop' --sort ___modTime:desc --limit 10\n  \
    cloudkit records query Note --filter 'priority >= 2' --filter 'done = 0' --json | jq .fields.title.value\n  \
    cloudkit records query Note --database private --zone Notes --url http://127.0.0.1:8080")]
pub struct Args {
    /// The record type.
    record_type: String,
    /// `FIELD OP VALUE`, e.g. 'title = Shopping' or 'tags list_contains home'
    /// (repeatable; all must match). OP: =, !=, <, <=, >, >= or a CloudKit comparator.
    #[arg(long = "filter", value_name = "FILTER")]
    filters: Vec<String>,
    /// `FIELD[:desc]` (repeatable; the field must be SORTABLE).
    #[arg(long = "sort", value_name = "FIELD[:desc]")]
    sorts: Vec<String>,
    /// At most N records.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    #[command(flatten)]
    format: FormatArgs,
    #[command(flatten)]
    connection: ConnectionArgs,
}

/// Runs the query, page by page.
pub fn run(args: &Args) -> Outcome {
    let query = match build_query(args) {
        Ok(query) => query,
        Err(error) => {
            eprintln!("error: {error}");
            return Outcome::Usage;
        }
    };
    let Some(connected) = args.connection.connect_or_report() else {
        return Outcome::Failure;
    };
    let mut listing = Listing::new(args.format);
    let zone = connected.zone;
    let result = on_database!(connected.database, db => {
        block_on(run_on(db, query, zone, args.limit, &mut listing))
    });
    listing.finish();
    match result.and_then(|r| r) {
        Ok(()) => Outcome::Success,
        Err(error) => {
            eprintln!("error: {error}");
            Outcome::Failure
        }
    }
}

fn build_query(args: &Args) -> Result<Query, String> {
    let mut query = Query::new(&args.record_type);
    for filter in &args.filters {
        query = query.filter(parse_filter(filter)?);
    }
    for sort in &args.sorts {
        query = query.sort(parse_sort(sort)?);
    }
    Ok(query)
}

async fn run_on<S: Scope>(
    db: Database<S>,
    query: Query,
    zone: cloudkit_runtime::ZoneId,
    limit: Option<usize>,
    listing: &mut Listing,
) -> Result<(), String> {
    let mut run = db.query(query).zone(zone);
    if let Some(limit) = limit {
        // Never ask for more per page than will be printed.
        run = run.results_limit(u32::try_from(limit.clamp(1, 200)).unwrap_or(200));
    }
    let mut pages = std::pin::pin!(run.pages());
    let mut left = limit.unwrap_or(usize::MAX);
    while left > 0
        && let Some(page) = pages.next().await
    {
        let page = page.map_err(|e| e.to_string())?;
        for record in page.records {
            if left == 0 {
                break;
            }
            match record {
                Ok(record) => listing.add(record),
                Err(failure) => eprintln!("error: {failure}"),
            }
            left -= 1;
        }
    }
    Ok(())
}
