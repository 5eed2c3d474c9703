use cloudkit_emulator::{Emulator, FaultSpec};
use cloudkit_wire::ws::{LookupRecordsRequest, RecordLookup, RecordOperationType as Op};

use crate::common::{CONTAINER, Client, SCHEMA, redacted};
use crate::records::{modify, note, op};

async fn faulty(spec: &str, seed: u64) -> Emulator {
    let spec: FaultSpec = spec.parse().unwrap_or_else(|e| panic!("{e}"));
    Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .faults(spec)
        .seed(seed)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn outcomes(emu: &Emulator) -> Vec<String> {
    let alice = Client::user(emu, "alice");
    let mut out = Vec::new();
    for i in 0..80 {
        let url = alice.url("private", "records/modify");
        let body = serde_json::to_string(&modify(
            vec![op(Op::Create, note(&format!("f{i}"), "t"))],
            None,
            None,
        ))
        .unwrap_or_default();
        let resp = alice.http.post(url).body(body).send().await;
        let outcome = match resp {
            Err(_) => "send-error".to_owned(),
            Ok(resp) => {
                let status = resp.status().as_u16();
                match resp.bytes().await {
                    Err(_) => "dropped".to_owned(),
                    Ok(b) => {
                        let j: serde_json::Value =
                            serde_json::from_slice(&b).unwrap_or(serde_json::Value::Null);
                        format!(
                            "{status}:{}",
                            j["serverErrorCode"].as_str().unwrap_or(if status == 200 {
                                "ok"
                            } else {
                                "non-json"
                            })
                        )
                    }
                }
            }
        };
        out.push(outcome);
    }
    out
}

#[tokio::test]
async fn faults_are_seeded_and_never_partial() {
    let spec =
        "throttled=0.15,try_again_later=0.1,unavailable=0.1,zone_busy=0.1,drop=0.15,retry_after=2";
    let a = faulty(spec, 42).await;
    let first = outcomes(&a).await;
    let b = faulty(spec, 42).await;
    let second = outcomes(&b).await;
    assert_eq!(first, second, "same seed, same faults");
    // A dropped response fails either while sending (headers never arrived) or while reading.
    assert!(
        first.iter().any(|o| o == "dropped" || o == "send-error"),
        "no drop in {first:?}"
    );
    for kind in [
        "429:THROTTLED",
        "503:TRY_AGAIN_LATER",
        "503:non-json",
        "503:ZONE_BUSY",
        "200:ok",
    ] {
        assert!(
            first.iter().any(|o| o == kind),
            "{kind} missing from {first:?}"
        );
    }
    a.shutdown().await;
    b.shutdown().await;

    let c = faulty("throttled=1", 1).await;
    let alice = Client::user(&c, "alice");
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::Create, note("t1", "t"))], None, None),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json["retryAfter"].as_f64()),
        (429, Some(1.0))
    );
    redacted().bind(|| insta::assert_json_snapshot!("throttled", r.json));
    c.shutdown().await;
}

#[tokio::test]
async fn faulted_writes_apply_nothing_and_dropped_ones_apply_everything() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("faults.sqlite");
    let spec: FaultSpec = "throttled=0.2,try_again_later=0.2,drop=0.2"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let emu = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .faults(spec)
        .seed(7)
        .data_file(&path)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let alice = Client::user(&emu, "alice");
    let (mut applied, mut refused, mut dropped) = (Vec::new(), Vec::new(), 0);
    for i in 0..30 {
        let names = [format!("a{i}"), format!("b{i}")];
        let body = serde_json::to_string(&modify(
            names.iter().map(|n| op(Op::Create, note(n, "t"))).collect(),
            None,
            None,
        ))
        .unwrap_or_default();
        // A refused request always gets a complete error response; a dropped one fails in
        // sending or reading, after its write was committed.
        match alice
            .http
            .post(alice.url("private", "records/modify"))
            .body(body)
            .send()
            .await
        {
            Ok(r) if r.status() != 200 => refused.extend(names),
            Ok(r) => {
                if r.bytes().await.is_err() {
                    dropped += 1;
                }
                applied.extend(names);
            }
            Err(_) => {
                dropped += 1;
                applied.extend(names);
            }
        }
    }
    emu.shutdown().await;
    assert!(
        !refused.is_empty() && dropped > 0,
        "the seed should produce both kinds"
    );
    let clean = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .data_file(&path)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let alice = Client::user(&clean, "alice");
    let lookup = |names: &[String]| LookupRecordsRequest {
        records: names.iter().map(|n| RecordLookup::new(n.clone())).collect(),
        ..LookupRecordsRequest::default()
    };
    let r = alice
        .post("private", "records/lookup", &lookup(&applied))
        .await;
    for (i, n) in applied.iter().enumerate() {
        assert_eq!(
            r.item_code("records", i),
            "",
            "{n} was acknowledged (or dropped after writing) but is missing"
        );
    }
    let r = alice
        .post("private", "records/lookup", &lookup(&refused))
        .await;
    for (i, n) in refused.iter().enumerate() {
        assert_eq!(
            r.item_code("records", i),
            "NOT_FOUND",
            "{n} was refused by a fault but was written"
        );
    }
    clean.shutdown().await;
}
