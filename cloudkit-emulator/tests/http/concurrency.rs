use std::sync::Arc;

use cloudkit_emulator::Environment;
use cloudkit_wire::ws::{
    FieldValue, LookupRecordsRequest, Query, QueryRecordsRequest, Record, RecordLookup,
    RecordOperationType as Op, Value,
};

use crate::common::{Client, start};
use crate::records::{modify, op};

/// Many clients increment one counter with change tags (read, update with the tag, retry on
/// CONFLICT) while others create and query. No increment may be lost and no record torn.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_lost_updates_no_torn_records() {
    let emu = start(Environment::Development).await;
    let setup = Client::user(&emu, "alice");
    let counter = Record::named("Note", "counter")
        .with_field("priority", FieldValue::new(Value::Int64(0)))
        .with_field("title", FieldValue::new(Value::String("0".into())));
    setup
        .post(
            "public",
            "records/modify",
            &modify(vec![op(Op::Create, counter)], None, None),
        )
        .await;
    let emu = Arc::new(emu);
    let (writers, increments) = (8, 15);
    let mut tasks = Vec::new();
    for w in 0..writers {
        let emu = emu.clone();
        tasks.push(tokio::spawn(async move {
            let me = Client::user(&emu, "alice");
            let mut conflicts = 0;
            for _ in 0..increments {
                loop {
                    let r = me
                        .post(
                            "public",
                            "records/lookup",
                            &LookupRecordsRequest {
                                records: vec![RecordLookup::new("counter")],
                                ..LookupRecordsRequest::default()
                            },
                        )
                        .await;
                    let rec = &r.json["records"][0];
                    let n = rec["fields"]["priority"]["value"].as_i64().unwrap_or(-1);
                    // title mirrors priority; a torn write would show them apart
                    assert_eq!(
                        rec["fields"]["title"]["value"].as_str(),
                        Some(n.to_string().as_str()),
                        "torn record"
                    );
                    let tag = rec["recordChangeTag"].as_str().map(str::to_owned);
                    let upd = Record {
                        record_name: Some("counter".into()),
                        record_change_tag: tag,
                        ..Record::default()
                    }
                    .with_field("priority", FieldValue::new(Value::Int64(n + 1)))
                    .with_field("title", FieldValue::new(Value::String((n + 1).to_string())));
                    let r = me
                        .post(
                            "public",
                            "records/modify",
                            &modify(vec![op(Op::Update, upd)], None, None),
                        )
                        .await;
                    match r.item_code("records", 0) {
                        "" => break,
                        "CONFLICT" => conflicts += 1,
                        other => panic!("unexpected {other}: {}", r.json),
                    }
                }
            }
            let _ = w;
            conflicts
        }));
    }
    for c in 0..4 {
        let emu = emu.clone();
        tasks.push(tokio::spawn(async move {
            let me = Client::user(&emu, "bob");
            for i in 0..20 {
                let rec = Record::named("Note", format!("c{c}-{i}"))
                    .with_field("priority", FieldValue::new(Value::Int64(-1)));
                let r = me
                    .post(
                        "public",
                        "records/modify",
                        &modify(vec![op(Op::Create, rec)], None, None),
                    )
                    .await;
                assert_eq!(r.item_code("records", 0), "");
                let r = me
                    .post(
                        "public",
                        "records/query",
                        &QueryRecordsRequest::new(Query::new("Note")),
                    )
                    .await;
                assert_eq!(r.status, 200);
            }
            0
        }));
    }
    let mut conflicts = 0;
    for t in tasks {
        conflicts += t.await.unwrap_or_else(|e| panic!("{e}"));
    }
    let r = setup
        .post(
            "public",
            "records/lookup",
            &LookupRecordsRequest {
                records: vec![RecordLookup::new("counter")],
                ..LookupRecordsRequest::default()
            },
        )
        .await;
    assert_eq!(
        r.json["records"][0]["fields"]["priority"]["value"].as_i64(),
        Some(writers * increments),
        "lost updates ({conflicts} conflicts seen)"
    );
    let mut q = QueryRecordsRequest::new(Query::new("Note"));
    q.results_limit = Some(200);
    let r = setup.post("public", "records/query", &q).await;
    assert_eq!(r.json["records"].as_array().map(Vec::len), Some(81));
    if let Ok(emu) = Arc::try_unwrap(emu) {
        emu.shutdown().await;
    }
}
