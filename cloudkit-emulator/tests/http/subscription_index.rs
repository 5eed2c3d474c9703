//! A write looks only at the subscriptions on its record type (issue #16, item 5). Prints how
//! long a 200-operation batch takes with 200 subscriptions on other types; asserts only what
//! fires.

use std::time::Instant;

use cloudkit_emulator::Environment;
use serde_json::json;

use crate::common::{Client, start};
use crate::subscription_grants::{courier, next_record_name};

fn subscription(id: &str, record_type: &str) -> serde_json::Value {
    json!({"operationType": "create", "subscription": {
        "subscriptionID": id, "subscriptionType": "query",
        "query": {"recordType": record_type}, "firesOn": ["create"]}})
}

#[tokio::test]
async fn writes_fire_only_the_subscriptions_on_their_type() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let inbox = courier(&alice).await;
    // 200 record types grown just in time, one subscription on each
    let types: Vec<serde_json::Value> = (0..200)
        .map(|i| {
            json!({"operationType": "create", "record": {
                "recordType": format!("Other{i}"), "recordName": format!("o{i}")}})
        })
        .collect();
    let r = alice
        .post("private", "records/modify", &json!({"operations": types}))
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let subs: Vec<serde_json::Value> = (0..200)
        .map(|i| subscription(&format!("s{i}"), &format!("Other{i}")))
        .collect();
    let r = alice
        .post(
            "private",
            "subscriptions/modify",
            &json!({"operations": subs}),
        )
        .await;
    assert_eq!(r.item_code("subscriptions", 199), "", "{}", r.json);
    let r = alice
        .post(
            "private",
            "subscriptions/modify",
            &json!({"operations": [subscription("notes", "Note")]}),
        )
        .await;
    assert_eq!(r.item_code("subscriptions", 0), "", "{}", r.json);

    let notes: Vec<serde_json::Value> = (0..200)
        .map(|i| {
            json!({"operationType": "create", "record": {
                "recordType": "Note", "recordName": format!("n{i:03}")}})
        })
        .collect();
    let started = Instant::now();
    let r = alice
        .post("private", "records/modify", &json!({"operations": notes}))
        .await;
    eprintln!(
        "200 creates with 201 subscriptions (1 on their type): {:?}",
        started.elapsed()
    );
    assert_eq!(r.status, 200, "{}", r.json);
    for i in 0..200 {
        assert_eq!(
            next_record_name(&alice, &inbox).await,
            Some(format!("n{i:03}"))
        );
    }
    assert_eq!(next_record_name(&alice, &inbox).await, None);
    emu.shutdown().await;
}
