//! Throttling in the shapes seen live (spec §5, §8), retry deadlines, and batches refused as too
//! large: answers the emulator does not give.

use std::time::Duration;

use super::{Thing, client, fast_retries, http, scripted};
use crate::client::{Error, RetryPolicy};
use cloudkit_wire::ws::{Record, RecordOperationType, ServerErrorCode};

#[tokio::test]
async fn throttling_by_code_header_or_access_denied_with_a_hint_is_retried() {
    let (url, seen) = scripted(vec![
        // THROTTLED with 503 instead of 429, no retryAfter: the code decides.
        http(
            "503 Service Unavailable",
            "",
            r#"{"serverErrorCode":"THROTTLED","reason":"slow down"}"#,
        ),
        // ACCESS_DENIED carrying a Retry-After header: throttling.
        http(
            "403 Forbidden",
            "Retry-After: 0\r\n",
            r#"{"serverErrorCode":"ACCESS_DENIED","reason":"rate"}"#,
        ),
        // A 429 that is not JSON, with the header instead of a body field.
        http("429 Too Many Requests", "Retry-After: 0\r\n", "slow down"),
        http("200 OK", "", r#"{"zones":[]}"#),
    ])
    .await;
    let c = client(&url, fast_retries());
    c.public_database().zones().list().await.expect("retried");
    assert_eq!(seen.lock().expect("log").len(), 4);
    assert_eq!(c.stats().retries, 3);
}

#[tokio::test]
async fn access_denied_without_a_hint_is_final() {
    let (url, seen) = scripted(vec![
        http(
            "403 Forbidden",
            "",
            r#"{"serverErrorCode":"ACCESS_DENIED","reason":"no"}"#,
        ),
        http("200 OK", "", r#"{"zones":[]}"#),
    ])
    .await;
    let err = client(&url, fast_retries())
        .public_database()
        .zones()
        .list()
        .await
        .expect_err("final");
    assert_eq!(err.code(), Some(ServerErrorCode::AccessDenied));
    assert_eq!(seen.lock().expect("log").len(), 1);
}

#[tokio::test]
async fn a_server_wait_longer_than_max_wait_gives_up_at_once_and_says_so() {
    let (url, seen) = scripted(vec![http(
        "429 Too Many Requests",
        "",
        r#"{"serverErrorCode":"THROTTLED","retryAfter":3600}"#,
    )])
    .await;
    // Guard only: today's client would sleep an hour.
    let result = tokio::time::timeout(
        Duration::from_secs(60),
        client(&url, RetryPolicy::default())
            .public_database()
            .zones()
            .list(),
    )
    .await
    .expect("gave up instead of waiting an hour");
    let err = result.expect_err("throttled");
    assert!(
        matches!(
            err,
            Error::GaveUp {
                attempts: 1,
                retry_after: Some(3600.0),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("3600"), "{err}");
    assert_eq!(seen.lock().expect("log").len(), 1);
}

#[tokio::test]
async fn retries_stop_at_the_deadline() {
    let busy = || {
        http(
            "503 Service Unavailable",
            "Retry-After: 1\r\n",
            r#"{"serverErrorCode":"TRY_AGAIN_LATER"}"#,
        )
    };
    let (url, seen) = scripted(vec![busy(), busy(), busy(), busy()]).await;
    let policy = fast_retries().with_max_elapsed(Duration::from_millis(1500));
    let err = client(&url, policy)
        .public_database()
        .zones()
        .list()
        .await
        .expect_err("deadline");
    assert!(
        matches!(err, Error::GaveUp { attempts: 2, retry_after: Some(r), .. } if r == 1.0),
        "{err:?}"
    );
    assert_eq!(seen.lock().expect("log").len(), 2);
}

#[tokio::test]
async fn a_batch_refused_as_too_large_is_sent_in_halves() {
    let saved = |a: &str, b: &str| {
        format!(
            r#"{{"records":[{{"recordName":"{a}","recordType":"Thing","recordChangeTag":"t"}},
                            {{"recordName":"{b}","recordType":"Thing","recordChangeTag":"t"}}]}}"#
        )
    };
    let (url, seen) = scripted(vec![
        http(
            "413 Payload Too Large",
            "",
            r#"{"serverErrorCode":"BAD_REQUEST","reason":"request too large"}"#,
        ),
        http("200 OK", "", &saved("r0", "r1")),
        http("200 OK", "", &saved("r2", "r3")),
    ])
    .await;
    let mut batch = client(&url, fast_retries()).public_database().modify();
    for i in 0..4 {
        batch = batch.operation(
            RecordOperationType::Create,
            Record::named("Thing", format!("r{i}")),
        );
    }
    let report = batch.send().await.expect("split and sent");
    let names: Vec<_> = report
        .results
        .iter()
        .map(|r| {
            r.as_ref()
                .ok()
                .and_then(|o| o.record_name().map(str::to_owned))
        })
        .collect();
    assert_eq!(names, ["r0", "r1", "r2", "r3"].map(|n| Some(n.to_owned())));
    let log = seen.lock().expect("log").clone();
    assert_eq!(log.len(), 3);
    assert!(
        log[1].contains(r#""r1""#) && !log[1].contains(r#""r2""#),
        "{log:?}"
    );
    let _ = Thing;
}
