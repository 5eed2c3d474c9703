use cloudkit_emulator::Environment;
use cloudkit_wire::ws::{
    Comparator as C, FieldValue, Filter, Query, QueryRecordsRequest, Record,
    RecordOperationType as Op, Sort, SystemField, Value,
};
use cloudkit_wire::{Location, Reference, Timestamp};
use serde_json::json;

use crate::common::{Client, redacted, start};
use crate::records::{modify, op};

fn s(v: &str) -> FieldValue {
    FieldValue::new(Value::String(v.to_owned()))
}

/// name, title, tags, priority, score, due, (latitude, longitude)
type Row = (
    &'static str,
    &'static str,
    &'static [&'static str],
    i64,
    f64,
    i64,
    (f64, f64),
);

async fn seed(alice: &Client) {
    let rows: [Row; 5] = [
        (
            "n1",
            "Shopping list",
            &["home", "errands"],
            1,
            0.5,
            1_000,
            (52.52, 13.405),
        ),
        (
            "n2",
            "Shop opening hours",
            &["work"],
            2,
            1.5,
            2_000,
            (48.8566, 2.3522),
        ),
        (
            "n3",
            "Groceries and more",
            &["home"],
            3,
            2.5,
            3_000,
            (52.53, 13.41),
        ),
        (
            "n4",
            "Holiday plans",
            &[],
            4,
            3.5,
            4_000,
            (40.7128, -74.006),
        ),
        (
            "n5",
            "shopping again",
            &["errands", "car"],
            5,
            4.5,
            5_000,
            (52.52, 13.40),
        ),
    ];
    let ops = rows
        .iter()
        .map(|(name, title, tags, prio, score, due, (lat, lon))| {
            let rec = Record::named("Note", *name)
                .with_field("title", s(title))
                .with_field(
                    "tags",
                    FieldValue::new(Value::StringList(
                        tags.iter().map(|t| (*t).to_owned()).collect(),
                    )),
                )
                .with_field(
                    "counts",
                    FieldValue::new(Value::Int64List(vec![*prio, prio * 10])),
                )
                .with_field("priority", FieldValue::new(Value::Int64(*prio)))
                .with_field("score", FieldValue::new(Value::Double(*score)))
                .with_field(
                    "due",
                    FieldValue::new(Value::Timestamp(Timestamp::from_millis(*due))),
                )
                .with_field(
                    "place",
                    FieldValue::new(Value::from(Location::new(*lat, *lon))),
                )
                .with_field(
                    "folder",
                    FieldValue::new(Value::from(Reference::<()>::new(if *prio % 2 == 0 {
                        "even"
                    } else {
                        "odd"
                    }))),
                );
            op(Op::Create, rec)
        })
        .collect();
    let r = alice
        .post("public", "records/modify", &modify(ops, None, None))
        .await;
    assert!(
        r.json["records"]
            .as_array()
            .is_some_and(|a| a.iter().all(|x| x.get("serverErrorCode").is_none())),
        "{}",
        r.json
    );
}

async fn names(client: &Client, query: Query) -> Vec<String> {
    let r = client
        .post("public", "records/query", &QueryRecordsRequest::new(query))
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    r.json["records"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["recordName"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn f(field: &str, c: C, v: FieldValue) -> Filter {
    Filter::new(field, c, v)
}

#[tokio::test]
async fn every_comparator() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    seed(&alice).await;
    let q = |filters: Vec<Filter>| {
        let mut q = Query::new("Note").sort(Sort::ascending("priority"));
        q.filter_by = filters;
        q
    };
    let i = |n: i64| FieldValue::new(Value::Int64(n));
    let cases: Vec<(Vec<Filter>, &[&str])> = vec![
        (vec![f("title", C::Equals, s("Holiday plans"))], &["n4"]),
        (
            vec![f("title", C::NotEquals, s("Holiday plans"))],
            &["n1", "n2", "n3", "n5"],
        ),
        (vec![f("priority", C::LessThan, i(3))], &["n1", "n2"]),
        (
            vec![f("priority", C::LessThanOrEquals, i(3))],
            &["n1", "n2", "n3"],
        ),
        (vec![f("priority", C::GreaterThan, i(3))], &["n4", "n5"]),
        (
            vec![f("priority", C::GreaterThanOrEquals, i(3))],
            &["n3", "n4", "n5"],
        ),
        (
            vec![f(
                "score",
                C::GreaterThan,
                FieldValue::new(Value::Double(2.0)),
            )],
            &["n3", "n4", "n5"],
        ),
        (
            vec![f(
                "due",
                C::LessThan,
                FieldValue::new(Value::Timestamp(Timestamp::from_millis(2_500))),
            )],
            &["n1", "n2"],
        ),
        (
            vec![f(
                "priority",
                C::In,
                FieldValue::new(Value::Int64List(vec![1, 5])),
            )],
            &["n1", "n5"],
        ),
        (
            vec![f(
                "priority",
                C::NotIn,
                FieldValue::new(Value::Int64List(vec![1, 5])),
            )],
            &["n2", "n3", "n4"],
        ),
        (vec![f("title", C::BeginsWith, s("Shop"))], &["n1", "n2"]),
        (
            vec![f("title", C::NotBeginsWith, s("Shop"))],
            &["n3", "n4", "n5"],
        ),
        (
            vec![f("title", C::ContainsAllTokens, s("shopping LIST"))],
            &["n1"],
        ),
        (
            vec![f("title", C::ContainsAnyTokens, s("groceries holiday"))],
            &["n3", "n4"],
        ),
        (vec![f("tags", C::ListContains, s("home"))], &["n1", "n3"]),
        (
            vec![f("tags", C::NotListContains, s("home"))],
            &["n2", "n4", "n5"],
        ),
        (
            vec![f(
                "tags",
                C::ListContainsAny,
                FieldValue::new(Value::StringList(vec!["work".into(), "car".into()])),
            )],
            &["n2", "n5"],
        ),
        (
            vec![f(
                "tags",
                C::NotListContainsAny,
                FieldValue::new(Value::StringList(vec!["work".into(), "car".into()])),
            )],
            &["n1", "n3", "n4"],
        ),
        (
            vec![f(
                "tags",
                C::ListContainsAll,
                FieldValue::new(Value::StringList(vec!["errands".into(), "car".into()])),
            )],
            &["n5"],
        ),
        (
            vec![f(
                "tags",
                C::NotListContainsAll,
                FieldValue::new(Value::StringList(vec!["errands".into(), "car".into()])),
            )],
            &["n1", "n2", "n3", "n4"],
        ),
        (
            vec![f("tags", C::ListMemberBeginsWith, s("err"))],
            &["n1", "n5"],
        ),
        (
            vec![f("tags", C::NotListMemberBeginsWith, s("err"))],
            &["n2", "n3", "n4"],
        ),
        (vec![f("counts", C::ListContains, i(30))], &["n3"]),
        (
            vec![f(
                "folder",
                C::Equals,
                FieldValue::new(Value::from(Reference::<()>::without_action("even"))),
            )],
            &["n2", "n4"],
        ),
        (
            vec![
                f("title", C::BeginsWith, s("Shop")),
                f("priority", C::GreaterThan, i(1)),
            ],
            &["n2"],
        ),
        (
            vec![Filter {
                distance: Some(2_000.0),
                ..f(
                    "place",
                    C::Near,
                    FieldValue::new(Value::from(Location::new(52.52, 13.405))),
                )
            }],
            &["n1", "n3", "n5"],
        ),
        (
            vec![Filter::new(
                SystemField::RecordName,
                C::Equals,
                FieldValue::new(Value::from(Reference::<()>::without_action("n3"))),
            )],
            &["n3"],
        ),
    ];
    for (filters, want) in cases {
        let label = format!("{filters:?}");
        assert_eq!(names(&alice, q(filters)).await, want.to_vec(), "{label}");
    }
    // untyped operands as CloudKit JS sends them
    let body = r#"{"query":{"recordType":"Note","filterBy":[{"fieldName":"title","comparator":"BEGINS_WITH","fieldValue":{"value":"Shop"}}],"sortBy":[{"fieldName":"priority","ascending":false}]},"resultsLimit":10}"#;
    let r = alice.post_raw("public", "records/query", body).await;
    let got: Vec<&str> = r.json["records"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["recordName"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(got, ["n2", "n1"]);
    // system fields: created by alice, sorted by modification time descending
    let me = emu.user("alice").user_record_name;
    let q = Query::new("Note")
        .filter(Filter::new(
            SystemField::CreatedUserRecordName,
            C::Equals,
            FieldValue::new(Value::from(Reference::<()>::without_action(me))),
        ))
        .sort(Sort::descending(SystemField::ModifiedTimestamp));
    assert_eq!(names(&alice, q).await.len(), 5);
    // sort by distance from a point
    let mut near_paris = Sort::ascending("place");
    near_paris.relative_location = Some(FieldValue::new(Value::from(Location::new(48.85, 2.35))));
    let q = Query::new("Note").sort(near_paris);
    assert_eq!(
        names(&alice, q).await.first().map(String::as_str),
        Some("n2")
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn index_rules_are_enforced() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    seed(&alice).await;
    let bad = [
        (
            Query::new("Note").filter(f("body", C::Equals, s("x"))),
            "not marked queryable",
        ),
        (
            Query::new("Note").filter(f("folder", C::LessThan, s("x"))),
            "not marked sortable",
        ),
        (
            Query::new("Note")
                .filter(f("tags", C::ContainsAnyTokens, s("x")))
                .sort(Sort::ascending("body")),
            "not marked sortable",
        ),
        (
            Query::new("Note").filter(f("priority", C::ContainsAnyTokens, s("x"))),
            "not marked searchable",
        ),
        (
            Query::new("Note").sort(Sort::ascending("tags")),
            "not marked sortable",
        ),
        (
            Query::new("Note").filter(f("secret", C::Equals, s("x"))),
            "ENCRYPTED",
        ),
        (
            Query::new("Note").filter(f("nope", C::Equals, s("x"))),
            "Unknown field",
        ),
        (
            Query::new("Note").filter(f("priority", C::Equals, s("high"))),
            "INT64",
        ),
        (
            Query::new("Note").filter(f(
                "place",
                C::Near,
                FieldValue::new(Value::from(Location::new(0.0, 0.0))),
            )),
            "distance",
        ),
        (Query::new("Unindexed"), "not marked queryable"),
        (Query::new("Nope"), "Did not find record type"),
    ];
    for (q, reason) in bad {
        let r = alice
            .post(
                "public",
                "records/query",
                &QueryRecordsRequest::new(q.clone()),
            )
            .await;
        assert_eq!((r.status.as_u16(), r.code()), (400, "BAD_REQUEST"), "{q:?}");
        let text = r.json["reason"].as_str().unwrap_or_default();
        assert!(text.contains(reason), "{text} should mention {reason}");
    }
    let r = alice
        .post(
            "public",
            "records/query",
            &QueryRecordsRequest::new(Query::new("Note").filter(f("body", C::Equals, s("x")))),
        )
        .await;
    redacted().bind(|| insta::assert_json_snapshot!("query_not_queryable", r.json));
    emu.shutdown().await;
}

#[tokio::test]
async fn continuation_markers_page_stably_under_inserts() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let ops = (0..25)
        .map(|i| {
            op(
                Op::Create,
                Record::named("Note", format!("p{i:02}"))
                    .with_field("priority", FieldValue::new(Value::Int64(i * 10))),
            )
        })
        .collect();
    alice
        .post("public", "records/modify", &modify(ops, None, None))
        .await;
    let query = Query::new("Note").sort(Sort::ascending("priority"));
    let mut request = QueryRecordsRequest::new(query.clone());
    request.results_limit = Some(10);
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let r = alice.post("public", "records/query", &request).await;
        assert_eq!(r.status, 200, "{}", r.json);
        pages += 1;
        if pages == 1 {
            redacted().bind(|| {
                insta::assert_json_snapshot!(
                    "query_first_page_keys",
                    json!({
                        "count": r.json["records"].as_array().map(Vec::len),
                        "hasMarker": r.json.get("continuationMarker").is_some(),
                    })
                )
            });
            // Insert records before and after the cursor between pages.
            let ops = vec![
                op(
                    Op::Create,
                    Record::named("Note", "early")
                        .with_field("priority", FieldValue::new(Value::Int64(5))),
                ),
                op(
                    Op::Create,
                    Record::named("Note", "late")
                        .with_field("priority", FieldValue::new(Value::Int64(1000))),
                ),
            ];
            alice
                .post("public", "records/modify", &modify(ops, None, None))
                .await;
        }
        for rec in r.json["records"].as_array().into_iter().flatten() {
            seen.push(rec["recordName"].as_str().unwrap_or_default().to_owned());
        }
        match r.json.get("continuationMarker").and_then(|m| m.as_str()) {
            Some(m) => request.continuation_marker = Some(m.to_owned()),
            None => break,
        }
    }
    let mut expected: Vec<String> = (0..25).map(|i| format!("p{i:02}")).collect();
    expected.push("late".into());
    assert_eq!(
        seen, expected,
        "no repeats, no skips; the record inserted before the cursor is not shown"
    );
    assert_eq!(pages, 3);
    // a marker with another query is refused
    let mut other = QueryRecordsRequest::new(Query::new("Note").sort(Sort::descending("priority")));
    other.continuation_marker = request.continuation_marker.clone().or(Some("bogus".into()));
    let r = alice.post("public", "records/query", &other).await;
    assert_eq!(r.code(), "BAD_REQUEST");
    // resultsLimit above 200 is capped
    for batch in 0..2 {
        let ops = (0..150)
            .map(|i| {
                op(
                    Op::Create,
                    Record::named("Note", format!("q{batch}-{i:03}"))
                        .with_field("priority", FieldValue::new(Value::Int64(i))),
                )
            })
            .collect();
        alice
            .post("public", "records/modify", &modify(ops, None, None))
            .await;
    }
    let mut big = QueryRecordsRequest::new(Query::new("Note"));
    big.results_limit = Some(500);
    let r = alice.post("public", "records/query", &big).await;
    assert_eq!(r.json["records"].as_array().map(Vec::len), Some(200));
    assert!(r.json.get("continuationMarker").is_some());
    emu.shutdown().await;
}

/// Queries simple enough for SQL take a different path than the rest; both must give the same
/// pages. A filter that matches everything but cannot run in SQL forces the general path.
#[tokio::test]
async fn sql_and_general_paths_agree_page_by_page() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let mut seed = 12345u64;
    let mut next = move |m: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    let titles = ["apple", "Apple", "banana", "b", ""];
    let mut ops = Vec::new();
    for i in 0..90 {
        let mut rec = Record::named("Note", format!("r{:02}", next(100)) + &format!("-{i}"));
        if next(4) != 0 {
            rec = rec.with_field(
                "priority",
                FieldValue::new(Value::Int64(next(6) as i64 - 2)),
            );
        }
        if next(3) != 0 {
            rec = rec.with_field("title", s(titles[next(5) as usize]));
        }
        if next(3) != 0 {
            rec = rec.with_field(
                "score",
                FieldValue::new(Value::Double(next(7) as f64 / 2.0)),
            );
        }
        ops.push(op(Op::Create, rec));
    }
    let r = alice
        .post("public", "records/modify", &modify(ops, None, None))
        .await;
    assert_eq!(r.status, 200);
    let i = |n: i64| FieldValue::new(Value::Int64(n));
    let queries = vec![
        Query::new("Note"),
        Query::new("Note").sort(Sort::ascending("priority")),
        Query::new("Note").sort(Sort::descending("priority")),
        Query::new("Note").sort(Sort::ascending("title")),
        Query::new("Note").sort(Sort::descending("score")),
        Query::new("Note").sort(Sort::descending(SystemField::CreatedTimestamp)),
        Query::new("Note")
            .filter(f("priority", C::GreaterThanOrEquals, i(0)))
            .sort(Sort::descending("priority")),
        Query::new("Note")
            .filter(f("priority", C::LessThan, i(2)))
            .sort(Sort::ascending("score")),
        Query::new("Note").filter(f("title", C::Equals, s("apple"))),
        Query::new("Note")
            .filter(f("title", C::GreaterThan, s("Apple")))
            .sort(Sort::ascending("title")),
        Query::new("Note")
            .filter(f(
                "score",
                C::LessThanOrEquals,
                FieldValue::new(Value::Double(1.5)),
            ))
            .filter(f("priority", C::GreaterThan, i(-2))),
    ];
    for q in queries {
        let general = q
            .clone()
            .filter(f("tags", C::NotListContains, s("\u{1}never")));
        let mut pages = Vec::new();
        for query in [q.clone(), general] {
            let mut request = QueryRecordsRequest::new(query);
            request.results_limit = Some(7);
            let mut seen = Vec::new();
            loop {
                let r = alice.post("public", "records/query", &request).await;
                assert_eq!(r.status, 200, "{}", r.json);
                seen.extend(
                    r.json["records"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|x| x["recordName"].as_str().map(str::to_owned)),
                );
                match r.json.get("continuationMarker").and_then(|m| m.as_str()) {
                    Some(m) => request.continuation_marker = Some(m.to_owned()),
                    None => break,
                }
            }
            pages.push(seen);
        }
        assert_eq!(pages[0], pages[1], "{q:?}");
        assert!(!pages[0].is_empty(), "{q:?}");
    }
    emu.shutdown().await;
}
