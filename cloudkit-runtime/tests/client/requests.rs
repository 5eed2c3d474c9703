//! Exact requests for every endpoint the client calls: method, path, query (secrets
//! redacted), headers (no signature or date) and body.

use cloudkit_runtime::ZoneId;
use cloudkit_runtime::client::{Client, Environment, PreparedRequest, RetryPolicy};
use cloudkit_runtime::wire::{
    FieldValue, FiresOn, NotificationInfo, Query, Record, Subscription, Value, ZoneOperation,
};
use cloudkit_runtime::{CloudKitRecord, DecodeError, DecodeErrorKind};

#[derive(Clone, Debug, PartialEq)]
struct Note {
    name: Option<String>,
    change_tag: Option<String>,
    title: String,
}

impl CloudKitRecord for Note {
    const RECORD_TYPE: &'static str = "Note";
    fn to_record(&self) -> Record {
        let mut record = Record::new(Self::RECORD_TYPE)
            .with_field("title", FieldValue::from(Value::String(self.title.clone())));
        record.record_name = self.name.clone();
        record.record_change_tag = self.change_tag.clone();
        record
    }
    fn from_record(record: Record) -> Result<Self, DecodeError> {
        let title = match record.fields.get("title").map(|f| &f.value) {
            Some(Value::String(s)) => s.clone(),
            _ => {
                return Err(DecodeError::new(DecodeErrorKind::Invalid(
                    "title missing".into(),
                )));
            }
        };
        Ok(Note {
            name: record.record_name,
            change_tag: record.record_change_tag,
            title,
        })
    }
}

fn note(name: &str, tag: Option<&str>, title: &str) -> Note {
    Note {
        name: Some(name.to_owned()),
        change_tag: tag.map(str::to_owned),
        title: title.to_owned(),
    }
}

fn token_client() -> Client {
    Client::builder()
        .container("iCloud.com.example.notes")
        .environment(Environment::Development)
        .api_token("api-secret")
        .web_auth_token("web+secret/=")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client")
}

use crate::support::PRIVATE_KEY as SPEC_KEY;

fn key_client() -> Client {
    Client::builder()
        .container("iCloud.com.example.notes")
        .environment(Environment::Production)
        .server_to_server_key("0123abcd", SPEC_KEY)
        .build()
        .expect("client")
}

fn snap(client: &Client, request: &PreparedRequest) -> String {
    let text = client.describe(request).to_string();
    assert!(
        !text.contains("api-secret") && !text.contains("web+secret"),
        "{text}"
    );
    text
}

#[test]
fn records_modify_every_operation_type() {
    let client = token_client();
    let db = client.signed_in().expect("signed in").private_database();
    let batch = db
        .modify()
        .create(&note("n1", None, "Shopping"))
        .update(&note("n2", Some("k3z1"), "Groceries"))
        .force_update(&note("n3", None, "a"))
        .replace(&note("n4", Some("t4"), "b"))
        .force_replace(&note("n5", None, "c"))
        .delete(&note("n6", Some("t6"), "ignored"))
        .force_delete::<Note>("n7")
        .zone(ZoneId::new("Notes"))
        .atomic()
        .desired_keys(["title"]);
    let requests = batch.prepare().expect("prepare");
    assert_eq!(requests.len(), 1);
    insta::assert_snapshot!("records_modify", snap(&client, &requests[0]));
}

#[test]
fn records_modify_sends_atomic_false_and_names_new_records() {
    let client = token_client();
    let db = client.public_database();
    let unnamed = Note {
        name: None,
        change_tag: None,
        title: "x".into(),
    };
    let requests = db.modify().create(&unnamed).prepare().expect("prepare");
    let body: serde_json::Value =
        serde_json::from_slice(requests[0].body.as_deref().expect("body")).expect("json");
    assert_eq!(body["atomic"], serde_json::json!(false));
    let name = body["operations"][0]["record"]["recordName"]
        .as_str()
        .expect("a generated name");
    assert_eq!(name.len(), 36, "a UUID: {name}");
}

#[test]
fn records_modify_splits_at_200_operations() {
    let client = token_client();
    let db = client.public_database();
    let mut batch = db.modify();
    for i in 0..450 {
        batch = batch.create(&note(&format!("n{i}"), None, "t"));
    }
    let requests = batch.prepare().expect("prepare");
    let sizes: Vec<usize> = requests
        .iter()
        .map(|r| {
            let body: serde_json::Value =
                serde_json::from_slice(r.body.as_deref().expect("body")).expect("json");
            body["operations"].as_array().map_or(0, Vec::len)
        })
        .collect();
    assert_eq!(sizes, [200, 200, 50]);
    let mut atomic = db.modify().atomic();
    for i in 0..201 {
        atomic = atomic.create(&note(&format!("n{i}"), None, "t"));
    }
    assert!(atomic.prepare().is_err(), "an atomic batch cannot be split");
}

#[test]
fn records_lookup() {
    let client = token_client();
    let db = client.public_database();
    let request = db
        .prepare_lookup(
            &["n1".to_owned(), "n2".to_owned()],
            Some(ZoneId::new("Notes")),
            Some(vec!["title".to_owned()]),
        )
        .expect("prepare");
    insta::assert_snapshot!("records_lookup", snap(&client, &request));
}

#[test]
fn records_query_in_zone_and_zone_wide() {
    let client = token_client();
    let db = client.signed_in().expect("signed in").private_database();
    let run = db
        .query(Query::new("Note"))
        .zone(ZoneId::new("Notes"))
        .results_limit(50)
        .desired_keys(["title"]);
    insta::assert_snapshot!(
        "records_query_first",
        snap(&client, &run.prepare(None).expect("prepare"))
    );
    insta::assert_snapshot!(
        "records_query_next",
        snap(&client, &run.prepare(Some("marker-1")).expect("prepare"))
    );
    // zoneWide after zone: zoneID must not be sent.
    let wide = db
        .query(Query::new("Note"))
        .zone(ZoneId::new("Notes"))
        .zone_wide();
    insta::assert_snapshot!(
        "records_query_zone_wide",
        snap(&client, &wide.prepare(None).expect("prepare"))
    );
}

#[test]
fn changes_database_and_zone() {
    let client = token_client();
    let db = client.signed_in().expect("signed in").private_database();
    let feed = db.database_changes(None).results_limit(10);
    insta::assert_snapshot!(
        "changes_database",
        snap(&client, &feed.prepare(Some("db-token")).expect("prepare"))
    );
    let zone = db
        .zone_changes(ZoneId::new("Notes"), None)
        .results_limit(100)
        .desired_record_types(["Note"])
        .desired_keys(["title"]);
    insta::assert_snapshot!(
        "changes_zone",
        snap(&client, &zone.prepare(Some("zone-token")).expect("prepare"))
    );
}

#[test]
fn zones_list_lookup_modify() {
    let client = token_client();
    let db = client.signed_in().expect("signed in").private_database();
    let zones = db.zones();
    insta::assert_snapshot!("zones_list", snap(&client, &zones.prepare_list()));
    insta::assert_snapshot!(
        "zones_lookup",
        snap(
            &client,
            &zones
                .prepare_lookup(&[ZoneId::new("Notes")])
                .expect("prepare")
        )
    );
    insta::assert_snapshot!(
        "zones_modify",
        snap(
            &client,
            &zones
                .prepare_modify(vec![
                    ZoneOperation::create(ZoneId::new("Notes")),
                    ZoneOperation::delete(ZoneId::new("Old")),
                ])
                .expect("prepare")
        )
    );
}

#[test]
fn subscriptions_list_lookup_modify() {
    let client = token_client();
    let db = client.public_database();
    let subs = db.subscriptions();
    insta::assert_snapshot!("subscriptions_list", snap(&client, &subs.prepare_list()));
    insta::assert_snapshot!(
        "subscriptions_lookup",
        snap(
            &client,
            &subs
                .prepare_lookup(&["shopping-notes".to_owned()])
                .expect("prepare")
        )
    );
    let mut query_sub = Subscription::query("shopping-notes", Query::new("Note"));
    query_sub.fires_on = Some(vec![FiresOn::Create, FiresOn::Update]);
    query_sub.notification_info = Some(NotificationInfo {
        alert_body: Some("A shopping note changed".into()),
        should_badge: Some(true),
        ..NotificationInfo::default()
    });
    let batch = subs
        .modify()
        .create(query_sub.clone())
        .create(Subscription::zone("notes-zone", ZoneId::new("Notes")))
        .update(query_sub)
        .delete("old-sub");
    insta::assert_snapshot!(
        "subscriptions_modify",
        snap(&client, &batch.prepare().expect("prepare"))
    );
}

#[test]
fn server_to_server_requests_carry_key_id_and_no_query() {
    let client = key_client();
    let db = client.public_database();
    let request = db
        .query(Query::new("Artist"))
        .results_limit(1)
        .prepare(None)
        .expect("prepare");
    assert_eq!(
        request.body_text(),
        Some(r#"{"query":{"recordType":"Artist"},"resultsLimit":1}"#)
    );
    insta::assert_snapshot!("s2s_records_query", snap(&client, &request));
}

/// A record naming its zone (system fields) as the wire record the trait produces.
struct Zoned(&'static str, &'static str);

impl CloudKitRecord for Zoned {
    const RECORD_TYPE: &'static str = "Note";
    fn to_record(&self) -> Record {
        let mut record = Record::named(Self::RECORD_TYPE, self.0);
        record.zone_id = Some(ZoneId::new(self.1));
        record
    }
    fn from_record(_: Record) -> Result<Self, DecodeError> {
        Err(DecodeError::new(DecodeErrorKind::Invalid("unused".into())))
    }
}

#[test]
fn a_record_zone_becomes_the_request_zone_and_batches_span_one_zone() {
    let client = token_client();
    let db = client.signed_in().expect("signed in").private_database();
    let requests = db
        .modify()
        .create(&Zoned("z1", "Notes"))
        .create(&Zoned("z2", "Notes"))
        .prepare()
        .expect("one zone");
    insta::assert_snapshot!("records_modify_record_zone", snap(&client, &requests[0]));
    let mixed = db
        .modify()
        .create(&Zoned("z1", "Notes"))
        .create(&Zoned("z2", "Work"))
        .prepare();
    assert!(matches!(
        mixed,
        Err(cloudkit_runtime::client::Error::ZoneMismatch { .. })
    ));
    let conflicting = db
        .modify()
        .zone(ZoneId::new("Work"))
        .create(&Zoned("z1", "Notes"))
        .prepare();
    assert!(conflicting.is_err());
}
