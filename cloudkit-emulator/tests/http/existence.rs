//! A record the caller may not read answers exactly like a missing one (issue #16, items 12
//! and 16).

use cloudkit_emulator::Environment;
use serde_json::json;

use crate::common::{Client, Reply, start};

fn answer(r: &Reply) -> (u16, String, String) {
    let e = &r.json["records"][0];
    (
        r.status.as_u16(),
        e["serverErrorCode"].as_str().unwrap_or_default().to_owned(),
        e["reason"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn unreadable_records_look_missing() {
    let emu = start(Environment::Development).await;
    let bob = Client::user(&emu, "bob");
    let alice = Client::user(&emu, "alice");
    // Diary records are readable by their creator only.
    let r = bob
        .post(
            "public",
            "records/modify",
            &json!({"operations": [{"operationType": "create", "record": {
                "recordType": "Diary", "recordName": "d1", "fields": {"text": {"value": "x"}}}}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let tag = r.json["records"][0]["recordChangeTag"].clone();

    let lookup = |name: &str| json!({"records": [{"recordName": name}]});
    let hidden = alice.post("public", "records/lookup", &lookup("d1")).await;
    let missing = alice
        .post("public", "records/lookup", &lookup("d404"))
        .await;
    assert_eq!(answer(&hidden).1, "NOT_FOUND", "{}", hidden.json);
    assert_eq!(answer(&hidden), answer(&missing));

    for (kind, with_tag) in [
        ("forceDelete", false),
        ("delete", true),
        ("update", true),
        ("replace", true),
    ] {
        let op = |name: &str| {
            let mut record = json!({"recordType": "Diary", "recordName": name});
            if with_tag {
                record["recordChangeTag"] = tag.clone();
            }
            json!({"operations": [{"operationType": kind, "record": record}]})
        };
        let hidden = alice.post("public", "records/modify", &op("d1")).await;
        let missing = alice.post("public", "records/modify", &op("d404")).await;
        assert_eq!(answer(&hidden).1, "NOT_FOUND", "{kind}: {}", hidden.json);
        assert_eq!(answer(&hidden), answer(&missing), "{kind}");
    }
    // the record is untouched and bob still reads it
    let r = bob.post("public", "records/lookup", &lookup("d1")).await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    assert_eq!(r.json["records"][0]["recordChangeTag"], tag);
    emu.shutdown().await;
}
