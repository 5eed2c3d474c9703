//! One query response carries at most about 8 MB of records; the rest follows by continuation
//! marker (issue #16, item 8).

use std::collections::HashSet;

use cloudkit_emulator::Environment;
use serde_json::json;

use crate::common::{Client, start};

async fn all_pages(client: &Client, query: serde_json::Value) -> (Vec<usize>, HashSet<String>) {
    let mut sizes = Vec::new();
    let mut names = HashSet::new();
    let mut marker: Option<String> = None;
    loop {
        let mut body = json!({"query": query});
        if let Some(m) = &marker {
            body["continuationMarker"] = json!(m);
        }
        let r = client.post("private", "records/query", &body).await;
        assert_eq!(r.status, 200, "{}", r.json);
        let records = r.json["records"].as_array().cloned().unwrap_or_default();
        sizes.push(records.len());
        for rec in records {
            names.insert(rec["recordName"].as_str().unwrap_or_default().to_owned());
        }
        match r.json["continuationMarker"].as_str() {
            Some(m) => marker = Some(m.to_owned()),
            None => return (sizes, names),
        }
        assert!(sizes.len() < 20, "too many pages: {sizes:?}");
    }
}

#[tokio::test]
async fn large_pages_end_early_with_a_marker() {
    const RECORDS: usize = 14;
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let body = "x".repeat(900 * 1024);
    for i in 0..RECORDS {
        let r = alice
            .post(
                "private",
                "records/modify",
                &json!({"operations": [{"operationType": "create", "record": {
                    "recordType": "Note", "recordName": format!("big{i:02}"),
                    "fields": {"title": {"value": format!("big {i}")}, "body": {"value": body}}}}]}),
            )
            .await;
        assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    }
    // answered in SQL
    let (sizes, names) = all_pages(&alice, json!({"recordType": "Note"})).await;
    assert!(sizes.len() > 1 && sizes[0] < RECORDS, "{sizes:?}");
    assert_eq!(names.len(), RECORDS);
    // answered in Rust (BEGINS_WITH is not an SQL condition)
    let filtered = json!({"recordType": "Note", "filterBy": [{"fieldName": "title",
        "comparator": "BEGINS_WITH", "fieldValue": {"type": "STRING", "value": "big"}}]});
    let (sizes, names) = all_pages(&alice, filtered).await;
    assert!(sizes.len() > 1 && sizes[0] < RECORDS, "{sizes:?}");
    assert_eq!(names.len(), RECORDS);
    emu.shutdown().await;
}
