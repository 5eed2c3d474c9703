//! A continuation marker belongs to the query's meaning, not to the bytes of the request
//! (issue #17, item 1): CloudKit JS's `performQuery(previousResponse)` adds `zoneID`,
//! `numbersAsStrings` and `zoneWide` to a first request that had none of them.

use cloudkit_emulator::Environment;
use serde_json::{Value, json};

use crate::common::{Client, start};

async fn seed(alice: &Client) {
    let ops: Vec<Value> = (1..=5)
        .map(|i| {
            json!({"operationType": "create", "record": {
                "recordType": "Note", "recordName": format!("p{i}"),
                "fields": {"priority": {"value": i, "type": "INT64"}}}})
        })
        .collect();
    let r = alice
        .post("public", "records/modify", &json!({ "operations": ops }))
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
}

fn names(r: &crate::common::Reply) -> Vec<String> {
    r.json["records"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["recordName"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_next_page_request_of_cloudkit_js_is_the_same_query() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    seed(&alice).await;
    // The first page as CloudKit JS sends it: an untyped operand, no zone, no defaults.
    let query = json!({"recordType": "Note",
        "filterBy": [{"fieldName": "priority", "comparator": "GREATER_THAN", "fieldValue": {"value": 0}}],
        "sortBy": [{"fieldName": "priority"}]});
    let first = alice
        .post(
            "public",
            "records/query",
            &json!({"query": query, "resultsLimit": 2}),
        )
        .await;
    assert_eq!(names(&first), ["p1", "p2"], "{}", first.json);
    let marker = first.json["continuationMarker"].clone();
    assert!(marker.is_string(), "{}", first.json);
    // The next page as CloudKit JS rebuilds it from the response, with a typed operand too.
    let typed = json!({"recordType": "Note",
        "filterBy": [{"fieldName": "priority", "comparator": "GREATER_THAN",
                      "fieldValue": {"value": 0, "type": "INT64"}}],
        "sortBy": [{"fieldName": "priority", "ascending": true}]});
    let next = alice
        .post(
            "public",
            "records/query",
            &json!({"query": typed, "zoneID": {"zoneName": "_defaultZone"},
                    "numbersAsStrings": false, "zoneWide": false, "resultsLimit": 2,
                    "desiredKeys": ["priority"], "continuationMarker": marker}),
        )
        .await;
    assert_eq!(next.status, 200, "{}", next.json);
    assert_eq!(names(&next), ["p3", "p4"]);
    // A marker still belongs to its query: another filter, sort or zone refuses it.
    for other in [
        json!({"query": {"recordType": "Note",
            "filterBy": [{"fieldName": "priority", "comparator": "GREATER_THAN", "fieldValue": {"value": 1}}],
            "sortBy": [{"fieldName": "priority"}]}}),
        json!({"query": {"recordType": "Note",
            "filterBy": [{"fieldName": "priority", "comparator": "GREATER_THAN", "fieldValue": {"value": 0}}],
            "sortBy": [{"fieldName": "priority", "ascending": false}]}}),
        json!({"query": query, "zoneWide": true}),
    ] {
        let mut body = other;
        body["continuationMarker"] = marker.clone();
        let r = alice.post("public", "records/query", &body).await;
        assert_eq!(r.code(), "BAD_REQUEST", "{body}: {}", r.json);
    }
    emu.shutdown().await;
}
