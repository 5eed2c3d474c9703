//! Saving 10,000 records through the client and the emulator over loopback HTTP, against the
//! emulator's storage doing the same inserts directly (same batches of 200, one transaction
//! each). Prints the throughput ratio client / storage.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use cloudkit_emulator::bench_support::{DatabaseKey, Stamp, Store, StoredRecord};
use cloudkit_emulator::{Emulator, Environment as EmuEnvironment};
use cloudkit_runtime::client::{Client, Environment};
use cloudkit_runtime::wire::{FieldValue, Record, Value};
use cloudkit_runtime::{CloudKitRecord, DecodeError};
use criterion::{Criterion, criterion_group, criterion_main};

const RECORDS: usize = 10_000;
const BATCH: usize = 200;
const SCHEMA: &str = "DEFINE SCHEMA RECORD TYPE Note (\"___recordID\" REFERENCE QUERYABLE, \
                      title STRING QUERYABLE, n INT64, GRANT WRITE TO \"_creator\", \
                      GRANT CREATE TO \"_icloud\", GRANT READ TO \"_world\");";
/// The TEST-ONLY key of the wire reference §2.4.
const KEY_ID: &str = "bench-key";
const PRIVATE_KEY: &str = include_str!("../tests/fixtures/test_key.pem");
const PUBLIC_KEY: &str = include_str!("../tests/fixtures/test_key_public.pem");

struct Note {
    name: String,
    title: String,
    n: i64,
}

impl CloudKitRecord for Note {
    const RECORD_TYPE: &'static str = "Note";
    fn to_record(&self) -> Record {
        Record::named(Self::RECORD_TYPE, self.name.clone())
            .with_field("title", FieldValue::from(Value::String(self.title.clone())))
            .with_field("n", FieldValue::from(Value::Int64(self.n)))
    }
    fn from_record(record: Record) -> Result<Self, DecodeError> {
        Ok(Note {
            name: record.record_name.unwrap_or_default(),
            title: String::new(),
            n: 0,
        })
    }
}

fn notes() -> Vec<Note> {
    (0..RECORDS)
        .map(|i| Note {
            name: format!("r{i:05}"),
            title: format!("title {i}"),
            n: i as i64,
        })
        .collect()
}

static CLIENT_TIME: Mutex<Vec<Duration>> = Mutex::new(Vec::new());
static STORAGE_TIME: Mutex<Vec<Duration>> = Mutex::new(Vec::new());

fn record_time(slot: &Mutex<Vec<Duration>>, elapsed: Duration) {
    if let Ok(mut v) = slot.lock() {
        v.push(elapsed);
    }
}

fn median(slot: &Mutex<Vec<Duration>>) -> Option<Duration> {
    let mut v = slot.lock().ok()?.clone();
    v.sort();
    v.get(v.len() / 2).copied()
}

fn save_10k(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let data = notes();
    let mut group = c.benchmark_group("save_10k_records");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));

    group.bench_function("client_over_http_to_emulator", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let elapsed = runtime.block_on(async {
                    let emu = Emulator::builder()
                        .schema_source(SCHEMA)
                        .container("iCloud.bench")
                        .environment(EmuEnvironment::Development)
                        .server_key(KEY_ID, PUBLIC_KEY)
                        .memory()
                        .start()
                        .await
                        .expect("emulator");
                    let client = Client::builder()
                        .container("iCloud.bench")
                        .environment(Environment::Development)
                        .base_url(emu.base_url())
                        .server_to_server_key(KEY_ID, PRIVATE_KEY)
                        .build()
                        .expect("client");
                    let db = client.public_database();
                    let start = Instant::now();
                    let mut batch = db.modify();
                    for note in &data {
                        batch = batch.create(note);
                    }
                    let report = batch.send().await.expect("send");
                    let elapsed = start.elapsed();
                    assert!(report.is_success());
                    emu.shutdown().await;
                    elapsed
                });
                record_time(&CLIENT_TIME, elapsed);
                total += elapsed;
            }
            total
        });
    });

    group.bench_function("emulator_storage_direct", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let store = Store::memory().expect("store");
                let db = DatabaseKey::public();
                let start = Instant::now();
                for chunk in data.chunks(BATCH) {
                    store
                        .transaction(|tx| {
                            for note in chunk {
                                let record = note.to_record();
                                let seq = tx.next_seq()?;
                                let fields =
                                    serde_json::to_string(&record.fields).unwrap_or_default();
                                let stamp = Stamp {
                                    timestamp: 1_700_000_000_000,
                                    user_record_name: "_bench".to_owned(),
                                };
                                tx.put_record(
                                    &db,
                                    &StoredRecord {
                                        zone_name: "_defaultZone".to_owned(),
                                        record_name: note.name.clone(),
                                        record_type: "Note".to_owned(),
                                        change_tag: format!("t{seq}"),
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
                        })
                        .expect("insert");
                }
                let elapsed = start.elapsed();
                record_time(&STORAGE_TIME, elapsed);
                total += elapsed;
            }
            total
        });
    });
    group.finish();

    if let (Some(client), Some(storage)) = (median(&CLIENT_TIME), median(&STORAGE_TIME)) {
        println!(
            "save 10k records: client+HTTP+emulator {client:.2?}, storage direct {storage:.2?}; \
             client throughput = {:.2}x of direct storage inserts",
            storage.as_secs_f64() / client.as_secs_f64()
        );
    }
}

criterion_group!(benches, save_10k);
criterion_main!(benches);
