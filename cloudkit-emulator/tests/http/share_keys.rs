//! `parent` and `shortGUID` in record dictionaries (spec §4.1), over HTTP.

use cloudkit_emulator::Environment;
use serde_json::json;

use crate::common::{Client, start};
use crate::records::create_zone;

fn save(zone: &str, record: serde_json::Value) -> serde_json::Value {
    json!({"zoneID": {"zoneName": zone}, "operations": [
        {"operationType": "forceUpdate", "record": record}
    ]})
}

#[tokio::test]
async fn parent_is_stored_and_sent_back_on_save_and_lookup() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    create_zone(&alice, "Tree").await;
    let root = json!({"recordType": "Note", "recordName": "root", "fields": {}});
    let r = alice
        .post("private", "records/modify", &save("Tree", root))
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let child = json!({"recordType": "Note", "recordName": "leaf",
        "parent": {"recordName": "root"}, "fields": {}});
    let r = alice
        .post("private", "records/modify", &save("Tree", child))
        .await;
    assert_eq!(
        r.json["records"][0]["parent"],
        json!({"recordName": "root"}),
        "{}",
        r.json
    );
    // An update that does not name the parent keeps it.
    let update = json!({"recordType": "Note", "recordName": "leaf",
        "fields": {"title": {"value": "t"}}});
    let r = alice
        .post("private", "records/modify", &save("Tree", update))
        .await;
    assert_eq!(
        r.json["records"][0]["parent"]["recordName"], "root",
        "{}",
        r.json
    );
    let lookup = json!({"zoneID": {"zoneName": "Tree"}, "records": [{"recordName": "leaf"}, {"recordName": "root"}]});
    let r = alice.post("private", "records/lookup", &lookup).await;
    assert_eq!(
        r.json["records"][0]["parent"]["recordName"], "root",
        "{}",
        r.json
    );
    assert!(r.json["records"][1].get("parent").is_none(), "{}", r.json);
}

#[tokio::test]
async fn a_parent_in_another_zone_or_itself_is_refused() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    create_zone(&alice, "Tree").await;
    let elsewhere = json!({"recordType": "Note", "recordName": "a",
        "parent": {"recordName": "p", "zoneID": {"zoneName": "Other"}}});
    let r = alice
        .post("private", "records/modify", &save("Tree", elsewhere))
        .await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST", "{}", r.json);
    let itself = json!({"recordType": "Note", "recordName": "a", "parent": {"recordName": "a"}});
    let r = alice
        .post("private", "records/modify", &save("Tree", itself))
        .await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST", "{}", r.json);
    let hostile = json!({"recordType": "Note", "recordName": "a", "parent": {"recordName": ""}});
    let r = alice
        .post("private", "records/modify", &save("Tree", hostile))
        .await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST", "{}", r.json);
}

#[tokio::test]
async fn create_short_guid_gives_one_shortguid_that_stays() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    create_zone(&alice, "Tree").await;
    let plain = json!({"recordType": "Note", "recordName": "plain"});
    let r = alice
        .post("private", "records/modify", &save("Tree", plain))
        .await;
    assert!(
        r.json["records"][0].get("shortGUID").is_none(),
        "{}",
        r.json
    );
    let shareable = json!({"recordType": "Note", "recordName": "s", "createShortGUID": true});
    let r = alice
        .post(
            "private",
            "records/modify",
            &save("Tree", shareable.clone()),
        )
        .await;
    let guid = r.json["records"][0]["shortGUID"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(guid.len(), 25, "{}", r.json);
    assert!(guid.chars().all(|c| c.is_ascii_alphanumeric()), "{guid}");
    // Saving again, with or without the flag, keeps the same identifier.
    let r = alice
        .post("private", "records/modify", &save("Tree", shareable))
        .await;
    assert_eq!(
        r.json["records"][0]["shortGUID"],
        guid.as_str(),
        "{}",
        r.json
    );
    let lookup = json!({"zoneID": {"zoneName": "Tree"}, "records": [{"recordName": "s"}]});
    let r = alice.post("private", "records/lookup", &lookup).await;
    assert_eq!(
        r.json["records"][0]["shortGUID"],
        guid.as_str(),
        "{}",
        r.json
    );
}
