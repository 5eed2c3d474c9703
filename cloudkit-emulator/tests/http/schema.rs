use cloudkit_emulator::{Emulator, Environment};
use cloudkit_wire::ws::{
    Comparator, FieldValue, Filter, Query, QueryRecordsRequest, Record, RecordOperationType as Op,
    Value,
};

use crate::common::{CONTAINER, Client, start};
use crate::records::{modify, op};

#[tokio::test]
async fn production_refuses_what_development_adds() {
    let emu = start(Environment::Production).await;
    let alice = Client::user(&emu, "alice").production();
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(
                vec![
                    op(Op::Create, Record::named("Gadget", "g1")),
                    op(
                        Op::Create,
                        Record::named("Note", "n1")
                            .with_field("colour", FieldValue::new(Value::String("red".into()))),
                    ),
                    op(
                        Op::Create,
                        Record::named("Note", "n2")
                            .with_field("priority", FieldValue::new(Value::String("high".into()))),
                    ),
                    op(
                        Op::Create,
                        Record::named("Note", "n3")
                            .with_field("priority", FieldValue::new(Value::Int64(3))),
                    ),
                ],
                None,
                None,
            ),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST");
    assert_eq!(r.item_code("records", 1), "BAD_REQUEST");
    assert_eq!(r.item_code("records", 2), "BAD_REQUEST");
    assert_eq!(r.item_code("records", 3), "");
    emu.shutdown().await;
}

#[tokio::test]
async fn development_grows_the_schema_and_exports_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("grow.sqlite");
    let emu = Emulator::builder()
        .container(CONTAINER)
        .data_file(&path)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let alice = Client::user(&emu, "alice");
    let body = r#"{"operations":[{"operationType":"create","record":{"recordType":"Gadget","recordName":"g1","fields":{
        "name":{"value":"Widget"},"weight":{"value":1.5},"count":{"value":3},"tags":{"value":["a"]},
        "seen":{"value":1700000000000,"type":"TIMESTAMP"},"at":{"value":{"latitude":1,"longitude":2}}}}}]}"#;
    let r = alice.post_raw("private", "records/modify", body).await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    // the new fields are typed from then on
    let wrong = r#"{"operations":[{"operationType":"create","record":{"recordType":"Gadget","recordName":"g2","fields":{"count":{"value":"three"}}}}]}"#;
    let r = alice.post_raw("private", "records/modify", wrong).await;
    assert_eq!(r.item_code("records", 0), "BAD_REQUEST");
    // just-in-time STRING fields are queryable
    let q = Query::new("Gadget").filter(Filter::new(
        "name",
        Comparator::BeginsWith,
        FieldValue::new(Value::String("Wid".into())),
    ));
    let r = alice
        .post("private", "records/query", &QueryRecordsRequest::new(q))
        .await;
    assert_eq!(
        r.json["records"].as_array().map(Vec::len),
        Some(1),
        "{}",
        r.json
    );
    let exported = emu.export_schema();
    insta::assert_snapshot!("grown_schema", exported);
    assert!(cloudkit_schema::parse_and_check(&exported).is_ok());
    emu.shutdown().await;
    // the grown schema survives a restart on the same file
    let again = Emulator::builder()
        .container(CONTAINER)
        .data_file(&path)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.export_schema(), exported);
    again.shutdown().await;
}

#[tokio::test]
async fn bad_schema_and_bad_options_do_not_start() {
    let err = Emulator::builder()
        .schema_source("DEFINE SCHEMA RECORD TYPE (")
        .start()
        .await
        .err();
    assert!(matches!(
        err,
        Some(cloudkit_emulator::EmulatorError::Schema(_))
    ));
    let err = Emulator::builder()
        .server_key("k", "not a pem")
        .start()
        .await
        .err();
    assert!(matches!(
        err,
        Some(cloudkit_emulator::EmulatorError::ServerKey(_))
    ));
    let err = Emulator::builder()
        .schema_file("/nonexistent/schema.ckdb")
        .start()
        .await
        .err();
    assert!(matches!(
        err,
        Some(cloudkit_emulator::EmulatorError::SchemaFile { .. })
    ));
}
