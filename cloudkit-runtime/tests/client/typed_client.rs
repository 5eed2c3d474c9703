//! Typed queries and subscriptions plug straight into the client: the request bodies they
//! produce (snapshotted), and a run against the emulator on 127.0.0.1.

use cloudkit_runtime::client::Client;
use cloudkit_runtime::typed::ZoneSubscription;
use cloudkit_runtime::wire::{self, FiresOn};
use cloudkit_runtime::{CloudKitRecord, SystemFields, ZoneId};
use futures_util::TryStreamExt as _;

#[derive(CloudKitRecord, Debug, Clone, PartialEq)]
#[cloudkit(schema = "tests/schema/typed_notes.ckdb", record_type = "Note")]
struct Note {
    #[cloudkit(system)]
    meta: SystemFields,
    title: Option<String>,
    body: Option<String>,
    tags: Vec<String>,
    pinned: Option<i64>,
}

fn note(name: &str, title: &str, tags: &[&str], pinned: i64, zone: &ZoneId) -> Note {
    Note {
        meta: SystemFields::new(name).in_zone(zone.clone()),
        title: Some(title.into()),
        body: Some(format!("body of {title}")),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        pinned: Some(pinned),
    }
}

fn offline_client() -> Client {
    match Client::builder()
        .container(crate::support::CONTAINER)
        .base_url("http://127.0.0.1:9")
        .api_token("t")
        .web_auth_token("w")
        .build()
    {
        Ok(client) => client,
        Err(e) => panic!("client: {e}"),
    }
}

fn shopping_query() -> cloudkit_runtime::typed::Query<Note> {
    Note::query()
        .filter(Note::fields().title().begins_with("Shop"))
        .filter(Note::fields().tags().list_contains("home"))
        .sort(Note::fields().modified_at().descending())
}

fn body(request: &cloudkit_runtime::client::PreparedRequest) -> serde_json::Value {
    serde_json::from_str(request.body_text().unwrap_or("null")).unwrap_or_default()
}

#[test]
fn a_typed_query_runs_with_its_desired_keys() {
    let db = offline_client()
        .signed_in()
        .expect("signed in")
        .private_database();
    let query = shopping_query()
        .desired_keys([Note::fields().title().key(), Note::fields().pinned().key()]);
    let by_ref = db.query(&query).prepare(None).map(|r| body(&r));
    let by_value = db.query(query).prepare(None).map(|r| body(&r));
    assert_eq!(by_ref.as_ref().ok(), by_value.as_ref().ok());
    insta::assert_json_snapshot!(by_value.ok());
}

#[test]
fn desired_keys_on_the_run_replace_the_typed_ones() {
    let db = offline_client()
        .signed_in()
        .expect("signed in")
        .private_database();
    let query = shopping_query().desired_keys([Note::fields().title().key()]);
    let request = db.query(query).desired_keys(["body"]).prepare(None);
    let sent = request.map(|r| body(&r)).unwrap_or_default();
    assert_eq!(sent["desiredKeys"], serde_json::json!(["body"]));
}

#[test]
fn a_typed_query_converts_into_the_wire_query() {
    let wire_query: wire::Query = shopping_query().into();
    assert_eq!(wire_query, shopping_query().to_wire());
    // The wire query itself still runs, without desired keys.
    let db = offline_client().public_database();
    let sent = db
        .query(wire_query)
        .prepare(None)
        .map(|r| body(&r))
        .unwrap_or_default();
    assert!(sent.get("desiredKeys").is_none(), "{sent}");
}

#[test]
fn typed_subscriptions_save_through_the_client() {
    let db = offline_client()
        .signed_in()
        .expect("signed in")
        .private_database();
    let zone = ZoneId::new("Notes");
    let request = db
        .subscriptions()
        .modify()
        .create(
            Note::subscription("shopping-notes")
                .query(shopping_query())
                .fires_on([FiresOn::Create, FiresOn::Update]),
        )
        .create(ZoneSubscription::new("notes-zone", zone))
        .prepare();
    insta::assert_json_snapshot!(request.map(|r| body(&r)).ok());
}

#[tokio::test]
async fn typed_queries_and_subscriptions_against_the_emulator() {
    let emu = crate::support::emulator_with(None, |b| {
        b.schema_source(include_str!("../schema/typed_notes.ckdb"))
    })
    .await;
    let client = crate::support::user_client(&emu, "alice");
    let db = client.signed_in().expect("signed in").private_database();
    let zone = ZoneId::new("Notes");
    db.zones().create(zone.clone()).await.expect("zone");

    let mut batch = db.modify().zone(zone.clone());
    let notes = [
        note("a", "Shopping list", &["home"], 1, &zone),
        note("b", "Shop opening hours", &["home", "work"], 0, &zone),
        note("c", "Shopping for work", &["work"], 1, &zone),
        note("d", "Garden", &["home"], 0, &zone),
    ];
    for n in &notes {
        batch = batch.create(n);
    }
    batch
        .send()
        .await
        .expect("batch")
        .into_result()
        .expect("saved");

    let query = Note::query()
        .filter(Note::fields().title().begins_with("Shop"))
        .filter(Note::fields().tags().list_contains("home"))
        .sort(Note::fields().pinned().descending())
        .sort(Note::fields().title().ascending());
    let all: Vec<Note> = db
        .query(&query)
        .zone(zone.clone())
        .results_limit(1)
        .all()
        .await
        .expect("all");
    let titles: Vec<_> = all.iter().filter_map(|n| n.title.clone()).collect();
    assert_eq!(titles, ["Shopping list", "Shop opening hours"]);
    assert!(
        all.iter().all(|n| n.body.is_some()),
        "every field by default"
    );

    // Desired keys travel with the typed query: the body stays home.
    let narrow = query.clone().desired_keys([Note::fields().title().key()]);
    let streamed: Vec<Note> = db
        .query(narrow)
        .zone(zone.clone())
        .results_limit(1)
        .stream()
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(streamed.len(), 2);
    assert!(
        streamed
            .iter()
            .all(|n| n.body.is_none() && n.title.is_some())
    );

    // Lookups decode straight into the struct too; a missing record is an error in place.
    let names = ["a".to_owned(), "missing".to_owned(), "d".to_owned()];
    let looked_up = db
        .lookup_many::<Note>(&names, Some(zone.clone()))
        .await
        .expect("lookup");
    assert_eq!(looked_up.len(), 3);
    let Some(Ok(a)) = looked_up.first() else {
        panic!("{looked_up:?}");
    };
    assert_eq!(a.title.as_deref(), Some("Shopping list"));
    assert_eq!(a.meta.record_name(), Some("a"));
    assert!(a.meta.change_tag().is_some(), "system fields travel along");
    assert!(
        matches!(&looked_up[1], Err(e) if e.is_not_found()),
        "{:?}",
        looked_up[1]
    );
    assert!(matches!(&looked_up[2], Ok(d) if d.title.as_deref() == Some("Garden")));

    let subs = db.subscriptions();
    let saved = subs
        .save(
            Note::subscription("shopping")
                .query(query)
                .fires_on([FiresOn::Create, FiresOn::Update])
                .in_zone(zone.clone()),
        )
        .await
        .expect("query subscription");
    assert_eq!(saved.subscription_id, "shopping");
    subs.save(ZoneSubscription::new("everything", zone))
        .await
        .expect("zone subscription");
    let mut ids: Vec<_> = subs
        .list()
        .await
        .expect("list")
        .into_iter()
        .map(|s| s.subscription_id)
        .collect();
    ids.sort();
    assert_eq!(ids, ["everything", "shopping"]);
    emu.shutdown().await;
}
