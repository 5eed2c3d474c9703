//! Records removed by a `DELETE_SELF` cascade notify like deletes: query subscriptions that
//! fire on delete and zone subscriptions see each of them.

use cloudkit_emulator::Environment;
use serde_json::{Value, json};

use crate::common::{Client, start};
use crate::push_payloads::{next_payload, subscribe};
use crate::records::create_zone;
use crate::subscription_grants::courier;

async fn drain(client: &Client, inbox: &str) -> Vec<Value> {
    let mut all = Vec::new();
    while let Some(p) = next_payload(client, inbox).await {
        all.push(p);
    }
    all
}

#[tokio::test]
async fn a_cascade_notifies_each_record_it_removes() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    create_zone(&alice, "Tree").await;
    let inbox = courier(&alice).await;
    subscribe(
        &alice,
        "private",
        json!({"subscriptionID": "tree", "subscriptionType": "zone",
            "zoneID": {"zoneName": "Tree"}}),
    )
    .await;
    subscribe(
        &alice,
        "private",
        json!({"subscriptionID": "gone-notes", "subscriptionType": "query",
            "query": {"recordType": "Note"}, "firesOn": ["delete"],
            "zoneID": {"zoneName": "Tree"}}),
    )
    .await;
    let child = |name: &str, target: &str| {
        json!({"operationType": "create", "record": {"recordType": "Note", "recordName": name,
            "fields": {"folder": {"type": "REFERENCE",
                "value": {"recordName": target, "action": "DELETE_SELF"}}}}})
    };
    let r = alice
        .post(
            "private",
            "records/modify",
            &json!({"zoneID": {"zoneName": "Tree"}, "operations": [
                {"operationType": "create", "record": {"recordType": "Folder",
                    "recordName": "f1", "fields": {}}},
                child("n1", "f1"),
                child("n2", "n1")]}),
        )
        .await;
    assert_eq!(r.item_code("records", 2), "", "{}", r.json);
    let _ = drain(&alice, &inbox).await;

    let r = alice
        .post(
            "private",
            "records/modify",
            &json!({"zoneID": {"zoneName": "Tree"}, "operations": [
                {"operationType": "forceDelete", "record": {"recordName": "f1"}}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let payloads = drain(&alice, &inbox).await;
    let zone = payloads
        .iter()
        .filter(|p| p["ck"]["fet"]["sid"] == "tree")
        .count();
    assert_eq!(zone, 3, "one per removed record: {payloads:?}");
    let mut deleted: Vec<&str> = payloads
        .iter()
        .filter(|p| p["ck"]["qry"]["sid"] == "gone-notes")
        .map(|p| {
            assert_eq!(p["ck"]["qry"]["fo"], 3, "fired as a delete: {p}");
            p["ck"]["qry"]["rid"].as_str().unwrap_or_default()
        })
        .collect();
    deleted.sort_unstable();
    assert_eq!(deleted, ["n1", "n2"], "{payloads:?}");
}
