//! A zone's change feed decoded into the application's record enum, with `SyncToken`s,
//! against the emulator over HTTP on 127.0.0.1.

use crate::support::{Note, emulator, user_client};
use cloudkit_runtime::CloudKitRecords;
use cloudkit_runtime::client::{Change, SyncToken};
use cloudkit_runtime::{CloudKitRecord as _, ZoneId};
use futures_util::TryStreamExt as _;

#[derive(CloudKitRecords, Debug, PartialEq)]
enum Synced {
    Note(Note),
}

#[tokio::test]
async fn zone_changes_decode_into_the_record_enum_and_resume_from_a_sync_token() {
    let emu = emulator(None).await;
    let db = user_client(&emu, "alice")
        .signed_in()
        .expect("signed in")
        .private_database();
    let zone = ZoneId::new("Notes");
    db.zones().create(zone.clone()).await.expect("zone");
    let mut batch = db.modify().zone(zone.clone());
    for i in 0..3 {
        batch = batch.create(&Note::new(&format!("n{i}"), "v1", i));
    }
    assert!(batch.send().await.expect("seed").is_success());

    let mut feed = db
        .zone_changes(zone.clone(), None)
        .results_limit(2)
        .typed::<Synced>();
    let mut saved = Vec::new();
    let mut token: Option<SyncToken> = None;
    while let Some(page) = feed.try_next().await.expect("feed") {
        for change in page.changes {
            match change.expect("decodes") {
                Change::Saved(Synced::Note(note)) => saved.push(note.title),
                other => panic!("only saves so far: {other:?}"),
            }
        }
        token = page.sync_token.or(token);
    }
    assert_eq!(saved, ["v1", "v1", "v1"]);

    // Stored as text between runs; a deletion comes back typed.
    let stored = serde_json::to_string(&token).expect("serializes");
    let token: Option<SyncToken> = serde_json::from_str(&stored).expect("reads back");
    let batch = db.modify().zone(zone.clone()).force_delete::<Note>("n1");
    assert!(batch.send().await.expect("delete").is_success());
    let pages: Vec<_> = db
        .zone_changes(zone.clone(), token)
        .typed::<Synced>()
        .try_collect()
        .await
        .expect("resumed");
    let changes: Vec<_> = pages
        .into_iter()
        .flat_map(|p| p.changes)
        .map(|c| c.expect("decodes"))
        .collect();
    assert!(
        matches!(changes.as_slice(), [Change::Deleted(d)] if d.record_name == "n1"),
        "{changes:?}"
    );
    assert_eq!(Synced::RECORD_TYPES, [Note::RECORD_TYPE]);
    emu.shutdown().await;
}
