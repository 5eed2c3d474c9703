//! ACCESS_DENIED explains itself: the roles the caller holds, the roles the permission is
//! granted to, and where those grants are written (issue #15).

use cloudkit_emulator::{Emulator, Environment};
use cloudkit_wire::ws::{
    FieldValue, Query, QueryRecordsRequest, Record, RecordOperationType as Op, Value,
};

use crate::common::{API_TOKEN, CONTAINER, Client};
use crate::records::{modify, op, tag_of};

const SCHEMA: &str = r#"DEFINE SCHEMA
    RECORD TYPE Announcement (
        text STRING,
        GRANT READ TO "_world"
    );
    RECORD TYPE Folder (
        "___recordID" REFERENCE QUERYABLE,
        name STRING,
        GRANT READ, CREATE, WRITE TO "_icloud"
    );
    RECORD TYPE Note (
        title STRING,
        GRANT WRITE TO "_creator",
        GRANT CREATE TO "_icloud",
        GRANT READ TO "_world"
    );
"#;

fn reason(json: &serde_json::Value) -> String {
    json["reason"].as_str().unwrap_or("").to_owned()
}

fn titled(record_type: &str, name: &str, title: &str) -> Record {
    Record::named(record_type, name)
        .with_field("title", FieldValue::new(Value::String(title.to_owned())))
}

/// Bob updates a record Alice created: WRITE belongs to `_creator` only.
async fn update_as_bob(alice: &Client, bob: &Client, record_type: &str, name: &str) -> String {
    let r = alice
        .post(
            "public",
            "records/modify",
            &modify(
                vec![op(Op::Create, titled(record_type, name, "a"))],
                None,
                None,
            ),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let update = Record {
        record_name: Some(name.into()),
        record_change_tag: Some(tag_of(&r, 0)),
        ..Record::default()
    }
    .with_field("title", FieldValue::new(Value::String("bob".into())));
    let r = bob
        .post(
            "public",
            "records/modify",
            &modify(vec![op(Op::Update, update)], None, None),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "ACCESS_DENIED", "{}", r.json);
    reason(&r.json["records"][0])
}

#[tokio::test]
async fn access_denied_names_the_roles_and_the_schema_line() {
    let emu = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .environment(Environment::Development)
        .api_token(API_TOKEN)
        .memory()
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let alice = Client::user(&emu, "alice");
    let bob = Client::user(&emu, "bob");
    let anon = Client::anonymous(&emu);

    // CREATE: no role has it.
    let r = bob
        .post(
            "public",
            "records/modify",
            &modify(
                vec![op(Op::Create, Record::named("Announcement", "a1"))],
                None,
                None,
            ),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "ACCESS_DENIED", "{}", r.json);
    assert_eq!(
        reason(&r.json["records"][0]),
        "create access denied for record type Announcement: the caller holds _world, _icloud; \
         no role has CREATE (grants of RECORD TYPE Announcement at <schema>:2); to allow it, \
         add GRANT CREATE TO a role the caller holds and deploy the schema"
    );

    // WRITE: only the record's creator.
    assert_eq!(
        update_as_bob(&alice, &bob, "Note", "n1").await,
        "write access denied for this record: the caller holds _world, _icloud; WRITE is \
         granted to _creator (_creator is the user who created the record) (grants of RECORD \
         TYPE Note at <schema>:11); to allow it, add GRANT WRITE TO a role the caller holds and \
         deploy the schema"
    );

    // READ: Folder grants nothing to _world, so signing in is the fix.
    let r = anon
        .post(
            "public",
            "records/query",
            &QueryRecordsRequest::new(Query::new("Folder")),
        )
        .await;
    assert_eq!((r.status.as_u16(), r.code()), (403, "ACCESS_DENIED"));
    assert_eq!(
        reason(&r.json),
        "read access denied for record type Folder: the caller holds _world; READ is granted \
         to _icloud (grants of RECORD TYPE Folder at <schema>:6); sign in"
    );

    // A type grown just in time has CloudKit's default grants, written in no file.
    let why = update_as_bob(&alice, &bob, "Widget", "w1").await;
    assert!(
        why.contains("WRITE is granted to _creator")
            && why.contains("(grants of record type Widget, grown just in time)"),
        "{why}"
    );
    emu.shutdown().await;
}
