//! Names from requests are checked before anything is stored (issue #16, items 1, 13, 16).

use cloudkit_emulator::{Emulator, Environment};
use serde_json::json;

use crate::common::{CONTAINER, Client, start};

fn create(record_type: &str, record_name: &str, fields: serde_json::Value) -> serde_json::Value {
    json!({"operations": [{"operationType": "create", "record": {
        "recordType": record_type, "recordName": record_name, "fields": fields}}]})
}

#[tokio::test]
async fn record_type_names_cannot_carry_schema_text() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("names.sqlite");
    let emu = Emulator::builder()
        .container(CONTAINER)
        .data_file(&path)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let alice = Client::user(&emu, "alice");
    for bad in [
        "Evil (\n x STRING ,\n GRANT WRITE TO \"_world\"",
        "Quote\"d",
        "Line\nbreak",
        "has space",
        "9lives",
        &"T".repeat(256),
    ] {
        let r = alice
            .post("private", "records/modify", &create(bad, "r1", json!({})))
            .await;
        assert_eq!(r.status, 200, "{}", r.json);
        assert_eq!(
            r.item_code("records", 0),
            "BAD_REQUEST",
            "{bad:?}: {}",
            r.json
        );
    }
    // a good name still grows the schema, and the file starts again with it
    let r = alice
        .post(
            "private",
            "records/modify",
            &create("Gadget", "g1", json!({"name": {"value": "x"}})),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let exported = emu.export_schema();
    assert!(!exported.contains("Evil"), "{exported}");
    emu.shutdown().await;
    let again = Emulator::builder()
        .container(CONTAINER)
        .data_file(&path)
        .start()
        .await
        .unwrap_or_else(|e| panic!("the data file does not start again: {e}"));
    assert_eq!(again.export_schema(), exported);
    again.shutdown().await;
}

#[tokio::test]
async fn a_huge_field_name_is_refused_and_growth_goes_on() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let huge = "f".repeat(100 * 1024);
    let r = alice
        .post(
            "private",
            "records/modify",
            &create("Gadget", "g1", json!({huge.clone(): {"value": "x"}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST", "{}", r.json);
    let reason = r.json["records"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.len() < 300, "the reason repeats the whole name");
    // nothing was committed: the record does not exist and later growth works
    let r = alice
        .post(
            "private",
            "records/lookup",
            &json!({"records": [{"recordName": "g1"}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "NOT_FOUND", "{}", r.json);
    let r = alice
        .post(
            "private",
            "records/modify",
            &create("Gadget", "g2", json!({"colour": {"value": "red"}})),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    emu.shutdown().await;
}

#[tokio::test]
async fn record_zone_and_subscription_names_are_capped() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let long = "n".repeat(256);
    let r = alice
        .post(
            "private",
            "records/modify",
            &create("Note", &long, json!({})),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST", "{}", r.json);
    let r = alice
        .post(
            "private",
            "records/modify",
            &create("Note", "ctl\u{1}name", json!({})),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST", "{}", r.json);
    let r = alice
        .post(
            "private",
            "records/lookup",
            &json!({"records": [{"recordName": long}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST", "{}", r.json);
    // 255 characters are fine
    let r = alice
        .post(
            "private",
            "records/modify",
            &create("Note", &"n".repeat(255), json!({})),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);

    let r = alice
        .post(
            "private",
            "zones/modify",
            &json!({"operations": [{"operationType": "create", "zone": {"zoneID": {"zoneName": long}}}]}),
        )
        .await;
    assert_eq!(r.item_code("zones", 0), "BAD_REQUEST", "{}", r.json);
    let r = alice
        .post(
            "private",
            "zones/modify",
            &json!({"operations": [{"operationType": "create", "zone": {"zoneID": {"zoneName": "_system"}}}]}),
        )
        .await;
    assert_eq!(r.item_code("zones", 0), "BAD_REQUEST", "{}", r.json);
    let mut body = create("Note", "z1", json!({}));
    body["zoneID"] = json!({"zoneName": long});
    let r = alice.post("private", "records/modify", &body).await;
    assert_eq!(r.status, 400, "{}", r.json);
    assert_eq!(r.code(), "BAD_REQUEST");

    let r = alice
        .post(
            "private",
            "subscriptions/modify",
            &json!({"operations": [{"operationType": "create", "subscription": {
                "subscriptionID": long, "subscriptionType": "query",
                "query": {"recordType": "Note"}, "firesOn": ["create"]}}]}),
        )
        .await;
    assert_eq!(r.item_code("subscriptions", 0), "BAD_REQUEST", "{}", r.json);
    emu.shutdown().await;
}
