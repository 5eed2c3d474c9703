//! `DELETE_SELF` cascades: deep chains delete without recursion, and one record takes at most
//! 750 `DELETE_SELF` references (spec §6; issue #16, item 2).

use cloudkit_emulator::Environment;
use serde_json::json;

use crate::common::{Client, start};

fn pointing_at(name: &str, target: &str) -> serde_json::Value {
    json!({"operationType": "create", "record": {"recordType": "Note", "recordName": name,
        "fields": {"folder": {"type": "REFERENCE",
            "value": {"recordName": target, "action": "DELETE_SELF"}}}}})
}

async fn save_all(client: &Client, ops: Vec<serde_json::Value>) {
    for chunk in ops.chunks(200) {
        let r = client
            .post(
                "private",
                "records/modify",
                &json!({"operations": chunk, "atomic": false}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.json);
        let failed = r.json["records"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e.get("serverErrorCode").is_some());
        assert!(failed.is_none(), "{failed:?}");
    }
}

#[tokio::test]
async fn a_deep_delete_self_chain_deletes_whole() {
    const DEPTH: usize = 3_000;
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let mut ops = vec![json!({"operationType": "create",
        "record": {"recordType": "Note", "recordName": "c0"}})];
    for i in 1..DEPTH {
        ops.push(pointing_at(&format!("c{i}"), &format!("c{}", i - 1)));
    }
    save_all(&alice, ops).await;
    let r = alice
        .post(
            "private",
            "records/modify",
            &json!({"operations": [{"operationType": "forceDelete", "record": {"recordName": "c0"}}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let last = format!("c{}", DEPTH - 1);
    let r = alice
        .post(
            "private",
            "records/lookup",
            &json!({"records": [{"recordName": "c1"}, {"recordName": "c1500"}, {"recordName": last}]}),
        )
        .await;
    for i in 0..3 {
        assert_eq!(r.item_code("records", i), "NOT_FOUND", "{}", r.json);
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn the_751st_delete_self_reference_to_one_record_is_refused() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let mut ops = vec![json!({"operationType": "create",
        "record": {"recordType": "Note", "recordName": "target"}})];
    for i in 0..750 {
        ops.push(pointing_at(&format!("s{i}"), "target"));
    }
    save_all(&alice, ops).await;
    // saving one of the 750 again is fine
    let r = alice
        .post(
            "private",
            "records/modify",
            &json!({"operations": [{"operationType": "forceReplace", "record": {
                "recordType": "Note", "recordName": "s0",
                "fields": {"folder": {"type": "REFERENCE",
                    "value": {"recordName": "target", "action": "DELETE_SELF"}}}}}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let r = alice
        .post(
            "private",
            "records/modify",
            &json!({"operations": [pointing_at("s750", "target")]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST", "{}", r.json);
    let reason = r.json["records"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("750"), "{reason}");
    // deleting the target takes all 750 with it
    let r = alice
        .post(
            "private",
            "records/modify",
            &json!({"operations": [{"operationType": "forceDelete", "record": {"recordName": "target"}}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let r = alice
        .post(
            "private",
            "records/lookup",
            &json!({"records": [{"recordName": "s0"}, {"recordName": "s749"}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "NOT_FOUND", "{}", r.json);
    assert_eq!(r.item_code("records", 1), "NOT_FOUND", "{}", r.json);
    emu.shutdown().await;
}
