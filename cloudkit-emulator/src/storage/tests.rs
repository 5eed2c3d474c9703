use super::*;
use crate::error::ServerError;

fn record(name: &str, seq: i64) -> StoredRecord {
    StoredRecord {
        zone_name: "Notes".into(),
        record_name: name.into(),
        record_type: "Note".into(),
        change_tag: format!("t{seq}"),
        fields: "{}".into(),
        created: Stamp {
            timestamp: 1,
            user_record_name: "_u".into(),
        },
        modified: Stamp {
            timestamp: 1,
            user_record_name: "_u".into(),
        },
        change_seq: seq,
        deleted: false,
        parent: None,
        short_guid: None,
    }
}

#[test]
fn writes_commit_and_roll_back() -> Result<(), StorageError> {
    let store = Store::memory()?;
    let db = DatabaseKey::private("_u");
    store.transaction(|tx| {
        let seq = tx.next_seq()?;
        tx.create_zone(&db, "Notes", seq)?;
        let seq = tx.next_seq()?;
        tx.put_record(&db, &record("a", seq))?;
        tx.touch_zone(&db, "Notes", seq)
    })?;
    store.transaction(|tx| {
        let seq = tx.next_seq()?;
        tx.put_record(&db, &record("b", seq))?;
        tx.roll_back();
        Ok(())
    })?;
    let _ = store.run_transaction(|tx| -> Result<(), ServerError> {
        let seq = tx.next_seq()?;
        tx.put_record(&db, &record("c", seq))?;
        Err(ServerError::bad_request("boom"))
    });
    store.transaction(|tx| {
        assert!(tx.record(&db, "Notes", "a")?.is_some());
        assert!(tx.record(&db, "Notes", "b")?.is_none());
        assert!(tx.record(&db, "Notes", "c")?.is_none());
        assert_eq!(tx.current_seq()?, 2);
        assert_eq!(tx.records_of_type(&db, Some("Notes"), "Note")?.len(), 1);
        assert_eq!(tx.records_changed_since(&db, "Notes", 0, 10)?.len(), 1);
        assert_eq!(tx.zones_changed_since(&db, 0, 10)?.len(), 1);
        assert!(
            tx.records_of_type(&DatabaseKey::private("_other"), None, "Note")?
                .is_empty()
        );
        Ok(())
    })
}

#[test]
fn file_store_reopens_with_its_data() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("emu.sqlite");
    let db = DatabaseKey::public();
    {
        let store = Store::file(&path)?;
        store.transaction(|tx| {
            let seq = tx.next_seq()?;
            tx.put_record(
                &db,
                &StoredRecord {
                    zone_name: "_defaultZone".into(),
                    ..record("a", seq)
                },
            )
        })?;
    }
    let store = Store::file(&path)?;
    let found = store.transaction(|tx| tx.record(&db, "_defaultZone", "a"))?;
    assert_eq!(found.map(|r| r.record_name), Some("a".to_owned()));
    Ok(())
}

#[test]
fn references_of_an_older_data_file_are_filled_in_at_start() -> Result<(), StorageError> {
    let dir = tempfile::tempdir().map_err(|_| StorageError::Invariant("tempdir"))?;
    let path = dir.path().join("old.sqlite");
    let db = DatabaseKey::private("_u");
    {
        let store = Store::file(&path)?;
        store.transaction(|tx| {
            let mut r = record("child", 1);
            r.fields = r#"{"parent":{"type":"REFERENCE","value":{"recordName":"root","action":"DELETE_SELF"}},
                "other":{"type":"REFERENCE","value":{"recordName":"x","action":"NONE"}}}"#
                .into();
            tx.put_record(&db, &r)?;
            // an older emulator kept no reference list
            tx.conn().execute_batch("DROP TABLE record_references")?;
            Ok(())
        })?;
    }
    let store = Store::file(&path)?;
    let found = store.transaction(|tx| tx.referrers(&db, "Notes", "root"))?;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].source_name, "child");
    assert_eq!(found[0].action, "DELETE_SELF");
    let none = store.transaction(|tx| tx.referrers(&db, "Notes", "x"))?;
    assert!(none.is_empty());
    Ok(())
}

#[test]
fn a_data_file_from_before_share_keys_opens_and_keeps_them()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("old.sqlite");
    rusqlite::Connection::open(&path)?.execute_batch(super::tables::CORE)?;
    let db = DatabaseKey::private("_u");
    let store = Store::file(&path)?;
    store.transaction(|tx| {
        let seq = tx.next_seq()?;
        tx.put_record(
            &db,
            &StoredRecord {
                parent: Some("root".into()),
                short_guid: Some("0abc".into()),
                ..record("leaf", seq)
            },
        )
    })?;
    drop(store);
    let store = Store::file(&path)?;
    let got = store.transaction(|tx| tx.record(&db, "Notes", "leaf"))?;
    let got = got.ok_or("record lost")?;
    assert_eq!(got.parent.as_deref(), Some("root"));
    assert_eq!(got.short_guid.as_deref(), Some("0abc"));
    Ok(())
}
