//! Values sent without `type` are refused where CloudKit refuses them (issue #17, item 2): a
//! bare number into a TIMESTAMP field, an untyped IN / NOT_IN list. What CloudKit JS sends by
//! default (untyped strings, numbers, lists and locations into fields of those types, an
//! ISO-8601 `Date` for a TIMESTAMP) keeps working.

use cloudkit_emulator::Environment;
use serde_json::{Value, json};

use crate::common::{Client, Reply, start};

async fn create(alice: &Client, name: &str, fields: Value) -> Reply {
    alice
        .post(
            "private",
            "records/modify",
            &json!({"operations": [{"operationType": "create", "record": {
                "recordType": "Note", "recordName": name, "fields": fields}}]}),
        )
        .await
}

#[tokio::test]
async fn a_bare_number_is_not_a_timestamp() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let r = create(
        &alice,
        "t1",
        json!({"due": {"value": 1_700_000_000_000_i64}}),
    )
    .await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST", "{}", r.json);
    assert_eq!(
        r.json["records"][0]["reason"],
        "Invalid value, expected type TIMESTAMP."
    );
    // Nothing was stored.
    let r = alice
        .post(
            "private",
            "records/lookup",
            &json!({"records": [{"recordName": "t1"}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "NOT_FOUND", "{}", r.json);
    // Typed milliseconds and an untyped ISO-8601 string are times.
    let r = create(
        &alice,
        "t2",
        json!({"due": {"value": 1_700_000_000_000_i64, "type": "TIMESTAMP"}}),
    )
    .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let r = create(
        &alice,
        "t3",
        json!({"due": {"value": "2023-11-14T22:13:20.000Z"}}),
    )
    .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    assert_eq!(
        r.json["records"][0]["fields"]["due"]["value"],
        1_700_000_000_000_i64
    );
    // The same rule holds for a filter operand.
    let r = alice
        .post(
            "private",
            "records/query",
            &json!({"query": {"recordType": "Note", "filterBy": [{"fieldName": "due",
                "comparator": "LESS_THAN", "fieldValue": {"value": 1}}]}}),
        )
        .await;
    assert_eq!(r.code(), "BAD_REQUEST", "{}", r.json);
    emu.shutdown().await;
}

#[tokio::test]
async fn in_and_not_in_need_a_typed_list() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let r = create(&alice, "p2", json!({"priority": {"value": 2}})).await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let query = |comparator: &str, value: Value| {
        json!({"query": {"recordType": "Note", "filterBy": [{"fieldName": "priority",
            "comparator": comparator, "fieldValue": value}]}})
    };
    for comparator in ["IN", "NOT_IN"] {
        let r = alice
            .post(
                "private",
                "records/query",
                &query(comparator, json!({"value": [2, 3]})),
            )
            .await;
        assert_eq!(r.code(), "BAD_REQUEST", "{comparator}: {}", r.json);
        assert!(
            r.json["reason"]
                .as_str()
                .is_some_and(|s| s.starts_with("BadRequestException: Unexpected input")),
            "{}",
            r.json
        );
    }
    let typed = json!({"value": [2, 3], "type": "INT64_LIST"});
    let r = alice
        .post("private", "records/query", &query("IN", typed.clone()))
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["records"].as_array().map(Vec::len), Some(1));
    let r = alice
        .post("private", "records/query", &query("NOT_IN", typed))
        .await;
    assert_eq!(
        r.json["records"].as_array().map(Vec::len),
        Some(0),
        "{}",
        r.json
    );
    emu.shutdown().await;
}
