//! An asset belongs to the database, zone and record that uploaded it: quoting its checksum
//! elsewhere, or rereferencing a record one may not read, reaches nothing (issue #16, items
//! 6 and 14).

use cloudkit_emulator::Environment;
use serde_json::json;

use crate::common::{Client, start};

/// Uploads `bytes` for field `file` of record `record_name` and saves the record; returns the
/// saved field value.
async fn upload_and_save(
    client: &Client,
    db: &str,
    record_type: &str,
    record_name: &str,
    bytes: &'static [u8],
) -> serde_json::Value {
    let r = client
        .post(
            db,
            "assets/upload",
            &json!({"tokens": [{"recordType": record_type, "recordName": record_name, "fieldName": "file"}]}),
        )
        .await;
    let url = r.json["tokens"][0]["url"]
        .as_str()
        .unwrap_or_else(|| panic!("no upload URL: {}", r.json))
        .to_owned();
    let uploaded: serde_json::Value = client
        .http
        .post(url)
        .body(bytes)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let r = client
        .post(
            db,
            "records/modify",
            &json!({"operations": [{"operationType": "create", "record": {
                "recordType": record_type, "recordName": record_name,
                "fields": {"file": {"type": "ASSETID", "value": uploaded["singleFile"]}}}}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    r.json["records"][0]["fields"]["file"]["value"].clone()
}

#[tokio::test]
async fn a_checksum_alone_does_not_reach_another_users_asset() {
    let emu = start(Environment::Development).await;
    let bob = Client::user(&emu, "bob");
    let alice = Client::user(&emu, "alice");
    let saved = upload_and_save(&bob, "private", "Note", "b1", b"bob's private bytes").await;
    let quoted = json!({"fileChecksum": saved["fileChecksum"], "size": saved["size"]});
    let r = alice
        .post(
            "private",
            "records/modify",
            &json!({"operations": [{"operationType": "create", "record": {
                "recordType": "Note", "recordName": "a1",
                "fields": {"file": {"type": "ASSETID", "value": quoted}}}}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST", "{}", r.json);
    // nor in another record of bob's own: that takes assets/rereference
    let r = bob
        .post(
            "private",
            "records/modify",
            &json!({"operations": [{"operationType": "create", "record": {
                "recordType": "Note", "recordName": "b2",
                "fields": {"file": {"type": "ASSETID", "value": quoted}}}}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST", "{}", r.json);
    // the value read back and saved again on its own record is kept
    let r = bob
        .post(
            "private",
            "records/modify",
            &json!({"operations": [{"operationType": "forceUpdate", "record": {
                "recordType": "Note", "recordName": "b1",
                "fields": {"file": {"type": "ASSETID", "value": saved}}}}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    assert_eq!(
        r.json["records"][0]["fields"]["file"]["value"]["fileChecksum"],
        saved["fileChecksum"]
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn rereference_needs_read_access_to_the_source() {
    let emu = start(Environment::Development).await;
    let bob = Client::user(&emu, "bob");
    let alice = Client::user(&emu, "alice");
    // Diary records are readable by their creator only.
    upload_and_save(&bob, "public", "Diary", "d1", b"bob's diary").await;
    let ask = json!({"assets": [{"recordName": "d1", "fieldName": "file"}]});
    let r = alice.post("public", "assets/rereference", &ask).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.item_code("assets", 0), "NOT_FOUND", "{}", r.json);
    let missing = alice
        .post(
            "public",
            "assets/rereference",
            &json!({"assets": [{"recordName": "nope", "fieldName": "file"}]}),
        )
        .await;
    assert_eq!(
        r.json["assets"][0]["reason"], missing.json["assets"][0]["reason"],
        "an unreadable record answers like a missing one"
    );
    let r = bob.post("public", "assets/rereference", &ask).await;
    assert_eq!(r.item_code("assets", 0), "", "{}", r.json);
    emu.shutdown().await;
}
