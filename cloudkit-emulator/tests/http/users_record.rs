//! Every user of the app has a `Users` record in the public database, named by their user
//! record name (issue #17, item 4).

use cloudkit_emulator::Environment;
use serde_json::json;

use crate::common::{Client, start};

#[tokio::test]
async fn a_user_s_first_request_makes_their_users_record() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let bob = Client::user(&emu, "bob");
    let r = alice.get("public", "users/caller").await;
    assert_eq!(r.status, 200, "{}", r.json);
    let me = r.json["userRecordName"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(me.starts_with('_'), "{}", r.json);
    let lookup = json!({"records": [{"recordName": me}]});
    let r = alice.post("public", "records/lookup", &lookup).await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let record = &r.json["records"][0];
    assert_eq!(record["recordType"], "Users");
    assert_eq!(record["created"]["userRecordName"], me.as_str());
    // Others read it (the grants of a type the schema lacks: everyone reads) but cannot
    // change it; its owner can.
    let r = bob.post("public", "records/lookup", &lookup).await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let tag = r.json["records"][0]["recordChangeTag"].clone();
    let update = |tag: serde_json::Value| {
        json!({"operations": [{"operationType": "update", "record": {
            "recordName": me, "recordChangeTag": tag, "fields": {}}}]})
    };
    let r = bob
        .post("public", "records/modify", &update(tag.clone()))
        .await;
    assert_eq!(r.item_code("records", 0), "ACCESS_DENIED", "{}", r.json);
    let r = alice.post("public", "records/modify", &update(tag)).await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    // Someone who never called has none yet; an anonymous caller makes none.
    let carol = emu.user("carol").user_record_name;
    let r = Client::anonymous(&emu)
        .post(
            "public",
            "records/lookup",
            &json!({"records": [{"recordName": carol}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "NOT_FOUND", "{}", r.json);
    emu.shutdown().await;
}
