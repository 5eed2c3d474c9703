//! The 8 MB response budget on `records/lookup` (the records past it answer
//! `TRY_AGAIN_LATER`, to be asked for again) and on the change feeds (the page ends early with
//! `moreComing` and the sync token of the last record it carries).

use std::collections::HashSet;

use cloudkit_emulator::Environment;
use serde_json::{Value, json};

use crate::common::{Client, start};
use crate::records::create_zone;

/// 12 records of about 900 KB each: about 10.5 MB, more than one response carries.
const RECORDS: usize = 12;

async fn save_big_records(client: &Client, zone: &str) -> Vec<String> {
    save_big(client, zone, RECORDS).await
}

async fn save_big(client: &Client, zone: &str, count: usize) -> Vec<String> {
    let body = "x".repeat(900 * 1024);
    let mut names = Vec::new();
    for i in 0..count {
        let name = format!("big{i:02}");
        let r = client
            .post(
                "private",
                "records/modify",
                &json!({"zoneID": {"zoneName": zone}, "operations": [
                    {"operationType": "create", "record": {"recordType": "Note",
                        "recordName": name, "fields": {"body": {"value": body}}}}]}),
            )
            .await;
        assert_eq!(r.item_code("records", 0), "", "{}", r.json);
        names.push(name);
    }
    names
}

fn names_in(records: &Value) -> Vec<String> {
    records
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r.get("serverErrorCode").is_none())
        .filter_map(|r| r["recordName"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn a_lookup_past_the_budget_answers_the_tail_try_again_later() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let names = save_big_records(&alice, "_defaultZone").await;
    let lookup = |names: &[String]| json!({"records": names.iter().map(|n| json!({"recordName": n})).collect::<Vec<_>>()});
    let r = alice
        .post("private", "records/lookup", &lookup(&names))
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let got = names_in(&r.json["records"]);
    assert!(
        !got.is_empty() && got.len() < RECORDS,
        "{} records",
        got.len()
    );
    // Answered in request order: the head is records, the tail errors naming their record.
    assert_eq!(got, names[..got.len()]);
    let left = names[got.len()..].to_vec();
    for (i, name) in left.iter().enumerate() {
        let i = got.len() + i;
        assert_eq!(r.item_code("records", i), "TRY_AGAIN_LATER", "{i}");
        assert_eq!(r.json["records"][i]["recordName"], name.as_str());
    }
    let r = alice
        .post("private", "records/lookup", &lookup(&left))
        .await;
    assert_eq!(
        names_in(&r.json["records"]),
        left,
        "the rest fits in another request"
    );
}

async fn follow_changes(client: &Client, endpoint: &str) -> (Vec<usize>, HashSet<String>) {
    let mut sizes = Vec::new();
    let mut seen = HashSet::new();
    let mut token: Option<String> = None;
    loop {
        let (records, next, more) = if endpoint == "records/changes" {
            let mut body = json!({"zoneID": {"zoneName": "Big"}});
            if let Some(t) = &token {
                body["syncToken"] = json!(t);
            }
            let r = client.post("private", endpoint, &body).await;
            assert_eq!(r.status, 200, "{}", r.json);
            (
                r.json["records"].clone(),
                r.json["syncToken"].clone(),
                r.json["moreComing"].clone(),
            )
        } else {
            let mut zone = json!({"zoneID": {"zoneName": "Big"}});
            if let Some(t) = &token {
                zone["syncToken"] = json!(t);
            }
            let r = client
                .post("private", endpoint, &json!({"zones": [zone]}))
                .await;
            assert_eq!(r.status, 200, "{}", r.json);
            let z = r.json["zones"][0].clone();
            (
                z["records"].clone(),
                z["syncToken"].clone(),
                z["moreComing"].clone(),
            )
        };
        let names = names_in(&records);
        sizes.push(names.len());
        for n in names {
            assert!(seen.insert(n.clone()), "{n} sent twice: {sizes:?}");
        }
        token = next.as_str().map(str::to_owned);
        if more != json!(true) {
            return (sizes, seen);
        }
        assert!(sizes.len() < 10, "too many pages: {sizes:?}");
    }
}

#[tokio::test]
async fn change_feeds_end_a_page_early_and_resume_after_it() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    create_zone(&alice, "Big").await;
    let names: HashSet<String> = save_big_records(&alice, "Big").await.into_iter().collect();
    for endpoint in ["records/changes", "changes/zone"] {
        let (sizes, seen) = follow_changes(&alice, endpoint).await;
        assert!(
            sizes.len() > 1 && sizes[0] < RECORDS,
            "{endpoint}: {sizes:?}"
        );
        assert_eq!(seen, names, "{endpoint}: every record once");
    }
}

#[tokio::test]
async fn a_zone_after_the_budget_is_spent_answers_more_coming_and_its_own_token() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    create_zone(&alice, "Big").await;
    create_zone(&alice, "Late").await;
    save_big_records(&alice, "Big").await;
    let late = save_big(&alice, "Late", 1).await;
    let r = alice
        .post(
            "private",
            "changes/zone",
            &json!({"zones": [{"zoneID": {"zoneName": "Big"}}, {"zoneID": {"zoneName": "Late"}}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let big = &r.json["zones"][0];
    assert_eq!(big["moreComing"], true, "{}", big["syncToken"]);
    let starved = &r.json["zones"][1];
    assert_eq!(starved["moreComing"], true);
    assert_eq!(names_in(&starved["records"]), Vec::<String>::new());
    let token = starved["syncToken"].clone();
    assert!(token.is_string(), "{starved}");
    let r = alice
        .post(
            "private",
            "changes/zone",
            &json!({"zones": [{"zoneID": {"zoneName": "Late"}, "syncToken": token}]}),
        )
        .await;
    assert_eq!(names_in(&r.json["zones"][0]["records"]), late);
    assert_eq!(r.json["zones"][0]["moreComing"], false);
}
