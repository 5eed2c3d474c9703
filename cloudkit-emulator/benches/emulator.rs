//! records/modify throughput and query latency over HTTP at 10k records, next to the same
//! inserts done straight on the storage layer, in one run. Prints the figures and the ratio.
//!
//! `cargo bench -p cloudkit-emulator --bench emulator`

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cloudkit_emulator::Emulator;
use cloudkit_emulator::bench_support::{DatabaseKey, Stamp, Store, StoredRecord, change_tag};
use cloudkit_wire::ws::{
    Comparator, FieldValue, Filter, ModifyRecordsRequest, Query, QueryRecordsRequest, Record,
    RecordOperation, RecordOperationType, Sort, Value,
};
use criterion::{Criterion, Throughput};

const SCHEMA: &str = r#"
DEFINE SCHEMA
    RECORD TYPE Note (
        "___recordID" REFERENCE QUERYABLE,
        title    STRING QUERYABLE SEARCHABLE SORTABLE,
        priority INT64 QUERYABLE SORTABLE,
        GRANT WRITE TO "_creator",
        GRANT CREATE TO "_icloud",
        GRANT READ TO "_world"
    );
"#;
const CONTAINER: &str = "iCloud.com.example.bench";
const BATCH: usize = 200;
/// Records preloaded before measuring: `EMULATOR_BENCH_RECORDS` (default 10,000; the issue's
/// second figure is taken with 100000).
fn preload() -> usize {
    std::env::var("EMULATOR_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

static NEXT: AtomicU64 = AtomicU64::new(0);

fn record(i: u64) -> Record {
    Record::named("Note", format!("r{i}"))
        .with_field(
            "title",
            FieldValue::new(Value::String(format!("note number {i}"))),
        )
        .with_field("priority", FieldValue::new(Value::Int64((i % 1000) as i64)))
}

fn batch() -> ModifyRecordsRequest {
    ModifyRecordsRequest {
        operations: (0..BATCH)
            .map(|_| {
                let i = NEXT.fetch_add(1, Ordering::Relaxed);
                RecordOperation::new(RecordOperationType::Create, record(i))
            })
            .collect(),
        ..ModifyRecordsRequest::default()
    }
}

struct Http {
    client: reqwest::Client,
    modify_url: String,
    query_url: String,
}

impl Http {
    async fn modify(&self) {
        let body = serde_json::to_vec(&batch()).unwrap_or_default();
        let r = self.client.post(&self.modify_url).body(body).send().await;
        let ok = match r {
            Ok(r) => r.status() == 200 && r.bytes().await.is_ok(),
            Err(_) => false,
        };
        assert!(ok, "modify failed");
    }

    async fn query(&self) -> usize {
        self.run_query(
            Query::new("Note")
                .filter(Filter::new(
                    "priority",
                    Comparator::GreaterThanOrEquals,
                    FieldValue::new(Value::Int64(500)),
                ))
                .sort(Sort::descending("priority")),
        )
        .await
    }

    /// Token search cannot run in SQL: the general path (decode, filter, sort in Rust).
    async fn token_query(&self) -> usize {
        self.run_query(
            Query::new("Note")
                .filter(Filter::new(
                    "title",
                    Comparator::ContainsAnyTokens,
                    FieldValue::new(Value::String("number".into())),
                ))
                .filter(Filter::new(
                    "priority",
                    Comparator::GreaterThanOrEquals,
                    FieldValue::new(Value::Int64(500)),
                ))
                .sort(Sort::descending("priority")),
        )
        .await
    }

    async fn run_query(&self, q: Query) -> usize {
        let mut request = QueryRecordsRequest::new(q);
        request.results_limit = Some(50);
        let body = serde_json::to_vec(&request).unwrap_or_default();
        let r = self.client.post(&self.query_url).body(body).send().await;
        match r {
            Ok(r) => r.bytes().await.map(|b| b.len()).unwrap_or(0),
            Err(_) => 0,
        }
    }
}

fn storage_batch(store: &Store, db: &DatabaseKey) {
    let result = store.transaction(|tx| {
        for _ in 0..BATCH {
            let i = NEXT.fetch_add(1, Ordering::Relaxed);
            let fields = serde_json::to_string(&record(i).fields).unwrap_or_default();
            let seq = tx.next_seq()?;
            let stamp = Stamp {
                timestamp: 1,
                user_record_name: "_bench".into(),
            };
            tx.put_record(
                db,
                &StoredRecord {
                    zone_name: "_defaultZone".into(),
                    record_name: format!("r{i}"),
                    record_type: "Note".into(),
                    change_tag: change_tag::from_seq(seq),
                    fields,
                    created: stamp.clone(),
                    modified: stamp,
                    change_seq: seq,
                    deleted: false,
                    parent: None,
                    short_guid: None,
                },
            )?;
        }
        Ok(())
    });
    assert!(result.is_ok(), "storage batch failed");
}

/// A bare store with the same field indexes the emulator keeps for the schema, so that the
/// storage baseline pays the same index upkeep per insert.
fn indexed_store() -> Store {
    let store = Store::memory().unwrap_or_else(|e| panic!("{e}"));
    let made = store.transaction(|tx| {
        tx.ensure_field_index("$.\"title\".value")?;
        tx.ensure_field_index("$.\"priority\".value")
    });
    assert!(made.is_ok(), "cannot create indexes");
    store
}

/// Records per second of `f` (which writes one batch), measured over about `budget`.
fn rate(budget: Duration, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut batches = 0u32;
    while start.elapsed() < budget {
        f();
        batches += 1;
    }
    f64::from(batches) * BATCH as f64 / start.elapsed().as_secs_f64()
}

fn start(runtime: &tokio::runtime::Runtime) -> (Emulator, Http) {
    let emu = runtime
        .block_on(
            Emulator::builder()
                .schema_source(SCHEMA)
                .container(CONTAINER)
                .memory()
                .start(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let token = emu.sign_in("bench");
    let encoded: String = form_urlencoded::byte_serialize(token.expose().as_bytes()).collect();
    let url = |endpoint: &str| {
        format!(
            "{}/database/1/{CONTAINER}/development/public/{endpoint}?ckWebAuthToken={encoded}",
            emu.base_url()
        )
    };
    let http = Http {
        client: {
            // reqwest is built with `rustls-no-provider` in this workspace.
            let _ = rustls::crypto::ring::default_provider().install_default();
            reqwest::Client::new()
        },
        modify_url: url("records/modify"),
        query_url: url("records/query"),
    };
    (emu, http)
}

fn main() {
    let preload = preload();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    // Writes go to one emulator (it grows as criterion iterates); queries run against another
    // that holds exactly `preload` records.
    let (write_emu, writes) = start(&runtime);
    let (query_emu, queries) = start(&runtime);
    runtime.block_on(async {
        for _ in 0..preload / BATCH {
            writes.modify().await;
            queries.modify().await;
        }
    });
    let store = indexed_store();
    let db = DatabaseKey::public();
    for _ in 0..preload / BATCH {
        storage_batch(&store, &db);
    }

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("records_modify_200");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.sample_size(20);
    group.bench_function("http", |b| b.iter(|| runtime.block_on(writes.modify())));
    group.bench_function("storage", |b| b.iter(|| storage_batch(&store, &db)));
    group.finish();
    let mut group = c.benchmark_group(format!("records_query_{preload}"));
    group.sample_size(20);
    group.bench_function("http_filter_sort", |b| {
        b.iter(|| black_box(runtime.block_on(queries.query())))
    });
    group.bench_function("http_token_search_filter_sort", |b| {
        b.iter(|| black_box(runtime.block_on(queries.token_query())))
    });
    group.finish();
    c.final_summary();

    // The same comparison as plain figures, with the ratio.
    let budget = Duration::from_secs(2);
    let over_http = rate(budget, || runtime.block_on(writes.modify()));
    let straight = rate(budget, || storage_batch(&store, &db));
    let started = Instant::now();
    let mut n = 0u32;
    while started.elapsed() < budget {
        black_box(runtime.block_on(queries.query()));
        n += 1;
    }
    let query_ms = started.elapsed().as_secs_f64() * 1000.0 / f64::from(n);
    let started = Instant::now();
    let mut n = 0u32;
    while started.elapsed() < budget {
        black_box(runtime.block_on(queries.token_query()));
        n += 1;
    }
    let token_ms = started.elapsed().as_secs_f64() * 1000.0 / f64::from(n);
    // The storage side of a query alone: scan the type and extract the filtered field.
    let scan_store = Store::memory().unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..preload / BATCH {
        storage_batch(&scan_store, &db);
    }
    let paths = ["$.\"priority\".value".to_owned()];
    let started = Instant::now();
    let mut scans = 0u32;
    while started.elapsed() < budget {
        let rows = scan_store
            .transaction(|tx| tx.query_candidates(&db, Some("_defaultZone"), "Note", &paths, &[]));
        black_box(rows.map(|r| r.len()).unwrap_or(0));
        scans += 1;
    }
    let scan_ms = started.elapsed().as_secs_f64() * 1000.0 / f64::from(scans);
    println!("records/modify over HTTP: {over_http:.0} records/s (batches of {BATCH})");
    println!("storage layer directly:   {straight:.0} records/s");
    println!("ratio storage/HTTP:       {:.2}x", straight / over_http);
    println!(
        "records/query, filter + sort in SQL (50 of {preload} records): {query_ms:.2} ms/query"
    );
    println!("records/query, token search + filter + sort (general path): {token_ms:.2} ms/query");
    println!(
        "storage scan alone (all {preload} records, one field extracted, no filter): {scan_ms:.2} ms"
    );
    runtime.block_on(write_emu.shutdown());
    runtime.block_on(query_emu.shutdown());
}
