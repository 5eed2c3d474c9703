//! Query subscriptions obey the same read grants as queries (issue #16, item 3).

use cloudkit_emulator::Environment;
use serde_json::json;

use crate::common::{Client, start};

/// A web courier URL for the client's user.
pub async fn courier(client: &Client) -> String {
    let url = client
        .url("public", "tokens/create")
        .replace("/database/1/", "/device/1/")
        .replace("/public/tokens/", "/tokens/");
    let reply: serde_json::Value = client
        .http
        .post(url)
        .body(json!({"apnsEnvironment": "development"}).to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    reply["webcourierURL"]
        .as_str()
        .unwrap_or_else(|| panic!("no courier: {reply}"))
        .to_owned()
}

/// The record name of the next queued notification, if any (no waiting).
pub async fn next_record_name(client: &Client, courier: &str) -> Option<String> {
    let response = client
        .http
        .get(format!("{courier}?timeout=0"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    if response.status() == 204 {
        return None;
    }
    let payload: serde_json::Value = response.json().await.unwrap_or_else(|e| panic!("{e}"));
    payload["ck"]["qry"]["rid"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| panic!("not a query notification: {payload}"))
}

fn create_diary(name: &str) -> serde_json::Value {
    json!({"operations": [{"operationType": "create", "record": {
        "recordType": "Diary", "recordName": name, "fields": {"text": {"value": "dear diary"}}}}]})
}

#[tokio::test]
async fn subscribers_hear_only_of_records_they_may_read() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let bob = Client::user(&emu, "bob");
    let inbox = courier(&alice).await;
    // Diary records are readable by their creator only.
    let r = alice
        .post(
            "public",
            "subscriptions/modify",
            &json!({"operations": [{"operationType": "create", "subscription": {
                "subscriptionID": "diaries", "subscriptionType": "query",
                "query": {"recordType": "Diary"}, "firesOn": ["create"]}}]}),
        )
        .await;
    assert_eq!(r.item_code("subscriptions", 0), "", "{}", r.json);
    let r = bob
        .post("public", "records/modify", &create_diary("bobs"))
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let r = alice
        .post("public", "records/modify", &create_diary("alices"))
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    assert_eq!(
        next_record_name(&alice, &inbox).await.as_deref(),
        Some("alices")
    );
    assert_eq!(next_record_name(&alice, &inbox).await, None);
    emu.shutdown().await;
}
