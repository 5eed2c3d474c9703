//! What a push carries (issue #17, items 5 and 6): the subscription's `notificationInfo` as
//! `aps` (and `ck.qry.af`), and database subscriptions firing with a `ck.met` payload.

use cloudkit_emulator::Environment;
use serde_json::{Value, json};

use crate::common::{Client, start};
use crate::subscription_grants::courier;

/// The next queued payload, if any (no waiting).
pub async fn next_payload(client: &Client, courier: &str) -> Option<Value> {
    let response = client
        .http
        .get(format!("{courier}?timeout=0"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    if response.status() == 204 {
        return None;
    }
    Some(response.json().await.unwrap_or_else(|e| panic!("{e}")))
}

pub async fn subscribe(client: &Client, db: &str, subscription: Value) {
    let r = client
        .post(
            db,
            "subscriptions/modify",
            &json!({"operations": [{"operationType": "create", "subscription": subscription}]}),
        )
        .await;
    assert_eq!(r.item_code("subscriptions", 0), "", "{}", r.json);
}

#[tokio::test]
async fn notification_info_becomes_aps() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let inbox = courier(&alice).await;
    subscribe(
        &alice,
        "public",
        json!({"subscriptionID": "notes", "subscriptionType": "query",
            "query": {"recordType": "Note"}, "firesOn": ["create"],
            "notificationInfo": {"alertBody": "a note", "alertLocalizationKey": "NOTE_KEY",
                "alertLocalizationArgs": ["title"], "soundName": "ping.aiff", "shouldBadge": true,
                "shouldSendContentAvailable": true, "category": "NOTES",
                "additionalFields": ["title", "missing"]}}),
    )
    .await;
    subscribe(
        &alice,
        "public",
        json!({"subscriptionID": "plain", "subscriptionType": "query",
            "query": {"recordType": "Folder"}, "firesOn": ["create"]}),
    )
    .await;
    let r = alice
        .post(
            "public",
            "records/modify",
            &json!({"operations": [
                {"operationType": "create", "record": {"recordType": "Note", "recordName": "n1",
                    "fields": {"title": {"value": "Shopping"}}}},
                {"operationType": "create", "record": {"recordType": "Folder", "recordName": "f1",
                    "fields": {}}}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let payload = next_payload(&alice, &inbox).await.unwrap_or_default();
    assert_eq!(
        payload["aps"],
        json!({"alert": {"body": "a note", "loc-key": "NOTE_KEY", "loc-args": ["title"]},
            "sound": "ping.aiff", "badge": 1, "category": "NOTES", "content-available": 1}),
        "{payload}"
    );
    assert_eq!(
        payload["ck"]["qry"]["af"],
        json!({"title": "Shopping"}),
        "{payload}"
    );
    // A subscription without notificationInfo has no aps.
    let payload = next_payload(&alice, &inbox).await.unwrap_or_default();
    assert_eq!(payload["ck"]["qry"]["rid"], "f1", "{payload}");
    assert!(payload.get("aps").is_none(), "{payload}");
    emu.shutdown().await;
}

#[tokio::test]
async fn database_subscriptions_fire_on_changes_in_any_zone() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let bob = Client::user(&emu, "bob");
    let inbox = courier(&alice).await;
    subscribe(
        &alice,
        "private",
        json!({"subscriptionID": "everything", "subscriptionType": "database"}),
    )
    .await;
    let r = alice
        .post(
            "private",
            "zones/modify",
            &json!({"operations": [{"operationType": "create", "zone": {"zoneID": {"zoneName": "work"}}}]}),
        )
        .await;
    assert_eq!(r.item_code("zones", 0), "", "{}", r.json);
    let create = json!({"operations": [{"operationType": "create", "record": {
        "recordType": "Note", "recordName": "w1", "fields": {}}}], "zoneID": {"zoneName": "work"}});
    let r = alice.post("private", "records/modify", &create).await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let payload = next_payload(&alice, &inbox).await.unwrap_or_default();
    assert_eq!(payload["ck"]["met"]["sid"], "everything", "{payload}");
    assert!(payload["ck"]["met"]["dbs"].is_i64(), "{payload}");
    // CloudKit JS reads only `qry` and `fet`: the zone that changed is there too.
    assert_eq!(payload["ck"]["fet"]["zid"], "work", "{payload}");
    assert_eq!(payload["ck"]["fet"]["sid"], "everything", "{payload}");
    // Another user's database is not alice's.
    let r = bob
        .post(
            "private",
            "records/modify",
            &json!({"operations": [{"operationType": "create", "record": {
                "recordType": "Note", "recordName": "b1", "fields": {}}}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    assert_eq!(next_payload(&alice, &inbox).await, None);
    emu.shutdown().await;
}
