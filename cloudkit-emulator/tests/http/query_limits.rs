//! Queries are capped: filters, sort descriptors and list operands (issue #16, items 10, 4).

use cloudkit_emulator::Environment;
use serde_json::json;

use crate::common::{Client, start};

fn title_is(title: &str) -> serde_json::Value {
    json!({"fieldName": "title", "comparator": "EQUALS",
        "fieldValue": {"type": "STRING", "value": title}})
}

fn query(filters: Vec<serde_json::Value>, sorts: Vec<serde_json::Value>) -> serde_json::Value {
    json!({"query": {"recordType": "Note", "filterBy": filters, "sortBy": sorts}})
}

#[tokio::test]
async fn filters_sorts_and_lists_are_capped() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let r = alice
        .post(
            "private",
            "records/modify",
            &json!({"operations": [{"operationType": "create", "record": {
                "recordType": "Note", "recordName": "n1",
                "fields": {"title": {"value": "v999"}}}}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);

    let r = alice
        .post(
            "private",
            "records/query",
            &query(vec![title_is("v999"); 101], vec![]),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.json);
    assert_eq!(r.code(), "BAD_REQUEST");
    let r = alice
        .post(
            "private",
            "records/query",
            &query(vec![title_is("v999"); 100], vec![]),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["records"].as_array().map(Vec::len), Some(1));

    let sort = json!({"fieldName": "title", "ascending": true});
    let r = alice
        .post("private", "records/query", &query(vec![], vec![sort; 11]))
        .await;
    assert_eq!(r.status, 400, "{}", r.json);
    assert_eq!(r.code(), "BAD_REQUEST");

    let values = |n: usize| -> Vec<String> { (0..n).map(|i| format!("v{i}")).collect() };
    let within = |n: usize| {
        json!({"fieldName": "title", "comparator": "IN",
            "fieldValue": {"type": "STRING_LIST", "value": values(n)}})
    };
    let r = alice
        .post(
            "private",
            "records/query",
            &query(vec![within(1_001)], vec![]),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.json);
    assert_eq!(r.code(), "BAD_REQUEST");
    let r = alice
        .post(
            "private",
            "records/query",
            &query(vec![within(1_000)], vec![]),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["records"].as_array().map(Vec::len), Some(1));
    let not_in = json!({"fieldName": "title", "comparator": "NOT_IN",
        "fieldValue": {"type": "STRING_LIST", "value": values(999)}});
    let r = alice
        .post("private", "records/query", &query(vec![not_in], vec![]))
        .await;
    assert_eq!(r.json["records"].as_array().map(Vec::len), Some(1));

    // the same caps hold for a subscription's query
    let r = alice
        .post(
            "private",
            "subscriptions/modify",
            &json!({"operations": [{"operationType": "create", "subscription": {
                "subscriptionID": "many", "subscriptionType": "query",
                "query": {"recordType": "Note", "filterBy": vec![title_is("x"); 101]},
                "firesOn": ["create"]}}]}),
        )
        .await;
    assert_eq!(r.item_code("subscriptions", 0), "BAD_REQUEST", "{}", r.json);
    emu.shutdown().await;
}
