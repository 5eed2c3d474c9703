//! The management client's v1 data calls (zones, records, lookup, query) over real HTTP
//! against the emulator (issue #18).

use cloudkit_emulator::Emulator;
use cloudkit_runtime::Environment;
use cloudkit_runtime::management::wire::{
    CreateRecordRequest, DatabaseType, DeleteRecordsByQueryRequest, FieldType, FieldValue, Fields,
    FilterType, Location, LookupRecordsRequest, ModifyRecordRequest, Query, QueryFilter,
    QueryRecordsRequest, QuerySort, RecordChangesRequest, RecordResult, SortOrder,
};
use cloudkit_runtime::management::{ApiToken, Error, ManagementClient, WebAuthToken};
use futures_util::TryStreamExt as _;

const API_TOKEN: &str = "v1-client-api-token";
const CONTAINER: &str = "iCloud.com.example.v1client";
const SCHEMA: &str = r#"
DEFINE SCHEMA
    RECORD TYPE Note (
        "___createTime" TIMESTAMP QUERYABLE SORTABLE,
        "___createdBy"  REFERENCE QUERYABLE,
        "___modTime"    TIMESTAMP QUERYABLE SORTABLE,
        "___recordID"   REFERENCE QUERYABLE,
        title     STRING QUERYABLE SEARCHABLE SORTABLE,
        body      STRING,
        tags      LIST<STRING> QUERYABLE SEARCHABLE,
        priority  INT64 QUERYABLE SORTABLE,
        score     DOUBLE QUERYABLE SORTABLE,
        due       TIMESTAMP QUERYABLE SORTABLE,
        place     LOCATION QUERYABLE,
        data      BYTES,
        GRANT WRITE TO "_creator",
        GRANT CREATE TO "_icloud",
        GRANT READ TO "_world"
    );
"#;

async fn emulator() -> Emulator {
    Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .api_token(API_TOKEN)
        .memory()
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A client with the API token and, when given, a signed-in user's web auth token.
fn client(emu: &Emulator, user: Option<&str>) -> ManagementClient {
    let mut builder = ManagementClient::builder()
        .base_url(emu.base_url())
        .api_token(ApiToken::new(API_TOKEN));
    if let Some(user) = user {
        builder = builder.web_auth_token(WebAuthToken::new(emu.sign_in(user).expose()));
    }
    builder.build().unwrap_or_else(|e| panic!("{e}"))
}

fn note_fields(title: &str, priority: i64) -> Fields {
    let mut fields = Fields::new();
    fields.insert("title".into(), FieldValue::String(title.into()));
    fields.insert("priority".into(), FieldValue::Int64(priority));
    fields.insert("body".into(), FieldValue::Null(FieldType::String));
    fields
}

#[tokio::test]
async fn zones_are_created_listed_read_and_deleted() {
    let emu = emulator().await;
    let alice = client(&emu, Some("alice"));
    let db = alice.database(CONTAINER, Environment::Development, DatabaseType::Private);

    let made = db
        .create_zone("Work")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (made.zone_name.as_str(), made.canonical_name.as_str()),
        ("Work", "Work")
    );
    let names: Vec<String> = db
        .zones()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|z| z.zone_name)
        .collect();
    assert!(
        names.contains(&"_defaultZone".to_owned()) && names.contains(&"Work".to_owned()),
        "{names:?}"
    );
    let work = db.zone("Work").await.unwrap_or_else(|e| panic!("{e}"));
    assert!(!work.is_default_zone);

    db.delete_zone("Work")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let gone = db.zone("Work").await.expect_err("deleted");
    assert_eq!(gone.status(), Some(404), "{gone}");
    assert_eq!(
        gone.request_error().map(|e| e.reason.as_str()),
        Some("NOT_FOUND")
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn records_round_trip_with_exact_values_and_change_tags() {
    let emu = emulator().await;
    let alice = client(&emu, Some("alice"));
    let db = alice.database(CONTAINER, Environment::Development, DatabaseType::Public);
    let zone = "_defaultZone";

    let mut fields = note_fields("first", i64::MAX);
    fields.insert("score".into(), FieldValue::Double(2.5));
    fields.insert(
        "due".into(),
        FieldValue::Timestamp("2024-01-01T12:00:00.250Z".into()),
    );
    fields.insert(
        "tags".into(),
        FieldValue::StringList(vec!["a".into(), "b".into()]),
    );
    fields.insert("data".into(), FieldValue::Bytes(vec![0, 1, 255]));
    fields.insert(
        "place".into(),
        FieldValue::Location(Location {
            latitude: 37.5,
            longitude: -122.25,
            altitude: None,
            horizontal_accuracy: None,
            vertical_accuracy: None,
            course: None,
            speed: None,
            timestamp: None,
        }),
    );
    let created = db
        .create_record(
            zone,
            &CreateRecordRequest::new("Note", fields.clone()).named("n1"),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for name in ["title", "priority", "score", "due", "tags", "data"] {
        assert_eq!(created.fields.get(name), fields.get(name), "{name}");
    }
    assert!(created.created.timestamp.ends_with('Z'));
    assert_eq!(
        created.zone.as_ref().map(|z| z.canonical_name.as_str()),
        Some(zone)
    );

    // Only the requested fields come back.
    let titled = db
        .record(zone, "n1", Some(&["title"]))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(titled.fields.keys().collect::<Vec<_>>(), ["title"]);

    // Update with the current tag; the old tag is then stale; force skips the check.
    let updated = db
        .update_record(
            zone,
            "n1",
            &ModifyRecordRequest::of(&created, note_fields("second", 2)),
            false,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(updated.record_change_tag, created.record_change_tag);
    let stale = db
        .update_record(
            zone,
            "n1",
            &ModifyRecordRequest::of(&created, note_fields("third", 3)),
            false,
        )
        .await
        .expect_err("stale tag");
    assert_eq!(stale.status(), Some(409), "{stale}");
    let forced = db
        .update_record(
            zone,
            "n1",
            &ModifyRecordRequest::of(&created, note_fields("forced", 4)),
            true,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        forced.fields.get("title"),
        Some(&FieldValue::String("forced".into()))
    );

    // Lookup: one result per name, a missing one as an error result.
    let results = db
        .lookup_records(
            zone,
            &LookupRecordsRequest {
                record_names: vec!["n1".into(), "nope".into()],
                requested_fields: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(&results[0], RecordResult::Existing { record_name, .. } if record_name == "n1")
    );
    assert!(
        matches!(&results[1], RecordResult::Error { error_code, .. } if error_code == "NOT_FOUND"),
        "{results:?}"
    );

    db.delete_record(zone, "n1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let gone = db.record(zone, "n1", None).await.expect_err("deleted");
    assert_eq!(gone.status(), Some(404), "{gone}");

    // An unnamed create is named here (a UUID), so a retry cannot make a second record.
    let unnamed = db
        .create_record(zone, &CreateRecordRequest::new("Note", note_fields("u", 0)))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unnamed.record_name.len(), 36, "{}", unnamed.record_name);
    emu.shutdown().await;
}

#[tokio::test]
async fn queries_page_with_continuation_tokens() {
    let emu = emulator().await;
    let alice = client(&emu, Some("alice"));
    let db = alice.database(CONTAINER, Environment::Development, DatabaseType::Public);
    let zone = "_defaultZone";
    for i in 0..5 {
        db.create_record(
            zone,
            &CreateRecordRequest::new("Note", note_fields(&format!("note {i}"), i))
                .named(format!("q{i}")),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let mut request = QueryRecordsRequest::new(Query {
        filters: Some(vec![QueryFilter::new(
            "priority",
            FilterType::GreaterThanOrEquals,
            FieldValue::Int64(1),
        )]),
        sorts: Some(vec![QuerySort {
            order: SortOrder::Descending,
            field_name: Some("priority".into()),
        }]),
        ..Query::all("Note")
    });
    request.results_limit = Some(2);

    let first = db
        .query_records(zone, &request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.records.len(), 2);
    assert!(first.continuation_token.is_some());

    // Anonymous reads of the public database need only the API token.
    let anonymous = client(&emu, None);
    let all = anonymous
        .database(CONTAINER, Environment::Development, DatabaseType::Public)
        .query_all(zone, &request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = all.iter().map(|r| r.record_name.as_str()).collect();
    assert_eq!(names, ["q4", "q3", "q2", "q1"]);

    // The stream reads the same records page by page.
    let streamed: Vec<String> = db
        .query_stream(zone, &request)
        .map_ok(|r| r.record_name)
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(streamed, names);
    emu.shutdown().await;
}

#[tokio::test]
async fn errors_are_typed_and_bad_parameters_never_leave_the_client() {
    let emu = emulator().await;
    let anonymous = client(&emu, None);
    let db = anonymous.database(CONTAINER, Environment::Development, DatabaseType::Public);

    // Writing needs a signed-in user: 421 with a redirect URL.
    let denied = db
        .create_record(
            "_defaultZone",
            &CreateRecordRequest::new("Note", note_fields("x", 1)),
        )
        .await
        .expect_err("needs a user");
    assert_eq!(denied.status(), Some(421), "{denied}");
    assert!(
        denied
            .request_error()
            .is_some_and(|e| e.redirect_url.is_some())
    );
    assert!(!denied.to_string().contains(API_TOKEN));

    // Checked client-side, as CKTool JS does: nothing is sent.
    let mut request = QueryRecordsRequest::new(Query::all("Note"));
    request.results_limit = Some(500);
    let refused = db
        .query_records("_defaultZone", &request)
        .await
        .expect_err("limit");
    assert!(
        matches!(refused, Error::InvalidParameters { .. }),
        "{refused}"
    );
    let mut fields = Fields::new();
    fields.insert("score".into(), FieldValue::Double(f64::NAN));
    let refused = db
        .create_record("_defaultZone", &CreateRecordRequest::new("Note", fields))
        .await
        .expect_err("NaN");
    assert!(
        matches!(refused, Error::InvalidParameters { .. }),
        "{refused}"
    );
    let untagged = ModifyRecordRequest {
        record_type: "Note".into(),
        ..ModifyRecordRequest::default()
    };
    let refused = db
        .update_record("_defaultZone", "n1", &untagged, false)
        .await
        .expect_err("no change tag");
    assert!(
        matches!(refused, Error::InvalidParameters { .. }),
        "{refused}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn record_changes_follow_change_tokens_and_more_coming() {
    let emu = emulator().await;
    let alice = client(&emu, Some("alice"));
    let db = alice.database(CONTAINER, Environment::Development, DatabaseType::Private);
    db.create_zone("Work")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for i in 0..3 {
        db.create_record(
            "Work",
            &CreateRecordRequest::new("Note", note_fields("c", i)).named(format!("c{i}")),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    }

    // One at a time: more is coming after the first page.
    let first = db
        .record_changes(
            "Work",
            &RecordChangesRequest {
                results_limit: Some(1),
                ..RecordChangesRequest::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.record_results.len(), 1);
    assert!(first.more_coming);

    // Followed to the end from an empty request (sent as an empty body).
    let all = db
        .all_record_changes("Work", &RecordChangesRequest::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!all.more_coming);
    let mut names: Vec<&str> = all
        .record_results
        .iter()
        .filter_map(|r| r.record().map(|r| r.record_name.as_str()))
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["c0", "c1", "c2"]);

    // Since that token: nothing, then the deletion as a `deleted` result.
    let since = RecordChangesRequest {
        change_token: all.change_token.clone(),
        ..RecordChangesRequest::default()
    };
    let quiet = db
        .record_changes("Work", &since)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(quiet.record_results.is_empty(), "{quiet:?}");
    db.delete_record("Work", "c1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let after = db
        .all_record_changes("Work", &since)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        after.record_results,
        [RecordResult::Deleted {
            record_name: "c1".into()
        }]
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn deletion_queries_dry_run_page_and_report_per_record_errors() {
    let emu = emulator().await;
    let alice = client(&emu, Some("alice"));
    let db = alice.database(CONTAINER, Environment::Development, DatabaseType::Public);
    let zone = "_defaultZone";
    for i in 0..4 {
        db.create_record(
            zone,
            &CreateRecordRequest::new("Note", note_fields("d", i)).named(format!("d{i}")),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let filter = QueryFilter::new(
        "priority",
        FilterType::GreaterThanOrEquals,
        FieldValue::Int64(1),
    );
    let mut request = DeleteRecordsByQueryRequest::new("Note", vec![filter]);

    // Bob may read Alice's public records but not delete them: per-record errors.
    let bob = client(&emu, Some("bob"));
    let refused = bob
        .database(CONTAINER, Environment::Development, DatabaseType::Public)
        .delete_all_by_query(zone, &request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(refused.deleted_count, 0, "{refused:?}");
    assert_eq!(refused.errors.len(), 3, "{refused:?}");

    // A dry run counts and deletes nothing.
    request.dry_run = Some(true);
    let dry = db
        .delete_all_by_query(zone, &request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((dry.deleted_count, dry.errors.len()), (3, 0), "{dry:?}");

    // For real, one per batch: the helper follows the continuation token.
    request.dry_run = None;
    request.results_limit = Some(1);
    let one = db
        .delete_records_by_query(zone, &request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(one.deleted_count, 1);
    assert!(one.continuation_token.is_some(), "{one:?}");
    let rest = db
        .delete_all_by_query(zone, &request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rest.deleted_count, 2, "{rest:?}");
    let left: Vec<String> = db
        .query_all(zone, &QueryRecordsRequest::new(Query::all("Note")))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|r| r.record_name)
        .collect();
    assert_eq!(left, ["d0"]);
    emu.shutdown().await;
}
