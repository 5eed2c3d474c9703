//! Batch logic against scripted answers the emulator does not give: per-item transient errors
//! and lost answers followed by `EXISTS`.

use super::{client, fast_retries};
use super::{http, scripted};
use cloudkit_wire::ws::ServerErrorCode;

#[tokio::test]
async fn per_item_transient_errors_resend_only_those_operations() {
    let (url, seen) = scripted(vec![
        http(
            "200 OK",
            "",
            r#"{"records":[{"recordName":"a","serverErrorCode":"TRY_AGAIN_LATER","retryAfter":0},
                           {"recordName":"b","recordType":"Thing","recordChangeTag":"t1"}]}"#,
        ),
        http(
            "200 OK",
            "",
            r#"{"records":[{"recordName":"a","recordType":"Thing","recordChangeTag":"t2"}]}"#,
        ),
    ])
    .await;
    let c = client(&url, fast_retries());
    let thing = |name: &str| cloudkit_wire::ws::Record::named("Thing", name);
    let report = c
        .public_database()
        .modify()
        .operation(cloudkit_wire::ws::RecordOperationType::Create, thing("a"))
        .operation(cloudkit_wire::ws::RecordOperationType::Create, thing("b"))
        .send()
        .await
        .expect("send");
    let names: Vec<_> = report
        .results
        .iter()
        .map(|r| {
            r.as_ref()
                .ok()
                .and_then(|o| o.record_name().map(str::to_owned))
        })
        .collect();
    assert_eq!(
        names,
        [Some("a".to_owned()), Some("b".to_owned())],
        "in order"
    );
    let log = seen.lock().expect("log").clone();
    assert_eq!(log.len(), 2);
    assert!(
        log[1].contains(r#""recordName":"a""#) && !log[1].contains(r#""recordName":"b""#),
        "{log:?}"
    );
}

#[tokio::test]
async fn a_retried_create_answered_exists_is_checked_against_the_server() {
    // Attempt 1 is applied but its answer is lost; attempt 2 says EXISTS for both; the
    // lookup shows `a` with the content sent (success) and `b` with other content (error).
    let (url, _) = scripted(vec![
        None,
        http(
            "200 OK",
            "",
            r#"{"records":[{"recordName":"a","serverErrorCode":"EXISTS"},
                           {"recordName":"b","serverErrorCode":"EXISTS"}]}"#,
        ),
        http(
            "200 OK",
            "",
            r#"{"records":[
                {"recordName":"a","recordType":"Thing","recordChangeTag":"t1",
                 "fields":{"title":{"value":"mine","type":"STRING"}}},
                {"recordName":"b","recordType":"Thing","recordChangeTag":"t9",
                 "fields":{"title":{"value":"someone else's","type":"STRING"}}}]}"#,
        ),
    ])
    .await;
    let c = client(&url, fast_retries());
    let thing = |name: &str| {
        cloudkit_wire::ws::Record::named("Thing", name).with_field(
            "title",
            cloudkit_wire::ws::FieldValue::from(cloudkit_wire::ws::Value::String("mine".into())),
        )
    };
    let report = c
        .public_database()
        .modify()
        .operation(cloudkit_wire::ws::RecordOperationType::Create, thing("a"))
        .operation(cloudkit_wire::ws::RecordOperationType::Create, thing("b"))
        .send()
        .await
        .expect("send");
    assert!(report.results[0].is_ok(), "{:?}", report.results[0]);
    let failure = report.results[1].as_ref().expect_err("not ours");
    assert_eq!(failure.code(), ServerErrorCode::Exists);
    assert!(failure.server_record.is_some());
}

#[tokio::test]
async fn a_batch_failing_part_way_reports_what_was_answered() {
    let answered: Vec<String> = (0..200)
        .map(|i| format!(r#"{{"recordName":"r{i}","recordType":"Thing","recordChangeTag":"t"}}"#))
        .collect();
    let first = format!(r#"{{"records":[{}]}}"#, answered.join(","));
    let (url, seen) = scripted(vec![
        http("200 OK", "", &first),
        http(
            "400 Bad Request",
            "",
            r#"{"serverErrorCode":"BAD_REQUEST","reason":"no"}"#,
        ),
        http("200 OK", "", r#"{"records":[]}"#),
    ])
    .await;
    let mut batch = client(&url, fast_retries())
        .public_database()
        .modify()
        .requests_in_flight(1);
    for i in 0..450 {
        batch = batch.operation(
            cloudkit_wire::ws::RecordOperationType::Create,
            cloudkit_wire::ws::Record::named("Thing", format!("r{i}")),
        );
    }
    let err = batch.send().await.expect_err("second request fails");
    let crate::client::Error::BatchIncomplete {
        completed,
        not_completed,
        source,
    } = err
    else {
        panic!("expected BatchIncomplete, got {err:?}");
    };
    assert_eq!(completed.len(), 200);
    assert!(
        completed
            .iter()
            .enumerate()
            .all(|(k, (i, r))| k == *i && r.is_ok())
    );
    assert_eq!(not_completed, (200..450).collect::<Vec<_>>());
    assert_eq!(source.code(), Some(ServerErrorCode::BadRequest));
    assert_eq!(
        seen.lock().expect("log").len(),
        2,
        "the third request was not sent"
    );
}
