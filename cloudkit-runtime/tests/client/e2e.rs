//! The real client over real HTTP against the emulator on 127.0.0.1 (SQLite in memory).

use std::collections::HashSet;

use crate::support::{Note, emulator, key_client, user_client};
use cloudkit_emulator::FaultSpec;
use cloudkit_runtime::ZoneId;
use cloudkit_runtime::client::{Error, RecordOutcome};
use cloudkit_runtime::wire::{FiresOn, Query, ServerErrorCode, Subscription};
use futures_util::{StreamExt as _, TryStreamExt as _};

#[tokio::test]
async fn save_lookup_delete_in_the_public_database() {
    let emu = emulator(None).await;
    let client = key_client(&emu);
    let db = client.public_database();

    let saved = db
        .save(&Note::new("n1", "Shopping", 1))
        .await
        .expect("save");
    assert_eq!(saved.title, "Shopping");
    assert!(saved.change_tag.is_some(), "the server sets a change tag");

    let found: Note = db.lookup("n1").await.expect("lookup");
    assert_eq!(found, saved);

    // A record without a name gets a client-chosen UUID.
    let unnamed = Note {
        name: None,
        ..Note::new("", "anonymous", 2)
    };
    let saved2 = db.save(&unnamed).await.expect("save unnamed");
    assert_eq!(saved2.name.as_deref().map(str::len), Some(36));

    db.delete::<Note>("n1").await.expect("delete");
    let err = db.lookup::<Note>("n1").await.expect_err("gone");
    assert!(err.is_not_found(), "{err}");
    emu.shutdown().await;
}

#[tokio::test]
async fn a_batch_over_200_operations_returns_one_result_per_operation_in_order() {
    let emu = emulator(None).await;
    let client = key_client(&emu);
    let db = client.public_database();
    db.save(&Note::new("taken", "first", 0))
        .await
        .expect("seed");

    let mut batch = db.modify();
    for i in 0..450 {
        // One create in the middle collides with an existing record.
        let name = if i == 321 {
            "taken".to_owned()
        } else {
            format!("b{i}")
        };
        batch = batch.create(&Note::new(&name, "batch", i));
    }
    let report = batch.send().await.expect("batch");
    assert_eq!(report.results.len(), 450);
    let failures: Vec<_> = report.failures().collect();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0].0, 321);
    assert_eq!(failures[0].1.code(), ServerErrorCode::Exists);
    assert_eq!(failures[0].1.record_name(), Some("taken"));
    let theirs = failures[0]
        .1
        .server_record
        .as_deref()
        .expect("server record attached");
    assert_eq!(theirs.record_name.as_deref(), Some("taken"));
    for (i, result) in report.results.iter().enumerate() {
        if i != 321 {
            let outcome = result.as_ref().expect("saved");
            assert_eq!(outcome.record_name(), Some(format!("b{i}").as_str()));
        }
    }
    // The untouched original is still there.
    let original: Note = db.lookup("taken").await.expect("lookup");
    assert_eq!(original.title, "first");
    emu.shutdown().await;
}

#[tokio::test]
async fn operations_on_one_record_across_requests_apply_in_order() {
    let emu = emulator(None).await;
    let client = key_client(&emu);
    let db = client.public_database();
    let mut batch = db.modify();
    for i in 0..200 {
        batch = batch.create(&Note::new(&format!("o{i}"), "created", i));
    }
    // Operation 200 lands in the second request and touches a record of the first.
    batch = batch.force_update(&Note::new("o0", "updated", 0));
    let report = batch.send().await.expect("batch");
    assert!(
        report.is_success(),
        "{:?}",
        report.failures().collect::<Vec<_>>()
    );
    let o0: Note = db.lookup("o0").await.expect("lookup");
    assert_eq!(o0.title, "updated");
    emu.shutdown().await;
}

#[tokio::test]
async fn sending_the_same_creates_again_as_a_resend_is_idempotent() {
    let emu = emulator(None).await;
    let client = key_client(&emu);
    let db = client.public_database();
    let notes: Vec<Note> = (0..250)
        .map(|i| Note::new(&format!("i{i}"), "same", i))
        .collect();
    let batch = |db: &cloudkit_runtime::client::PublicDatabase| {
        notes.iter().fold(db.modify(), |b, n| b.create(n))
    };
    assert!(batch(&db).send().await.expect("first").is_success());
    // A plain second send is a first attempt: EXISTS is a clash, with the server's record.
    let clash = batch(&db).send().await.expect("second");
    assert_eq!(clash.failures().count(), 250);
    assert!(
        clash
            .failures()
            .all(|(_, f)| f.code() == ServerErrorCode::Exists && f.server_record.is_some())
    );
    // Marked as a re-send of an unknown outcome, the same content on the server is success.
    let again = batch(&db).as_resend().send().await.expect("third");
    assert!(again.is_success(), "{:?}", again.failures().next());
    let all: Vec<Note> = db.query(Query::new("Note")).all().await.expect("all");
    assert_eq!(all.len(), 250);
    emu.shutdown().await;
}

#[tokio::test]
async fn query_pages_follow_the_continuation_marker() {
    let emu = emulator(None).await;
    let client = key_client(&emu);
    let db = client.public_database();
    let mut batch = db.modify();
    for i in 0..450 {
        batch = batch.create(&Note::new(&format!("q{i:03}"), "paged", i));
    }
    assert!(batch.send().await.expect("seed").is_success());

    let all: Vec<Note> = db
        .query(Query::new("Note"))
        .results_limit(100)
        .all()
        .await
        .expect("all");
    assert_eq!(all.len(), 450);
    let names: HashSet<_> = all.iter().filter_map(|n| n.name.clone()).collect();
    assert_eq!(names.len(), 450);

    let pages: Vec<_> = db
        .query(Query::new("Note"))
        .results_limit(100)
        .pages()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(pages.len(), 5);
    assert!(
        pages
            .last()
            .is_some_and(|p| p.continuation_marker.is_none())
    );

    let streamed = db
        .query(Query::new("Note"))
        .results_limit(64)
        .stream::<Note>()
        .filter(|n| std::future::ready(n.is_ok()))
        .count()
        .await;
    assert_eq!(streamed, 450);
    emu.shutdown().await;
}

#[tokio::test]
async fn change_feeds_resume_from_a_saved_token() {
    let emu = emulator(None).await;
    let client = user_client(&emu, "alice");
    let db = client.signed_in().expect("signed in").private_database();
    let zone = ZoneId::new("Notes");
    db.zones().create(zone.clone()).await.expect("zone");

    let mut batch = db.modify().zone(zone.clone());
    for i in 0..30 {
        batch = batch.create(&Note::new(&format!("c{i}"), "v1", i));
    }
    assert!(batch.send().await.expect("seed").is_success());

    let pages: Vec<_> = db
        .zone_changes(zone.clone(), None)
        .results_limit(10)
        .stream()
        .try_collect()
        .await
        .expect("feed");
    let changed: usize = pages.iter().map(|p| p.records.len()).sum();
    assert_eq!(changed, 30);
    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert!(pages.iter().rev().skip(1).all(|p| p.more_coming));
    let saved_token = pages
        .last()
        .and_then(|p| p.sync_token.clone())
        .expect("token");

    // Later: five more changes, one of them a delete.
    let mut batch = db.modify().zone(zone.clone());
    for i in 30..34 {
        batch = batch.create(&Note::new(&format!("c{i}"), "v1", i));
    }
    batch = batch.force_delete::<Note>("c0");
    assert!(batch.send().await.expect("more").is_success());

    let resumed: Vec<_> = db
        .zone_changes(zone.clone(), Some(saved_token))
        .stream()
        .try_collect()
        .await
        .expect("resumed");
    let records: Vec<_> = resumed
        .iter()
        .flat_map(|p| p.records.iter())
        .map(|r| r.as_ref().expect("entry").record_name().map(str::to_owned))
        .collect();
    assert_eq!(records.len(), 5, "{records:?}");
    assert!(records.contains(&Some("c0".to_owned())));

    let db_pages: Vec<_> = db
        .database_changes(None)
        .stream()
        .try_collect()
        .await
        .expect("db feed");
    let zones: Vec<_> = db_pages
        .iter()
        .flat_map(|p| p.zones.iter())
        .filter_map(|z| z.as_ref().ok().map(|z| z.zone_id.zone_name.clone()))
        .collect();
    assert!(zones.contains(&"Notes".to_owned()), "{zones:?}");
    let db_token = db_pages.last().and_then(|p| p.sync_token.clone());
    let again: Vec<_> = db
        .database_changes(db_token)
        .stream()
        .try_collect()
        .await
        .expect("again");
    assert!(
        again.iter().all(|p| p.zones.is_empty()),
        "nothing new: {again:?}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn zones_create_list_lookup_delete() {
    let emu = emulator(None).await;
    let client = user_client(&emu, "bob");
    let zones = client
        .signed_in()
        .expect("signed in")
        .private_database()
        .zones();
    let created = zones.create(ZoneId::new("Work")).await.expect("create");
    assert_eq!(created.zone_id.zone_name, "Work");
    let names: Vec<_> = zones
        .list()
        .await
        .expect("list")
        .into_iter()
        .map(|z| z.zone_id.zone_name)
        .collect();
    assert!(names.contains(&"Work".to_owned()), "{names:?}");
    let looked = zones
        .lookup(&[ZoneId::new("Work"), ZoneId::new("Missing")])
        .await
        .expect("lookup");
    assert!(looked[0].is_ok());
    let missing = looked[1].as_ref().expect_err("missing");
    assert_eq!(missing.code(), ServerErrorCode::ZoneNotFound);
    zones.delete(ZoneId::new("Work")).await.expect("delete");
    let looked = zones.lookup(&[ZoneId::new("Work")]).await.expect("lookup");
    assert!(looked[0].is_err());
    emu.shutdown().await;
}

#[tokio::test]
async fn subscriptions_create_update_delete() {
    let emu = emulator(None).await;
    let client = user_client(&emu, "carol");
    let db = client.signed_in().expect("signed in").private_database();
    db.zones().create(ZoneId::new("Notes")).await.expect("zone");
    let subs = db.subscriptions();

    let mut query_sub = Subscription::query("shopping", Query::new("Note"));
    query_sub.fires_on = Some(vec![FiresOn::Create]);
    let saved = subs
        .save(query_sub.clone())
        .await
        .expect("create query sub");
    assert_eq!(saved.subscription_id, "shopping");
    subs.save(Subscription::zone("zone-sub", ZoneId::new("Notes")))
        .await
        .expect("create zone sub");

    query_sub.fires_on = Some(vec![FiresOn::Create, FiresOn::Update]);
    let updated = subs.update(query_sub).await.expect("update");
    assert_eq!(
        updated.fires_on,
        Some(vec![FiresOn::Create, FiresOn::Update])
    );

    let mut ids: Vec<_> = subs
        .list()
        .await
        .expect("list")
        .into_iter()
        .map(|s| s.subscription_id)
        .collect();
    ids.sort();
    assert_eq!(ids, ["shopping", "zone-sub"]);

    subs.delete("shopping").await.expect("delete");
    let looked = subs
        .lookup(&["shopping".to_owned(), "zone-sub".to_owned()])
        .await
        .expect("lookup");
    assert!(
        looked[0]
            .as_ref()
            .is_err_and(|e| e.code() == ServerErrorCode::NotFound)
    );
    assert!(looked[1].is_ok());
    emu.shutdown().await;
}

#[tokio::test]
async fn a_stale_change_tag_is_a_conflict_carrying_the_server_record() {
    let emu = emulator(None).await;
    let client = user_client(&emu, "dave");
    let db = client.signed_in().expect("signed in").private_database();
    let v1 = db.save(&Note::new("c", "one", 1)).await.expect("v1");
    let mut edit = v1.clone();
    edit.title = "two".into();
    let v2 = db.save(&edit).await.expect("v2 (update with current tag)");
    assert_ne!(v1.change_tag, v2.change_tag);

    let mut stale = v1.clone();
    stale.title = "three".into();
    let err = db.save(&stale).await.expect_err("stale tag");
    assert!(err.is_conflict(), "{err}");
    let server = err
        .server()
        .and_then(|s| s.server_record.as_deref())
        .expect("server record attached");
    assert_eq!(server.record_change_tag, v2.change_tag);
    let now: Note = db.lookup("c").await.expect("lookup");
    assert_eq!(now.title, "two", "never overwritten");

    let err = db.delete_record(&v1).await.expect_err("stale delete");
    assert!(err.is_conflict());
    emu.shutdown().await;
}

#[tokio::test]
async fn an_atomic_batch_with_a_conflict_applies_nothing() {
    let emu = emulator(None).await;
    let client = user_client(&emu, "gina");
    let db = client.signed_in().expect("signed in").private_database();
    let zone = ZoneId::new("Atomic");
    db.zones().create(zone.clone()).await.expect("zone");
    let v1 = db
        .modify()
        .zone(zone.clone())
        .create(&Note::new("a", "one", 1))
        .send()
        .await
        .expect("v1")
        .into_result()
        .expect("saved");
    let v1: Note = v1[0].decode().expect("saved record").expect("decodes");
    let mut v2 = v1.clone();
    v2.title = "two".into();
    db.modify()
        .zone(zone.clone())
        .update(&v2)
        .send()
        .await
        .expect("v2");

    let report = db
        .modify()
        .zone(zone.clone())
        .create(&Note::new("fresh", "new", 2))
        .update(&v1) // stale tag
        .atomic()
        .send()
        .await
        .expect("request answered");
    assert_eq!(report.results.len(), 2);
    assert!(report.results.iter().all(Result::is_err), "{report:?}");
    let err = db
        .lookup_in::<Note>("fresh", Some(zone.clone()))
        .await
        .expect_err("not created");
    assert!(err.is_not_found(), "{err}");
    emu.shutdown().await;
}

#[tokio::test]
async fn retries_under_injected_faults_lose_and_duplicate_nothing() {
    let spec: FaultSpec =
        "throttled=0.1,try_again_later=0.1,unavailable=0.1,zone_busy=0.05,drop=0.1,retry_after=0"
            .parse()
            .expect("spec");
    let emu = emulator(Some(spec)).await;
    let client = key_client(&emu);
    let db = client.public_database();
    for round in 0..5 {
        let mut batch = db.modify();
        for i in 0..40 {
            batch = batch.create(&Note::new(&format!("f{round}-{i}"), "faulty", i));
        }
        let report = batch.send().await.expect("batch survives faults");
        assert!(
            report.is_success(),
            "{:?}",
            report.failures().collect::<Vec<_>>()
        );
    }
    let saved = db
        .save(&Note::new("single", "one", 1))
        .await
        .expect("single save");
    assert_eq!(saved.title, "one");
    let stats = client.stats();
    assert!(stats.retries > 0, "faults were injected: {stats:?}");
    let all: Vec<Note> = db.query(Query::new("Note")).all().await.expect("all");
    assert_eq!(all.len(), 201);
    let names: HashSet<_> = all.iter().filter_map(|n| n.name.clone()).collect();
    assert_eq!(names.len(), 201);
    emu.shutdown().await;
}

#[tokio::test]
async fn web_auth_tokens_rotate_when_each_is_good_for_one_request() {
    let emu = crate::support::emulator_with(None, |b| b.strict_token_rotation(true)).await;
    let client = user_client(&emu, "frank");
    let first = client.web_auth_token();
    let db = client.signed_in().expect("signed in").private_database();
    for i in 0..5 {
        db.save(&Note::new(&format!("w{i}"), "rotating", i))
            .await
            .expect("save");
    }
    let found: Note = db.lookup("w4").await.expect("lookup");
    assert_eq!(found.n, 4);
    assert_ne!(client.web_auth_token(), first, "the token was replaced");
    // The spent first token no longer works: rotation was needed.
    let stale = cloudkit_runtime::client::Client::builder()
        .container(crate::support::CONTAINER)
        .base_url(emu.base_url())
        .api_token(crate::support::API_TOKEN)
        .web_auth_token(first.expect("token").expose_secret())
        .build()
        .expect("client");
    let err = stale
        .signed_in()
        .expect("signed in")
        .private_database()
        .lookup::<Note>("w4")
        .await
        .expect_err("spent token");
    assert!(
        err.server().is_some_and(|s| s.http_status.is_some()),
        "{err}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn rejected_credentials_are_a_typed_server_error() {
    let emu = emulator(None).await;
    let client = cloudkit_runtime::client::Client::builder()
        .container(crate::support::CONTAINER)
        .base_url(emu.base_url())
        .api_token("wrong-token")
        .build()
        .expect("client");
    let err = client
        .public_database()
        .zones()
        .list()
        .await
        .expect_err("bad token");
    let server = err.server().expect("server error");
    assert!(server.http_status.is_some_and(|s| s >= 400));
    assert!(!format!("{err} {err:?}").contains("wrong-token"));
    assert!(matches!(err, Error::Server(_)));
    let _ = RecordOutcome::Deleted {
        record_name: String::new(),
    };
    emu.shutdown().await;
}
