//! Transport behaviour against deliberately broken servers (malformed JSON, non-JSON 503,
//! dropped connections): things a correct emulator never does. End-to-end behaviour is tested
//! against the emulator in `tests/`.

use tokio::net::TcpListener;

use super::{Thing, client, fast_retries, http, scripted};

use crate::client::error::TransportKind;
use crate::client::{Client, Error, RetryPolicy};
use cloudkit_wire::ws::ServerErrorCode;

#[tokio::test]
async fn web_auth_token_rotates_on_success_and_error() {
    let (url, seen) = scripted(vec![
        http(
            "200 OK",
            "X-Apple-CloudKit-Web-Auth-Token: second+/=\r\n",
            r#"{"zones":[]}"#,
        ),
        http(
            "421 Misdirected Request",
            "X-Apple-CloudKit-Web-Auth-Token: third\r\n",
            r#"{"serverErrorCode":"AUTHENTICATION_REQUIRED","redirectURL":"https://x"}"#,
        ),
        http("200 OK", "", r#"{"zones":[]}"#),
    ])
    .await;
    let c = client(&url, RetryPolicy::none());
    let zones = c.signed_in().expect("signed in").private_database().zones();
    zones.list().await.expect("first");
    let err = zones.list().await.expect_err("421");
    assert_eq!(err.code(), Some(ServerErrorCode::AuthenticationRequired));
    assert_eq!(
        err.server().and_then(|s| s.redirect_url()),
        Some("https://x")
    );
    zones.list().await.expect("third");
    let lines = seen.lock().expect("log").clone();
    assert!(
        lines[0].contains("ckWebAuthToken=first%2Btoken "),
        "{lines:?}"
    );
    assert!(
        lines[1].contains("ckWebAuthToken=second%2B%2F%3D "),
        "{lines:?}"
    );
    assert!(lines[2].contains("ckWebAuthToken=third "), "{lines:?}");
    assert_eq!(
        c.web_auth_token().map(|t| t.expose_secret().to_owned()),
        Some("third".into())
    );
}

#[tokio::test]
async fn non_json_503_and_dropped_connections_are_retried() {
    let (url, seen) = scripted(vec![
        http("503 Service Unavailable", "", "<html>down</html>"),
        None,
        http(
            "200 OK",
            "",
            r#"{"zones":[{"zoneID":{"zoneName":"_defaultZone"}}]}"#,
        ),
    ])
    .await;
    let c = client(&url, fast_retries());
    let zones = c
        .public_database()
        .zones()
        .list()
        .await
        .expect("retried to success");
    assert_eq!(zones.len(), 1);
    assert_eq!(seen.lock().expect("log").len(), 3);
    assert_eq!(c.stats().attempts, 3);
    assert_eq!(c.stats().retries, 2);
}

#[tokio::test]
async fn retry_off_reports_the_first_failure() {
    let (url, _) = scripted(vec![http("503 Service Unavailable", "", "")]).await;
    let err = client(&url, RetryPolicy::none())
        .public_database()
        .zones()
        .list()
        .await
        .expect_err("503");
    assert!(
        matches!(err, Error::ServiceUnavailable { status: 503, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn malformed_json_is_a_typed_error() {
    let (url, _) = scripted(vec![
        http("200 OK", "", r#"{"zones": [ {"zoneID": 5 "#),
        http("500 Internal Server Error", "", "not json"),
        http(
            "200 OK",
            "",
            r#"{"records":[{"recordName":"a"},{"recordName":"b"}]}"#,
        ),
    ])
    .await;
    let c = client(&url, RetryPolicy::none());
    let zones = c.public_database().zones();
    let err = zones.list().await.expect_err("bad json");
    assert!(
        matches!(err, Error::UnexpectedResponse { status: 200, .. }),
        "{err:?}"
    );
    let err = zones.list().await.expect_err("bad error body");
    assert!(
        matches!(err, Error::UnexpectedResponse { status: 500, .. }),
        "{err:?}"
    );
    // Two results for one operation: refused rather than misattributed.
    let err = c
        .public_database()
        .modify()
        .force_delete::<Thing>("a")
        .send()
        .await
        .expect_err("count mismatch");
    assert!(matches!(err, Error::UnexpectedResponse { .. }), "{err:?}");
}

#[tokio::test]
async fn whole_request_errors_carry_the_dictionary_and_no_secrets() {
    let (url, _) = scripted(vec![
        http(
            "429 Too Many Requests",
            "",
            r#"{"serverErrorCode":"THROTTLED","reason":"slow down","retryAfter":0,"uuid":"u-1"}"#,
        ),
        http(
            "400 Bad Request",
            "",
            r#"{"serverErrorCode":"BAD_REQUEST","reason":"nope","uuid":"u-2"}"#,
        ),
    ])
    .await;
    let err = client(&url, fast_retries())
        .public_database()
        .zones()
        .list()
        .await
        .expect_err("400 after a retried 429");
    let server = err.server().expect("server error");
    assert_eq!(server.code(), ServerErrorCode::BadRequest);
    assert_eq!(server.http_status, Some(400));
    assert_eq!(server.uuid(), Some("u-2"));
    assert!(!err.to_string().contains("api-secret"));

    // Connection refused: the URL (with the tokens) must not leak into the message.
    let closed = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = closed.local_addr().expect("addr");
    drop(closed);
    let err = client(&format!("http://{addr}"), RetryPolicy::none())
        .public_database()
        .zones()
        .list()
        .await
        .expect_err("refused");
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains("api-secret") && !shown.contains("first"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_refused_loopback_connection_fails_fast_with_a_hint() {
    let closed = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let c = client(&format!("http://127.0.0.1:{port}"), fast_retries());
    let err = c
        .public_database()
        .zones()
        .list()
        .await
        .expect_err("refused");
    assert_eq!(c.stats().attempts, 1, "not retried");
    let shown = err.to_string();
    assert!(
        shown.contains(&format!("is `cloudkit serve` running on port {port}?")),
        "{shown}"
    );
    // Debug reads like Display (then the causes), secrets still out.
    let debug = format!("{err:?}");
    assert!(debug.starts_with(&shown), "{debug}");
    assert!(
        !debug.contains("api-secret") && !debug.contains("first"),
        "{debug}"
    );
}

#[tokio::test]
async fn oversized_answers_and_cross_host_redirects_are_refused() {
    let big = format!(r#"{{"zones":[],"pad":"{}"}}"#, "x".repeat(4096));
    let (url, _) = scripted(vec![http("200 OK", "", &big)]).await;
    let c = Client::builder()
        .container("iCloud.t")
        .base_url(&url)
        .api_token("api-secret")
        .max_response_bytes(1024)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let err = c
        .public_database()
        .zones()
        .list()
        .await
        .expect_err("too big");
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 1024, .. }),
        "{err:?}"
    );

    // A redirect to another host (localhost is not 127.0.0.1 by name) is not followed.
    let (other, other_seen) = scripted(vec![http("200 OK", "", r#"{"zones":[]}"#)]).await;
    let elsewhere = other.replace("127.0.0.1", "localhost");
    let (url, seen) = scripted(vec![http(
        "307 Temporary Redirect",
        &format!("Location: {elsewhere}/somewhere\r\n"),
        "",
    )])
    .await;
    let err = client(&url, RetryPolicy::none())
        .public_database()
        .zones()
        .list()
        .await
        .expect_err("redirect refused");
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Other,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(seen.lock().expect("log").len(), 1);
    assert!(other_seen.lock().expect("log").is_empty(), "never reached");
}
