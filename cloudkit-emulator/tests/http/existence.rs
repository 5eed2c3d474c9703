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

/// A record name is unique in its zone, whoever may read the record holding it (issue #16
/// follow-up): a create over a name taken by a record the caller may not read answers
/// `EXISTS`, exactly as over the caller's own record, and tells nothing else about it. The
/// name being taken cannot be hidden (the create cannot succeed), but its type, fields,
/// creator and change tag stay unread, and the record is left as it was.
#[tokio::test]
async fn creating_over_an_unreadable_record_answers_exists_and_nothing_more() {
    let emu = start(Environment::Development).await;
    let bob = Client::user(&emu, "bob");
    let alice = Client::user(&emu, "alice");
    let create = |name: &str, text: &str| {
        json!({"operations": [{"operationType": "create", "record": {
            "recordType": "Diary", "recordName": name, "fields": {"text": {"value": text}}}}]})
    };
    let r = bob
        .post("public", "records/modify", &create("d1", "bob's"))
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let tag = r.json["records"][0]["recordChangeTag"].clone();
    let r = alice
        .post("public", "records/modify", &create("a1", "alice's"))
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);

    let over_hidden = alice
        .post("public", "records/modify", &create("d1", "mine now"))
        .await;
    let over_own = alice
        .post("public", "records/modify", &create("a1", "again"))
        .await;
    assert_eq!(answer(&over_hidden).1, "EXISTS", "{}", over_hidden.json);
    assert_eq!(answer(&over_hidden), answer(&over_own));
    let mut keys: Vec<&String> = over_hidden.json["records"][0]
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    keys.sort();
    assert_eq!(
        keys,
        ["reason", "recordName", "serverErrorCode", "uuid"],
        "{}",
        over_hidden.json
    );
    let r = bob
        .post(
            "public",
            "records/lookup",
            &json!({"records": [{"recordName": "d1"}]}),
        )
        .await;
    assert_eq!(r.json["records"][0]["recordChangeTag"], tag, "{}", r.json);
    assert_eq!(
        r.json["records"][0]["fields"]["text"]["value"], "bob's",
        "{}",
        r.json
    );
    emu.shutdown().await;
}
