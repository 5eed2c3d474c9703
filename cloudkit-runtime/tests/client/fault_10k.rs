//! 10,000 records saved through 30% mixed injected faults: afterwards every record exists
//! exactly once with the content that was sent.

use std::collections::HashMap;
use std::time::Instant;

use crate::support::{Note, emulator, key_client};
use cloudkit_emulator::FaultSpec;
use cloudkit_runtime::wire::Query;

const RECORDS: usize = 10_000;
const TASKS: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_records_through_thirty_percent_faults() {
    // 30% of requests fail: throttled, try-again-later, non-JSON 503, zone busy, and dropped
    // connections after the write was applied.
    let spec: FaultSpec =
        "throttled=0.06,try_again_later=0.06,unavailable=0.06,zone_busy=0.06,drop=0.06,retry_after=1"
            .parse()
            .expect("spec");
    let emu = emulator(Some(spec)).await;
    let client = key_client(&emu);
    let started = Instant::now();

    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let db = client.public_database();
        tasks.push(tokio::spawn(async move {
            let mut batch = db.modify();
            for i in (task..RECORDS).step_by(TASKS) {
                batch = batch.create(&Note::new(
                    &format!("r{i:05}"),
                    &format!("title {i}"),
                    i as i64,
                ));
            }
            batch.send().await
        }));
    }
    for task in tasks {
        let report = task.await.expect("task").expect("batch");
        assert!(
            report.is_success(),
            "{:?}",
            report.failures().take(3).collect::<Vec<_>>()
        );
    }
    let saved_in = started.elapsed();
    let stats = client.stats();

    let db = client.public_database();
    let all: Vec<Note> = db.query(Query::new("Note")).all().await.expect("read back");
    assert_eq!(all.len(), RECORDS, "every record exactly once");
    let mut by_name: HashMap<String, Note> = HashMap::new();
    for note in all {
        let name = note.name.clone().expect("name");
        assert!(by_name.insert(name, note).is_none(), "duplicate record");
    }
    for i in 0..RECORDS {
        let note = by_name.get(&format!("r{i:05}")).expect("present");
        assert_eq!(note.title, format!("title {i}"));
        assert_eq!(note.n, i as i64);
    }
    println!(
        "saved {RECORDS} records through 30% faults in {:.2?} ({} HTTP attempts, {} retries; \
         read back and checked in {:.2?} total)",
        saved_in,
        stats.attempts,
        stats.retries,
        started.elapsed()
    );
    emu.shutdown().await;
}
