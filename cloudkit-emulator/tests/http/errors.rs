use cloudkit_emulator::Environment;

use crate::common::{API_TOKEN, CONTAINER, Client, redacted, start};

#[tokio::test]
async fn malformed_requests_get_cloudkit_errors_never_500() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let bodies: [(&str, &str); 9] = [
        ("records/modify", "{not json"),
        ("records/modify", ""),
        ("records/modify", r#"{"operations":"nope"}"#),
        (
            "records/modify",
            r#"{"operations":[{"operationType":"explode","record":{}}]}"#,
        ),
        (
            "records/query",
            r#"{"query":{"recordType":"Note","filterBy":[{"comparator":"SOUNDS_LIKE","fieldName":"title","fieldValue":{"value":"x"}}]}}"#,
        ),
        (
            "records/query",
            r#"{"query":{"recordType":"Note","filterBy":[{"comparator":"EQUALS","fieldValue":{"value":"x"}}]}}"#,
        ),
        ("records/lookup", r#"{"records":[{"noName":1}]}"#),
        (
            "zones/modify",
            r#"{"operations":[{"operationType":"create"}]}"#,
        ),
        ("records/query", "[]"),
    ];
    for (endpoint, body) in bodies {
        let r = alice.post_raw("private", endpoint, body).await;
        assert_eq!(
            (r.status.as_u16(), r.code()),
            (400, "BAD_REQUEST"),
            "{endpoint} {body}: {}",
            r.json
        );
        assert!(r.json["uuid"].as_str().is_some());
    }
    let r = alice
        .post_raw("private", "records/modify", "{not json")
        .await;
    redacted().bind(|| insta::assert_json_snapshot!("bad_json", r.json));
    // a huge body
    let r = alice
        .post_raw("private", "records/modify", vec![b' '; 17 * 1024 * 1024])
        .await;
    assert_eq!((r.status.as_u16(), r.code()), (413, "QUOTA_EXCEEDED"));

    let http = crate::common::http();
    let base = emu.base_url();
    let send = |method: reqwest::Method, path: String| {
        let http = http.clone();
        let url = format!("{base}{path}");
        async move {
            let resp = http
                .request(method, url)
                .body("{}")
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let status = resp.status().as_u16();
            let allow = resp
                .headers()
                .get("allow")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let json: serde_json::Value = resp.json().await.unwrap_or(serde_json::Value::Null);
            (status, json, allow)
        }
    };
    let q = format!("?ckAPIToken={API_TOKEN}");
    let (s, j, _) = send(
        reqwest::Method::POST,
        format!("/database/1/{CONTAINER}/development/public/records/explode{q}"),
    )
    .await;
    assert_eq!((s, j["serverErrorCode"].as_str()), (404, Some("NOT_FOUND")));
    redacted().bind(|| insta::assert_json_snapshot!("unknown_endpoint", j));
    let (s, _, _) = send(reqwest::Method::GET, "/favicon.ico".into()).await;
    assert_eq!(s, 404);
    let (s, j, allow) = send(
        reqwest::Method::POST,
        format!("/database/1/{CONTAINER}/development/public/tokens/create{q}"),
    )
    .await;
    assert_eq!((s, allow.as_deref()), (405, Some("OPTIONS")), "{j}");
    let (s, _, _) = send(
        reqwest::Method::GET,
        format!("/database/1/{CONTAINER}/development/public/records/query{q}"),
    )
    .await;
    assert_eq!(s, 405);
    let (s, j, _) = send(
        reqwest::Method::POST,
        format!("/database/1/{CONTAINER}/staging/public/records/query{q}"),
    )
    .await;
    assert_eq!(
        (s, j["serverErrorCode"].as_str()),
        (400, Some("BAD_REQUEST"))
    );
    let (s, _, _) = send(
        reqwest::Method::POST,
        format!("/database/1/{CONTAINER}/development/everyone/records/query{q}"),
    )
    .await;
    assert_eq!(s, 400);
    let (s, _, _) = send(
        reqwest::Method::POST,
        format!("/database/1/iCloud.other/development/public/records/query{q}"),
    )
    .await;
    assert_eq!(s, 400);
    let (s, _, _) = send(
        reqwest::Method::POST,
        format!("/database/1/{CONTAINER}/production/public/records/query{q}"),
    )
    .await;
    assert_eq!(s, 400, "this emulator serves development only");
    let (s, _, _) = send(
        reqwest::Method::OPTIONS,
        format!("/database/1/{CONTAINER}/development/public/records/query"),
    )
    .await;
    assert_eq!(s, 204);
    // extra query parameters CloudKit JS sends are ignored
    let r = alice.get("public", "users/caller").await;
    assert_eq!(r.status, 200);
    let url = format!(
        "{}&ckjsBuildVersion=2420ProjectDev22&ckjsVersion=2.6.4&clientId=x",
        alice.url("public", "users/caller")
    );
    let resp = http
        .get(url)
        .header("content-type", "text/plain")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status(), 200);
    emu.shutdown().await;
}
