//! Stored query subscriptions are decoded once and kept for the writes that check them; an
//! updated or deleted subscription is never matched in its old form.

use cloudkit_emulator::Environment;
use serde_json::{Value, json};

use crate::common::{Client, start};
use crate::push_payloads::next_payload;
use crate::subscription_grants::courier;

fn titled(title: &str) -> Value {
    json!({"subscriptionID": "titled", "subscriptionType": "query", "firesOn": ["create"],
        "query": {"recordType": "Note", "filterBy": [{"fieldName": "title",
            "comparator": "EQUALS", "fieldValue": {"type": "STRING", "value": title}}]}})
}

async fn subscription_op(client: &Client, kind: &str, subscription: Value) {
    let r = client
        .post(
            "public",
            "subscriptions/modify",
            &json!({"operations": [{"operationType": kind, "subscription": subscription}]}),
        )
        .await;
    assert_eq!(r.item_code("subscriptions", 0), "", "{}", r.json);
}

/// Creates a note and returns the record names of the pushes it caused.
async fn create_note(client: &Client, inbox: &str, name: &str, title: &str) -> Vec<String> {
    let r = client
        .post(
            "public",
            "records/modify",
            &json!({"operations": [{"operationType": "create", "record": {"recordType": "Note",
                "recordName": name, "fields": {"title": {"value": title}}}}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let mut pushed = Vec::new();
    while let Some(p) = next_payload(client, inbox).await {
        pushed.push(
            p["ck"]["qry"]["rid"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    pushed
}

#[tokio::test]
async fn an_updated_or_deleted_subscription_never_fires_in_its_old_form() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let inbox = courier(&alice).await;
    subscription_op(&alice, "create", titled("a")).await;
    assert_eq!(create_note(&alice, &inbox, "a1", "a").await, ["a1"]);
    assert!(create_note(&alice, &inbox, "b1", "b").await.is_empty());
    subscription_op(&alice, "update", titled("b")).await;
    assert!(create_note(&alice, &inbox, "a2", "a").await.is_empty());
    assert_eq!(create_note(&alice, &inbox, "b2", "b").await, ["b2"]);
    subscription_op(&alice, "delete", json!({"subscriptionID": "titled"})).await;
    assert!(create_note(&alice, &inbox, "b3", "b").await.is_empty());
}
