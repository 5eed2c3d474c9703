//! `records export` and `records import` at scale: N records of one type exported from an
//! emulator with a data file to JSON Lines, imported into an empty emulator, the round trip
//! checked (same names, same fields), and the figures printed: records/s each way and the
//! CLI's peak RSS (the child process's `ru_maxrss` from `wait4`), which must stay flat as N
//! grows.
//!
//! `cargo bench -p cloudkit-cli --bench data_roundtrip`; `DATA_BENCH_RECORDS` sets N
//! (default 100,000).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cloudkit_emulator::Emulator;
use cloudkit_runtime::Client;
use cloudkit_runtime::client::WebAuthToken;
use cloudkit_runtime::wire::{FieldValue, Record, RecordOperationType, Value};

const CONTAINER: &str = "iCloud.com.example.bench";
const API_TOKEN: &str = "bench-api-token";
const SCHEMA: &str = r#"
DEFINE SCHEMA
    RECORD TYPE Note (
        "___recordID" REFERENCE QUERYABLE,
        title    STRING QUERYABLE SEARCHABLE SORTABLE,
        body     STRING,
        priority INT64 QUERYABLE SORTABLE,
        score    DOUBLE,
        tags     LIST<STRING> QUERYABLE,
        GRANT WRITE TO "_creator",
        GRANT CREATE TO "_icloud",
        GRANT READ TO "_world"
    );
"#;

fn records() -> usize {
    std::env::var("DATA_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(100_000)
}

fn note(i: usize) -> Record {
    Record::named("Note", format!("note-{i:07}"))
        .with_field(
            "title",
            FieldValue::from(Value::String(format!("Note number {i}"))),
        )
        .with_field(
            "body",
            FieldValue::from(Value::String(format!("{i} ").repeat(20))),
        )
        .with_field("priority", FieldValue::from(Value::Int64((i % 5) as i64)))
        .with_field("score", FieldValue::from(Value::Double(i as f64 / 7.0)))
        .with_field(
            "tags",
            FieldValue::from(Value::StringList(vec![
                "bench".into(),
                format!("t{}", i % 100),
            ])),
        )
}

struct Running {
    emulator: Emulator,
    alice: String,
}

async fn start(data_file: Option<&Path>) -> Running {
    let mut builder = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .api_token(API_TOKEN);
    if let Some(path) = data_file {
        builder = builder.data_file(path);
    }
    let emulator = builder.start().await.expect("the emulator starts");
    let alice = emulator.sign_in("alice").expose().to_owned();
    Running { emulator, alice }
}

async fn seed(running: &Running, n: usize) {
    let db = Client::builder()
        .container(CONTAINER)
        .base_url(running.emulator.base_url())
        .api_token(API_TOKEN)
        .build()
        .expect("client")
        .as_user(WebAuthToken::new(running.alice.clone()))
        .expect("user")
        .public_database();
    let mut next = 0;
    while next < n {
        let end = (next + 2000).min(n);
        let batch = (next..end).fold(db.modify(), |b, i| {
            b.operation(RecordOperationType::Create, note(i))
        });
        let report = batch.send().await.expect("seeded");
        assert!(report.is_success(), "seeding failed");
        next = end;
    }
}

fn cloudkit(running: &Running, args: &[&str]) -> Child {
    // A fresh sign-in per run: the emulator keeps a bounded window of rotated tokens, and
    // seeding rotates alice's first token out of it.
    let token = running.emulator.sign_in("alice").expose().to_owned();
    Command::new(env!("CARGO_BIN_EXE_cloudkit"))
        .args(args)
        .env("CLOUDKIT_CONFIG", "/nonexistent/cloudkit-config.toml")
        .env("CLOUDKIT_BASE_URL", running.emulator.base_url())
        .env("CLOUDKIT_CONTAINER", CONTAINER)
        .env("CLOUDKIT_API_TOKEN", API_TOKEN)
        .env("CLOUDKIT_WEB_AUTH_TOKEN", token)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("cloudkit starts")
}

/// Waits for `child`; returns its wall time and peak RSS in KiB.
fn measure(child: Child, started: Instant) -> (Duration, i64) {
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills; the pid is our own unreaped child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    // SAFETY: valid pointers to locals; reaps exactly this child.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    assert_eq!(reaped, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "cloudkit failed (status {status})"
    );
    (elapsed, usage.ru_maxrss)
}

fn sorted_lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("an export file");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.sort_unstable();
    lines
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let n = records();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let source = runtime.block_on(start(Some(&dir.path().join("source.sqlite"))));
    let seeding = Instant::now();
    runtime.block_on(seed(&source, n));
    println!("seeded {n} records in {:.1?}", seeding.elapsed());

    let exported = dir.path().join("export.jsonl");
    let exported_arg = exported.to_str().expect("utf-8 path");
    let started = Instant::now();
    let child = cloudkit(&source, &["records", "export", "Note", "-o", exported_arg]);
    let (export_time, export_rss) = measure(child, started);

    let target = runtime.block_on(start(Some(&dir.path().join("target.sqlite"))));
    let started = Instant::now();
    let child = cloudkit(&target, &["records", "import", exported_arg]);
    let (import_time, import_rss) = measure(child, started);

    let back = dir.path().join("back.jsonl");
    let child = cloudkit(
        &target,
        &[
            "records",
            "export",
            "Note",
            "-o",
            back.to_str().expect("utf-8 path"),
        ],
    );
    measure(child, Instant::now());
    let (original, copy) = (sorted_lines(&exported), sorted_lines(&back));
    assert_eq!(original.len(), n, "every record was exported");
    assert!(original == copy, "the round trip is not exact");

    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    let file_mb = std::fs::metadata(&exported).map_or(0.0, |m| m.len() as f64 / 1e6);
    println!("data_roundtrip: {n} records, {file_mb:.1} MB of JSON Lines, round trip exact");
    println!(
        "  export: {:>8.0} records/s ({:.1?}), cloudkit peak RSS {:.1} MiB",
        rate(export_time),
        export_time,
        export_rss as f64 / 1024.0
    );
    println!(
        "  import: {:>8.0} records/s ({:.1?}), cloudkit peak RSS {:.1} MiB",
        rate(import_time),
        import_time,
        import_rss as f64 / 1024.0
    );
    runtime.block_on(async {
        source.emulator.shutdown().await;
        target.emulator.shutdown().await;
    });
}
