//! Subscriptions are matched after the write's transaction, outside the store lock (issue #16,
//! item 5); concurrent writes must still notify in the order they were made, and a `firesOnce`
//! subscription must still fire once.

use cloudkit_emulator::Environment;
use serde_json::{Value, json};

use crate::common::{Client, start};
use crate::push_payloads::next_payload;
use crate::subscription_grants::courier;

const WRITERS: usize = 6;
const WRITES: usize = 8;

async fn subscribe(client: &Client, id: &str, fires_once: bool) {
    let r = client
        .post(
            "public",
            "subscriptions/modify",
            &json!({"operations": [{"operationType": "create", "subscription": {
                "subscriptionID": id, "subscriptionType": "query", "firesOn": ["create"],
                "firesOnce": fires_once, "query": {"recordType": "Note"}}}]}),
        )
        .await;
    assert_eq!(r.item_code("subscriptions", 0), "", "{}", r.json);
}

/// Every writer creates `WRITES` notes one after another, all writers at once; the change tag
/// of each note by name.
async fn write_concurrently(emu: &cloudkit_emulator::Emulator) -> Vec<(String, String)> {
    let tasks: Vec<_> = (0..WRITERS)
        .map(|w| {
            let client = Client::user(emu, &format!("writer{w}"));
            tokio::spawn(async move {
                let mut tags = Vec::new();
                for i in 0..WRITES {
                    let name = format!("w{w}-{i}");
                    let r = client
                        .post(
                            "public",
                            "records/modify",
                            &json!({"operations": [{"operationType": "create", "record": {
                                "recordType": "Note", "recordName": name}}]}),
                        )
                        .await;
                    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
                    let tag = r.json["records"][0]["recordChangeTag"].as_str();
                    tags.push((name, tag.unwrap_or_default().to_owned()));
                }
                tags
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap_or_else(|e| panic!("{e}")));
    }
    all
}

async fn pushed(client: &Client, inbox: &str) -> Vec<Value> {
    let mut out = Vec::new();
    while let Some(p) = next_payload(client, inbox).await {
        out.push(p);
    }
    out
}

#[tokio::test]
async fn concurrent_writes_notify_in_the_order_they_were_made() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let inbox = courier(&alice).await;
    subscribe(&alice, "notes", false).await;
    let mut written = write_concurrently(&emu).await;
    // The emulator's change tags are its change sequence in base 36: the commit order.
    written.sort_by_key(|(_, tag)| i64::from_str_radix(tag, 36).unwrap_or(i64::MAX));
    let heard: Vec<String> = pushed(&alice, &inbox)
        .await
        .iter()
        .map(|p| {
            p["ck"]["qry"]["rid"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    let made: Vec<String> = written.into_iter().map(|(name, _)| name).collect();
    assert_eq!(heard, made);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_fires_once_subscription_fires_once_under_concurrent_writes() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let inbox = courier(&alice).await;
    subscribe(&alice, "once", true).await;
    write_concurrently(&emu).await;
    let heard = pushed(&alice, &inbox).await;
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert_eq!(heard[0]["ck"]["qry"]["sid"], "once");
    let r = alice
        .post(
            "public",
            "subscriptions/lookup",
            &json!({"subscriptions": [{"subscriptionID": "once"}]}),
        )
        .await;
    assert_eq!(r.item_code("subscriptions", 0), "NOT_FOUND", "{}", r.json);
    emu.shutdown().await;
}
