//! The HTTP edge under load, as printed figures (not a timed test):
//!
//! 1. p50/p99 of a one-record `records/lookup`, alone and while another client runs the
//!    heaviest legal query in a loop (200 records of close to 1 MB each, token search, so
//!    every record is decoded in Rust);
//! 2. the process's resident memory (VmRSS, and the peak VmHWM from /proc/self/status)
//!    before and during that heaviest response (the client streams and discards it, so the
//!    figure is mostly the server's);
//! 3. requests answered, and their p50/p99, while 2,000 slow sockets dribble headers and
//!    reconnect as soon as they are cut off.
//!
//! `cargo bench -p cloudkit-emulator --bench edge`. Under `cargo test` (no `--bench`
//! argument) it runs a small version of each, to check it still works. Loopback only; every
//! loop is bounded.

use std::io::Write as _;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use cloudkit_emulator::Emulator;
use serde_json::json;

const SCHEMA: &str = r#"
DEFINE SCHEMA
    RECORD TYPE Note (
        "___recordID" REFERENCE QUERYABLE,
        title STRING QUERYABLE SEARCHABLE SORTABLE,
        body  STRING,
        GRANT WRITE TO "_creator",
        GRANT CREATE TO "_icloud",
        GRANT READ TO "_world"
    );
"#;
const CONTAINER: &str = "iCloud.com.example.bench";

/// Sizes of one run: full under `cargo bench`, small under `cargo test`.
struct Scale {
    heavy_records: usize,
    heavy_field_bytes: usize,
    lookups: usize,
    slow_sockets: usize,
    slow_phase: Duration,
}

impl Scale {
    fn from_args() -> Scale {
        if std::env::args().any(|a| a == "--bench") {
            Scale {
                heavy_records: 200,
                heavy_field_bytes: 1_000_000 - 4_096,
                lookups: 2_000,
                slow_sockets: 2_000,
                slow_phase: Duration::from_secs(10),
            }
        } else {
            Scale {
                heavy_records: 20,
                heavy_field_bytes: 20_000,
                lookups: 50,
                slow_sockets: 100,
                slow_phase: Duration::from_secs(1),
            }
        }
    }
}

struct Http {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Http {
    fn url(&self, endpoint: &str) -> String {
        format!(
            "{}/database/1/{CONTAINER}/development/public/{endpoint}?ckWebAuthToken={}",
            self.base, self.token
        )
    }

    /// POSTs `body`, streams the answer away, returns (status, bytes).
    async fn post(&self, endpoint: &str, body: &serde_json::Value) -> (u16, usize) {
        let sent = self
            .client
            .post(self.url(endpoint))
            .body(serde_json::to_vec(body).unwrap_or_default())
            .send()
            .await;
        let Ok(response) = sent else {
            return (0, 0);
        };
        let status = response.status().as_u16();
        let mut response = response;
        let mut bytes = 0;
        while let Ok(Some(chunk)) = response.chunk().await {
            bytes += chunk.len();
        }
        (status, bytes)
    }
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort();
    let rank = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[rank.min(samples.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// VmRSS and VmHWM of this process in MB.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

async fn lookups(http: &Http, n: usize) -> Vec<Duration> {
    let body = json!({"records": [{"recordName": "small"}]});
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        let (status, _) = http.post("records/lookup", &body).await;
        assert_eq!(status, 200, "lookup failed");
        samples.push(started.elapsed());
    }
    samples
}

fn heaviest_query() -> serde_json::Value {
    json!({
        "query": {"recordType": "Note", "filterBy": [
            {"comparator": "CONTAINS_ANY_TOKENS", "fieldName": "title", "fieldValue": {"value": "heavy"}}
        ]},
        "resultsLimit": 200
    })
}

/// Keeps `count` sockets open that send a request's headers a byte at a time, reconnecting
/// whenever the server cuts one off, until `stop`.
fn slowloris(
    addr: SocketAddr,
    count: usize,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let open = |_: usize| -> Option<TcpStream> {
            let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
            let _ = s.set_write_timeout(Some(Duration::from_millis(100)));
            s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .ok()?;
            Some(s)
        };
        let mut sockets: Vec<Option<TcpStream>> = (0..count).map(open).collect();
        let mut reconnects = 0u64;
        while !stop.load(Ordering::SeqCst) {
            for (i, slot) in sockets.iter_mut().enumerate() {
                let alive = slot.as_mut().is_some_and(|s| s.write_all(b"x").is_ok());
                if !alive {
                    *slot = open(i);
                    reconnects += 1;
                }
                if stop.load(Ordering::SeqCst) {
                    break;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        reconnects
    })
}

fn main() {
    let scale = Scale::from_args();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    runtime.block_on(async {
        let emu = Emulator::builder()
            .schema_source(SCHEMA)
            .container(CONTAINER)
            .memory()
            .start()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let token: String = form_urlencoded::byte_serialize(emu.sign_in("bench").expose().as_bytes()).collect();
        let http = |pooled: bool| Http {
            client: reqwest::Client::builder()
                .pool_max_idle_per_host(if pooled { 4 } else { 0 })
                .timeout(Duration::from_secs(120))
                .build()
                .unwrap_or_else(|e| panic!("{e}")),
            base: emu.base_url(),
            token: token.clone(),
        };
        let writer = http(true);
        // The data: one small record to look up, and the heavy ones, a few per request so
        // that each body stays under the request limit.
        let small = json!({"operations": [{"operationType": "create", "record": {
            "recordType": "Note", "recordName": "small", "fields": {"title": {"value": "small"}}}}]});
        assert_eq!(writer.post("records/modify", &small).await.0, 200);
        let filler = "x".repeat(scale.heavy_field_bytes);
        let per_request = (6_000_000 / scale.heavy_field_bytes.max(1)).clamp(1, 200);
        let mut written = 0;
        while written < scale.heavy_records {
            let n = per_request.min(scale.heavy_records - written);
            let operations: Vec<_> = (written..written + n)
                .map(|i| json!({"operationType": "create", "record": {
                    "recordType": "Note", "recordName": format!("heavy{i}"),
                    "fields": {"title": {"value": format!("heavy note {i}")}, "body": {"value": filler}}}}))
                .collect();
            let (status, _) = writer.post("records/modify", &json!({"operations": operations})).await;
            assert_eq!(status, 200, "seeding failed");
            written += n;
        }
        drop(filler);

        // 1 and 2: lookups alone, then next to the heaviest query; memory around it.
        let looker = http(true);
        let mut alone = lookups(&looker, scale.lookups).await;
        let (rss_before, hwm_before) = memory();
        let heavy = http(true);
        let started = Instant::now();
        let (status, heavy_bytes) = heavy.post("records/query", &heaviest_query()).await;
        let one_heavy = started.elapsed();
        assert_eq!(status, 200, "heaviest query failed");
        let (rss_after, hwm_after) = memory();
        let stop = Arc::new(AtomicBool::new(false));
        let stop_heavy = stop.clone();
        let heavy_loop = tokio::spawn(async move {
            let mut runs = 0u32;
            while !stop_heavy.load(Ordering::SeqCst) && runs < 1_000 {
                let _ = heavy.post("records/query", &heaviest_query()).await;
                runs += 1;
            }
            runs
        });
        let mut loaded = lookups(&looker, scale.lookups).await;
        stop.store(true, Ordering::SeqCst);
        let heavy_runs = heavy_loop.await.unwrap_or(0);
        println!("== lookup latency ({} lookups each)", scale.lookups);
        println!(
            "alone:               p50 {:8.2} ms  p99 {:8.2} ms",
            ms(percentile(&mut alone, 0.5)),
            ms(percentile(&mut alone, 0.99))
        );
        println!(
            "beside heavy query:  p50 {:8.2} ms  p99 {:8.2} ms  ({heavy_runs} heavy queries ran meanwhile)",
            ms(percentile(&mut loaded, 0.5)),
            ms(percentile(&mut loaded, 0.99))
        );
        println!(
            "== heaviest legal query: {} records x {} B fields, response {:.1} MB in {:.0} ms",
            scale.heavy_records,
            scale.heavy_field_bytes,
            heavy_bytes as f64 / 1e6,
            ms(one_heavy)
        );
        println!(
            "memory: VmRSS {rss_before:.0} MB -> {rss_after:.0} MB; peak VmHWM {hwm_before:.0} MB -> {hwm_after:.0} MB"
        );

        // 3: a normal client while slow sockets hold on.
        let stop = Arc::new(AtomicBool::new(false));
        let attack = slowloris(emu.local_addr(), scale.slow_sockets, stop.clone());
        tokio::time::sleep(Duration::from_millis(500)).await;
        let fresh = http(false);
        let body = json!({"records": [{"recordName": "small"}]});
        let mut samples = Vec::new();
        let mut failed = 0u32;
        let started = Instant::now();
        while started.elapsed() < scale.slow_phase {
            let t = Instant::now();
            match fresh.post("records/lookup", &body).await.0 {
                200 => samples.push(t.elapsed()),
                _ => failed += 1,
            }
        }
        stop.store(true, Ordering::SeqCst);
        let reconnects = attack.join().unwrap_or(0);
        println!(
            "== with {} slow sockets (server cut {} of them meanwhile; max_connections {})",
            scale.slow_sockets,
            reconnects,
            cloudkit_emulator::DEFAULT_MAX_CONNECTIONS
        );
        println!(
            "answered {} lookups on fresh connections in {:.1} s ({} failed): p50 {:.2} ms  p99 {:.2} ms",
            samples.len(),
            scale.slow_phase.as_secs_f64(),
            failed,
            ms(percentile(&mut samples, 0.5)),
            ms(percentile(&mut samples, 0.99))
        );
        emu.shutdown().await;
    });
}
