//! `EXISTS` on a first attempt is a genuine clash: in the public database another user may
//! hold the name, with the very same content.

use crate::support::{Note, emulator, user_client};
use cloudkit_runtime::wire::ServerErrorCode;

#[tokio::test]
async fn another_users_record_with_the_same_content_is_not_ours() {
    let emu = emulator(None).await;
    let alice = user_client(&emu, "alice").public_database();
    let bob = user_client(&emu, "bob").public_database();
    alice
        .save(&Note::new("shared-name", "same", 1))
        .await
        .expect("alice creates");
    let err = bob
        .save(&Note::new("shared-name", "same", 1))
        .await
        .expect_err("bob's create clashes");
    let failure = err.server().expect("server error");
    assert_eq!(failure.code(), ServerErrorCode::Exists);
    let theirs = failure
        .server_record
        .as_deref()
        .expect("alice's record attached");
    assert_eq!(theirs.record_name.as_deref(), Some("shared-name"));
    emu.shutdown().await;
}

#[tokio::test]
async fn a_conflict_hands_back_the_servers_copy_as_the_record_type() {
    let emu = emulator(None).await;
    let db = user_client(&emu, "erin")
        .signed_in()
        .expect("signed in")
        .private_database();
    let v1 = db.save(&Note::new("c", "one", 1)).await.expect("v1");
    let mut edit = v1.clone();
    edit.title = "two".into();
    let v2 = db.save(&edit).await.expect("v2");

    let mut mine = v1.clone();
    mine.n = 5;
    let err = db.save(&mine).await.expect_err("stale change tag");
    assert!(err.is_conflict(), "{err}");
    let theirs: Note = err
        .server_record::<Note>()
        .expect("server copy attached")
        .expect("decodes as Note");
    assert_eq!(theirs, v2);
    // Merge: their title, my number, their change tag; the save goes through.
    let merged = db
        .save(&Note {
            n: mine.n,
            ..theirs
        })
        .await
        .expect("merged save");
    assert_eq!((merged.title.as_str(), merged.n), ("two", 5));
    emu.shutdown().await;
}

/// `save` leaves a field the record does not send alone; `replace` clears it.
#[tokio::test]
async fn replace_clears_what_save_keeps() {
    use cloudkit_runtime::wire::{FieldValue, Record, Value};
    let emu = emulator(None).await;
    let db = user_client(&emu, "frank")
        .signed_in()
        .expect("signed in")
        .private_database();
    // `body` is not a field of the test `Note`; write it through a wire record.
    let mut with_body = Record::new("Note")
        .with_field("title", FieldValue::from(Value::String("t".into())))
        .with_field("n", FieldValue::from(Value::Int64(1)))
        .with_field("body", FieldValue::from(Value::String("keep me?".into())));
    with_body.record_name = Some("r".into());
    let report = db
        .modify()
        .operation(
            cloudkit_runtime::wire::RecordOperationType::Create,
            with_body,
        )
        .send()
        .await
        .expect("create");
    assert!(report.is_success());
    // The record as stored, every field: a wire query's page.
    let raw = || async {
        let pages: Vec<_> = futures_util::TryStreamExt::try_collect(
            db.query(cloudkit_runtime::wire::Query::new("Note")).pages(),
        )
        .await
        .expect("query");
        let record = pages
            .into_iter()
            .flat_map(|p| p.records)
            .find_map(Result::ok)
            .expect("the record");
        record.fields.get("body").map(|f| f.value.clone())
    };

    let note: Note = db.lookup("r").await.expect("lookup");
    let saved = db.save(&Note { n: 2, ..note }).await.expect("save");
    assert_eq!(
        raw().await,
        Some(Value::String("keep me?".into())),
        "save keeps it"
    );

    let replaced = db.replace(&Note { n: 3, ..saved }).await.expect("replace");
    assert_eq!(replaced.n, 3);
    assert_eq!(raw().await, None, "replace clears it");
    emu.shutdown().await;
}
