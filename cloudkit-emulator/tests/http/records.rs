use cloudkit_emulator::Environment;
use cloudkit_wire::ZoneId;
use cloudkit_wire::ws::{
    FieldValue, LookupRecordsRequest, ModifyRecordsRequest, Record, RecordEntry, RecordLookup,
    RecordOperation, RecordOperationType as Op, RecordsResponse, Value, ZoneOperation,
    ZonesModifyRequest,
};
use serde_json::json;

use crate::common::{Client, redacted, start};

pub fn note(name: &str, title: &str) -> Record {
    Record::named("Note", name)
        .with_field("title", FieldValue::new(Value::String(title.to_owned())))
}

pub fn modify(
    ops: Vec<RecordOperation>,
    zone: Option<&str>,
    atomic: Option<bool>,
) -> ModifyRecordsRequest {
    ModifyRecordsRequest {
        operations: ops,
        zone_id: zone.map(ZoneId::new),
        atomic,
        ..ModifyRecordsRequest::default()
    }
}

pub fn op(kind: Op, record: Record) -> RecordOperation {
    RecordOperation::new(kind, record)
}

pub fn tag_of(reply: &crate::common::Reply, i: usize) -> String {
    reply.json["records"][i]["recordChangeTag"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

pub async fn create_zone(client: &Client, name: &str) {
    let r = client
        .post(
            "private",
            "zones/modify",
            &ZonesModifyRequest {
                operations: vec![ZoneOperation::create(ZoneId::new(name))],
            },
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.item_code("zones", 0), "", "{}", r.json);
}

#[tokio::test]
async fn create_lookup_and_snapshot() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let rec = note("n1", "Shopping")
        .with_field(
            "tags",
            FieldValue::new(Value::StringList(vec!["home".into(), "errands".into()])),
        )
        .with_field(
            "due",
            FieldValue::new(Value::Timestamp(cloudkit_wire::Timestamp::from_millis(
                1_700_000_000_000,
            ))),
        );
    let r = alice
        .post(
            "public",
            "records/modify",
            &modify(vec![op(Op::Create, rec)], None, None),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let decoded: RecordsResponse = r.decode();
    assert!(matches!(decoded.records[0], Ok(RecordEntry::Record(_))));
    redacted().bind(|| insta::assert_json_snapshot!("modify_create", r.json));

    let anon = Client::anonymous(&emu);
    let lookup = LookupRecordsRequest {
        records: vec![RecordLookup::new("n1"), RecordLookup::new("missing")],
        desired_keys: Some(vec!["title".into()]),
        ..LookupRecordsRequest::default()
    };
    let r = anon.post("public", "records/lookup", &lookup).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json["records"][0]["fields"],
        json!({"title": {"value": "Shopping", "type": "STRING"}})
    );
    assert_eq!(r.item_code("records", 1), "NOT_FOUND");
    assert_eq!(r.json["records"][1]["recordName"], "missing");
    redacted().bind(|| insta::assert_json_snapshot!("lookup_with_missing", r.json));
    emu.shutdown().await;
}

#[tokio::test]
async fn change_tags_conflicts_and_every_operation_type() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let create = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::Create, note("a", "one"))], None, None),
        )
        .await;
    let tag1 = tag_of(&create, 0);
    assert!(!tag1.is_empty());

    // create again: EXISTS
    let again = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::Create, note("a", "x"))], None, None),
        )
        .await;
    assert_eq!(again.item_code("records", 0), "EXISTS");

    // update with the right tag merges fields
    let mut upd = Record {
        record_name: Some("a".into()),
        record_change_tag: Some(tag1.clone()),
        ..Record::default()
    };
    upd.fields
        .insert("body", FieldValue::new(Value::String("text".into())));
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::Update, upd.clone())], None, None),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let tag2 = tag_of(&r, 0);
    assert_ne!(tag1, tag2);
    assert_eq!(r.json["records"][0]["fields"]["title"]["value"], "one");
    assert_eq!(r.json["records"][0]["fields"]["body"]["value"], "text");

    // the same update again with the stale tag: CONFLICT, nothing written
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::Update, upd)], None, None),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "CONFLICT");
    assert_eq!(r.json["records"][0]["recordName"], "a");

    // update without a tag: BAD_REQUEST
    let no_tag = Record {
        record_name: Some("a".into()),
        ..Record::default()
    };
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::Update, no_tag)], None, None),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST");

    // replace clears fields not sent
    let rep = Record {
        record_name: Some("a".into()),
        record_change_tag: Some(tag2.clone()),
        ..Record::default()
    }
    .with_field("title", FieldValue::new(Value::String("two".into())));
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::Replace, rep)], None, None),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    assert!(r.json["records"][0]["fields"].get("body").is_none());
    let tag3 = tag_of(&r, 0);

    // forceUpdate ignores the tag and creates when missing
    let fu = note("b", "forced");
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::ForceUpdate, fu)], None, None),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let stale = Record {
        record_name: Some("a".into()),
        record_change_tag: Some(tag1.clone()),
        ..Record::default()
    }
    .with_field("body", FieldValue::new(Value::String("forced body".into())));
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::ForceUpdate, stale)], None, None),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    assert_eq!(r.json["records"][0]["fields"]["title"]["value"], "two");

    // forceReplace creates and replaces
    let fr = note("c", "fr");
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::ForceReplace, fr)], None, None),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);

    // delete with a stale tag: CONFLICT; with the current tag: tombstone
    let del_stale = Record {
        record_name: Some("a".into()),
        record_change_tag: Some(tag3),
        ..Record::default()
    };
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::Delete, del_stale)], None, None),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "CONFLICT");
    let lookup = LookupRecordsRequest {
        records: vec![RecordLookup::new("a")],
        ..LookupRecordsRequest::default()
    };
    let current = alice.post("private", "records/lookup", &lookup).await;
    let tag = tag_of(&current, 0);
    let del = Record {
        record_name: Some("a".into()),
        record_change_tag: Some(tag),
        ..Record::default()
    };
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::Delete, del)], None, None),
        )
        .await;
    assert_eq!(r.json["records"][0]["deleted"], true, "{}", r.json);
    redacted().bind(|| insta::assert_json_snapshot!("modify_delete_tombstone", r.json));

    // forceDelete needs no tag; a missing record is NOT_FOUND
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(
                vec![
                    op(
                        Op::ForceDelete,
                        Record {
                            record_name: Some("b".into()),
                            ..Record::default()
                        },
                    ),
                    op(
                        Op::ForceDelete,
                        Record {
                            record_name: Some("zzz".into()),
                            ..Record::default()
                        },
                    ),
                ],
                None,
                None,
            ),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "");
    assert_eq!(r.item_code("records", 1), "NOT_FOUND");
    let r = alice
        .post(
            "private",
            "records/lookup",
            &LookupRecordsRequest {
                records: vec![
                    RecordLookup::new("a"),
                    RecordLookup::new("b"),
                    RecordLookup::new("c"),
                ],
                ..LookupRecordsRequest::default()
            },
        )
        .await;
    assert_eq!(r.item_code("records", 0), "NOT_FOUND");
    assert_eq!(r.item_code("records", 1), "NOT_FOUND");
    assert_eq!(r.item_code("records", 2), "");
    emu.shutdown().await;
}

#[tokio::test]
async fn atomic_batches_in_custom_zones_apply_nothing_on_failure() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    create_zone(&alice, "Notes").await;
    let ok = alice
        .post(
            "private",
            "records/modify",
            &modify(
                vec![op(Op::Create, note("x", "1"))],
                Some("Notes"),
                Some(true),
            ),
        )
        .await;
    assert_eq!(ok.item_code("records", 0), "");
    assert_eq!(ok.json["records"][0]["zoneID"]["zoneName"], "Notes");
    let batch = modify(
        vec![
            op(Op::Create, note("y", "2")),
            op(Op::Create, note("x", "dup")),
        ],
        Some("Notes"),
        Some(true),
    );
    let r = alice.post("private", "records/modify", &batch).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.item_code("records", 0), "ATOMIC_ERROR");
    assert_eq!(r.item_code("records", 1), "EXISTS");
    redacted().bind(|| insta::assert_json_snapshot!("modify_atomic_error", r.json));
    let lookup = LookupRecordsRequest {
        records: vec![RecordLookup::new("y")],
        zone_id: Some(ZoneId::new("Notes")),
        ..LookupRecordsRequest::default()
    };
    let r = alice.post("private", "records/lookup", &lookup).await;
    assert_eq!(
        r.item_code("records", 0),
        "NOT_FOUND",
        "atomic failure must apply nothing"
    );

    // non-atomic: the good one is applied
    let batch = modify(
        vec![
            op(Op::Create, note("y", "2")),
            op(Op::Create, note("x", "dup")),
        ],
        Some("Notes"),
        Some(false),
    );
    let r = alice.post("private", "records/modify", &batch).await;
    assert_eq!(r.item_code("records", 0), "");
    assert_eq!(r.item_code("records", 1), "EXISTS");

    // the default zone is never atomic
    let batch = modify(
        vec![
            op(Op::Create, note("d1", "1")),
            op(Op::Create, note("d1", "again")),
        ],
        None,
        Some(true),
    );
    let r = alice.post("private", "records/modify", &batch).await;
    assert_eq!(r.item_code("records", 0), "");
    assert_eq!(r.item_code("records", 1), "BAD_REQUEST", "{}", r.json);
    emu.shutdown().await;
}

#[tokio::test]
async fn limits_untyped_values_and_server_assigned_names() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    // 201 operations: whole-request BAD_REQUEST
    let ops = (0..201)
        .map(|i| op(Op::Create, note(&format!("n{i}"), "t")))
        .collect();
    let r = alice
        .post("private", "records/modify", &modify(ops, None, None))
        .await;
    assert_eq!((r.status.as_u16(), r.code()), (400, "BAD_REQUEST"));
    // 200 is fine
    let ops = (0..200)
        .map(|i| op(Op::Create, note(&format!("n{i}"), "t")))
        .collect();
    let r = alice
        .post("private", "records/modify", &modify(ops, None, None))
        .await;
    assert_eq!(r.status, 200);
    // a record over 1 MB
    let big = note("big", &"x".repeat(1024 * 1024 + 10));
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::Create, big)], None, None),
        )
        .await;
    assert_eq!(
        r.item_code("records", 0),
        "QUOTA_EXCEEDED",
        "{}",
        r.json["records"][0]["reason"]
    );
    // CloudKit JS style: untyped values, ISO-8601 timestamps, no recordName
    let body = r#"{"operations":[{"operationType":"create","record":{"recordType":"Note","fields":{
        "title":{"value":"Hello"},"tags":{"value":["a","b"]},"priority":{"value":1},"score":{"value":2},
        "place":{"value":{"latitude":1.5,"longitude":2.5}},"due":{"value":"2023-11-14T22:13:20.000Z","type":"TIMESTAMP"},
        "folder":{"value":{"recordName":"f1","action":"NONE"}}}}}]}"#;
    let r = alice.post_raw("private", "records/modify", body).await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let rec = &r.json["records"][0];
    assert_eq!(
        rec["fields"]["due"],
        json!({"value": 1_700_000_000_000_i64, "type": "TIMESTAMP"})
    );
    assert_eq!(
        rec["fields"]["score"],
        json!({"value": 2.0, "type": "DOUBLE"})
    );
    assert_eq!(rec["fields"]["tags"]["type"], "STRING_LIST");
    assert_eq!(rec["fields"]["place"]["type"], "LOCATION");
    assert_eq!(rec["recordName"].as_str().map(str::len), Some(36));
    // wrong types
    let body = r#"{"operations":[{"operationType":"create","record":{"recordType":"Note","recordName":"w","fields":{"priority":{"value":"high"}}}}]}"#;
    let r = alice.post_raw("private", "records/modify", body).await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST");
    let body = r#"{"operations":[{"operationType":"create","record":{"recordType":"Note","recordName":"w","fields":{"priority":{"value":1.5,"type":"DOUBLE"}}}}]}"#;
    let r = alice.post_raw("private", "records/modify", body).await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST");
    let body = r#"{"operations":[{"operationType":"create","record":{"recordType":"Note","recordName":"w","fields":{"title":{"value":"x","type":"LIST"}}}}]}"#;
    let r = alice.post_raw("private", "records/modify", body).await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST");
    // encrypted fields: flag required on the encrypted field, refused on a plain one
    let body = r#"{"operations":[{"operationType":"create","record":{"recordType":"Note","recordName":"e","fields":{"secret":{"value":"s","type":"STRING","isEncrypted":true}}}}]}"#;
    let r = alice.post_raw("private", "records/modify", body).await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    assert_eq!(
        r.json["records"][0]["fields"]["secret"]["isEncrypted"],
        true
    );
    let body = r#"{"operations":[{"operationType":"create","record":{"recordType":"Note","recordName":"e2","fields":{"title":{"value":"s","type":"STRING","isEncrypted":true}}}}]}"#;
    let r = alice.post_raw("private", "records/modify", body).await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST");
    emu.shutdown().await;
}

#[tokio::test]
async fn numbers_as_strings() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let rec = Record::named("Note", "big").with_field(
        "priority",
        FieldValue::new(Value::Int64(9_007_199_254_740_993)),
    );
    alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::Create, rec)], None, None),
        )
        .await;
    let lookup = LookupRecordsRequest {
        records: vec![RecordLookup::new("big")],
        numbers_as_strings: Some(true),
        ..LookupRecordsRequest::default()
    };
    let r = alice.post("private", "records/lookup", &lookup).await;
    assert_eq!(
        r.json["records"][0]["fields"]["priority"],
        json!({"value": "9007199254740993", "type": "INT64"})
    );
    let decoded: RecordsResponse = r.decode();
    let Ok(RecordEntry::Record(rec)) = &decoded.records[0] else {
        panic!("{}", r.json)
    };
    assert_eq!(
        rec.fields.get("priority").map(|f| &f.value),
        Some(&Value::Int64(9_007_199_254_740_993))
    );
    let plain = LookupRecordsRequest {
        records: vec![RecordLookup::new("big")],
        ..LookupRecordsRequest::default()
    };
    let r = alice.post("private", "records/lookup", &plain).await;
    assert_eq!(
        r.json["records"][0]["fields"]["priority"]["value"].as_i64(),
        Some(9_007_199_254_740_993)
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn reference_actions_validate_and_delete_self() {
    use cloudkit_wire::{Reference, ReferenceAction};
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    create_zone(&alice, "Notes").await;
    let folder = Record::named("Folder", "f1");
    let reference = |target: &str, action| {
        FieldValue::new(Value::from(
            Reference::<()>::new(target).with_action(action),
        ))
    };
    let owned = note("owned", "goes with the folder")
        .with_field("folder", reference("f1", ReferenceAction::DeleteSelf));
    let guarded = note("guarded", "keeps g1 alive")
        .with_field("folder", reference("g1", ReferenceAction::Validate));
    let dangling =
        note("dangling", "x").with_field("folder", reference("nope", ReferenceAction::Validate));
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(
                vec![
                    op(Op::Create, folder),
                    op(Op::Create, Record::named("Folder", "g1")),
                    op(Op::Create, owned),
                    op(Op::Create, guarded),
                    op(Op::Create, dangling),
                ],
                Some("Notes"),
                Some(false),
            ),
        )
        .await;
    assert_eq!(r.item_code("records", 2), "", "{}", r.json);
    assert_eq!(r.item_code("records", 3), "");
    assert_eq!(r.item_code("records", 4), "VALIDATING_REFERENCE_ERROR");
    // g1 cannot go while "guarded" points at it with VALIDATE
    let del = |name: &str| {
        op(
            Op::ForceDelete,
            Record {
                record_name: Some(name.into()),
                ..Record::default()
            },
        )
    };
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![del("g1")], Some("Notes"), Some(false)),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "VALIDATING_REFERENCE_ERROR");
    // deleting f1 takes "owned" with it
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![del("f1")], Some("Notes"), Some(false)),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "");
    let look = LookupRecordsRequest {
        records: vec![
            RecordLookup::new("owned"),
            RecordLookup::new("guarded"),
            RecordLookup::new("g1"),
        ],
        zone_id: Some(ZoneId::new("Notes")),
        ..LookupRecordsRequest::default()
    };
    let r = alice.post("private", "records/lookup", &look).await;
    assert_eq!(
        r.item_code("records", 0),
        "NOT_FOUND",
        "DELETE_SELF source survived"
    );
    assert_eq!(r.item_code("records", 1), "");
    assert_eq!(r.item_code("records", 2), "");
    // once the source is gone, the target can go
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(vec![del("guarded"), del("g1")], Some("Notes"), Some(true)),
        )
        .await;
    assert_eq!(
        (r.item_code("records", 0), r.item_code("records", 1)),
        ("", ""),
        "{}",
        r.json
    );
    emu.shutdown().await;
}
