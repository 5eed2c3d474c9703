use std::time::{Duration, SystemTime};

use base64::Engine as _;
use cloudkit_emulator::{Emulator, Environment};
use cloudkit_wire::ws::{
    FieldValue, LookupRecordsRequest, Record, RecordLookup, RecordOperationType as Op, Value,
};
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{DerSignature, SigningKey};
use p256::pkcs8::DecodePrivateKey as _;
use sha2::Digest as _;

use crate::common::{API_TOKEN, CONTAINER, Client, SCHEMA, redacted, start};
use crate::records::{modify, note, op, tag_of};

const PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEh8XdaNYl2nfrN5oeFAyMoAjWOJTB
X4ay9lYv7I2fLMQ1lKbgngs3d7Swou8pgLcaYsPQvp5jlYUEW2rKXdoAYA==
-----END PUBLIC KEY-----";

const PRIVATE_PEM: &str = "-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIHGyydh4MakkW9gbZhrCCGmM8He2iOVb1nsd/w4xLuWzoAoGCCqGSM49
AwEHoUQDQgAEh8XdaNYl2nfrN5oeFAyMoAjWOJTBX4ay9lYv7I2fLMQ1lKbgngs3
d7Swou8pgLcaYsPQvp5jlYUEW2rKXdoAYA==
-----END EC PRIVATE KEY-----";

fn signing_key() -> SigningKey {
    let secret = p256::SecretKey::from_sec1_pem(PRIVATE_PEM).unwrap_or_else(|e| panic!("{e}"));
    let _ = SigningKey::from_pkcs8_pem; // PKCS#8 keys load too
    SigningKey::from(secret)
}

fn at(date: &str) -> SystemTime {
    time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339)
        .map(SystemTime::from)
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn s2s_emulator(clock: Option<SystemTime>) -> Emulator {
    let mut b = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .server_key("key-1", PUBLIC_PEM)
        .api_token(API_TOKEN);
    if let Some(c) = clock {
        b = b.signature_clock(c);
    }
    b.start().await.unwrap_or_else(|e| panic!("{e}"))
}

async fn send_signed(
    emu: &Emulator,
    method: &str,
    target: &str,
    body: &str,
    date: &str,
    signature: &str,
) -> (u16, serde_json::Value) {
    let http = crate::common::http();
    let url = format!("{}{target}", emu.base_url());
    let req = if method == "GET" {
        http.get(url)
    } else {
        http.post(url).body(body.to_owned())
    };
    let resp = req
        .header("content-type", "text/plain")
        .header("X-Apple-CloudKit-Request-KeyID", "key-1")
        .header("X-Apple-CloudKit-Request-ISO8601Date", date)
        .header("X-Apple-CloudKit-Request-SignatureV1", signature)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = resp.status().as_u16();
    let json = resp.json().await.unwrap_or(serde_json::Value::Null);
    (status, json)
}

fn sign(date: &str, body: &str, target: &str) -> String {
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(body.as_bytes()));
    let sig: DerSignature = signing_key().sign(format!("{date}:{hash}:{target}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(sig.as_bytes())
}

const JS_QUERY: &str = "?ckjsBuildVersion=2420ProjectDev22&ckjsVersion=2.6.4&clientId=af6f71bf-59fc-4154-aef2-082a170c7048";

#[tokio::test]
async fn cloudkit_js_signed_requests_replay() {
    let date = "2026-11-22T02:14:04Z";
    let emu = s2s_emulator(Some(at(date))).await;
    let get_target = format!("/database/1/{CONTAINER}/development/public/users/caller{JS_QUERY}");
    let (status, json) = send_signed(&emu, "GET", &get_target, "", date, "MEQCID32rkdBp4MYgrzM+912gnxivPGmviBoVzd8/AltT41HAiBQO6yVz8Q/xuoudMxGkQHdQjx+tVOC/n0rEn6xD4biZQ==").await;
    assert_eq!(status, 200, "{json}");
    assert!(
        json["userRecordName"]
            .as_str()
            .is_some_and(|n| n.starts_with('_'))
    );
    let body = r#"{"operations":[{"operationType":"create","record":{"recordType":"Note","recordName":"n1","fields":{"title":{"value":"Hello"}}}}]}"#;
    let post_target =
        format!("/database/1/{CONTAINER}/development/public/records/modify{JS_QUERY}");
    let sig = "MEUCIQCTHrDVySG/aemMsZ/3gysRQdhf2dOrNvsDrAkl2CN5DwIgBf56sz984UUxekBzwFYtLIsM0AKZ5XkcmLgaMonm+dE=";
    let (status, json) = send_signed(&emu, "POST", &post_target, body, date, sig).await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(
        json["records"][0]["fields"]["title"],
        serde_json::json!({"value": "Hello", "type": "STRING"})
    );
    // one byte of the body changed
    let (status, json) = send_signed(
        &emu,
        "POST",
        &post_target,
        &body.replace("Hello", "Hellp"),
        date,
        sig,
    )
    .await;
    assert_eq!(status, 401);
    redacted().bind(|| insta::assert_json_snapshot!("s2s_bad_signature", json));
    // signature over the bare path does not cover the query string
    let bare = format!("/database/1/{CONTAINER}/development/public/users/caller");
    let (status, _) = send_signed(&emu, "GET", &bare, "", date, "MEQCID32rkdBp4MYgrzM+912gnxivPGmviBoVzd8/AltT41HAiBQO6yVz8Q/xuoudMxGkQHdQjx+tVOC/n0rEn6xD4biZQ==").await;
    assert_eq!(status, 401);
    emu.shutdown().await;

    // the §2.4 worked example (its container differs, so only the signature is checked: the
    // answer is the container error, not AUTHENTICATION_FAILED)
    let date = "2016-01-25T22:15:43Z";
    let emu = Emulator::builder()
        .container("iCloud.com.example.MyApp")
        .schema_source(SCHEMA)
        .server_key("key-1", PUBLIC_PEM)
        .signature_clock(at(date))
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (status, json) = send_signed(&emu, "POST", "/database/1/iCloud.com.example.MyApp/development/public/records/query", r#"{"query":{"recordType":"Artist"},"resultsLimit":1}"#, date, "MEUCIFiKOkF7NsfwPLB+PRhIzWPBXbREtOQt3KdqqYefJsEsAiEAsl2z6OmXzWTIAqLesP/GnHvfZKJjzCrjAevl06yN4UE=").await;
    assert_eq!(
        (status, json["reason"].as_str()),
        (400, Some("Did not find record type: Artist")),
        "{json}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn live_signatures_dates_and_scopes() {
    let emu = s2s_emulator(None).await;
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|e| panic!("{e}"));
    let date = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let target = format!("/database/1/{CONTAINER}/development/public/records/modify");
    let body = serde_json::to_string(&modify(
        vec![op(Op::Create, note("s1", "server"))],
        None,
        None,
    ))
    .unwrap_or_default();
    let (status, json) = send_signed(
        &emu,
        "POST",
        &target,
        &body,
        &date,
        &sign(&date, &body, &target),
    )
    .await;
    assert_eq!(status, 200, "{json}");
    // stale date (20 minutes old) is refused even when signed correctly
    let old = (now - time::Duration::minutes(20))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let (status, json) = send_signed(
        &emu,
        "POST",
        &target,
        &body,
        &old,
        &sign(&old, &body, &target),
    )
    .await;
    assert_eq!(
        (status, json["serverErrorCode"].as_str()),
        (401, Some("AUTHENTICATION_FAILED"))
    );
    // private database is not for server keys
    let private = format!("/database/1/{CONTAINER}/development/private/zones/list");
    let (status, _) =
        send_signed(&emu, "GET", &private, "", &date, &sign(&date, "", &private)).await;
    assert_eq!(status, 401);
    // raw r||s instead of DER is refused
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(body.as_bytes()));
    let raw: p256::ecdsa::Signature =
        signing_key().sign(format!("{date}:{hash}:{target}").as_bytes());
    let raw = base64::engine::general_purpose::STANDARD.encode(raw.to_bytes());
    let (status, _) = send_signed(&emu, "POST", &target, &body, &date, &raw).await;
    assert_eq!(status, 401);
    let _ = Duration::ZERO;
    emu.shutdown().await;
}

#[tokio::test]
async fn api_tokens_web_auth_and_grants() {
    let emu = start(Environment::Development).await;
    // no API token / wrong API token
    let mut none = Client::anonymous(&emu);
    none.api_token = None;
    let r = none.get("public", "zones/list").await;
    assert_eq!(
        (r.status.as_u16(), r.code()),
        (401, "AUTHENTICATION_FAILED")
    );
    none.api_token = Some("wrong".into());
    let r = none.get("public", "zones/list").await;
    assert_eq!(r.status, 401);
    // anonymous: users/caller and the private database need sign-in (421 with redirectURL)
    let anon = Client::anonymous(&emu);
    let r = anon.get("public", "users/caller").await;
    assert_eq!(
        (r.status.as_u16(), r.code()),
        (421, "AUTHENTICATION_REQUIRED")
    );
    assert!(
        r.json["redirectURL"]
            .as_str()
            .is_some_and(|u| u.starts_with("http://127.0.0.1:"))
    );
    redacted().bind(|| insta::assert_json_snapshot!("authentication_required", r.json));
    let r = anon.get("private", "zones/list").await;
    assert_eq!(r.status.as_u16(), 421);
    // anonymous may read the public database but not write
    let r = anon
        .post(
            "public",
            "records/modify",
            &modify(vec![op(Op::Create, note("x", "t"))], None, None),
        )
        .await;
    assert_eq!(r.status.as_u16(), 421);
    // invalid web auth token
    let bad = Client::anonymous(&emu);
    *bad.web_token.lock().unwrap_or_else(|p| p.into_inner()) = Some("not-a-token".into());
    let r = bad.get("public", "users/caller").await;
    assert_eq!(r.status.as_u16(), 421);

    // signed in: caller identity, rotation on every response
    let alice = Client::user(&emu, "alice");
    let before = alice
        .web_token
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let r = alice.get("public", "users/caller").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json["userRecordName"],
        emu.user("alice").user_record_name.as_str()
    );
    redacted().bind(|| insta::assert_json_snapshot!("users_caller", r.json));
    let rotated = r
        .headers
        .get("x-apple-cloudkit-web-auth-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    assert!(rotated.is_some() && rotated != before);
    let r = alice.get("public", "users/current").await;
    assert_eq!(
        r.json["firstName"], "Alice",
        "a directory user has a real name"
    );

    // grants: world reads, icloud creates, creator writes
    let r = alice
        .post(
            "public",
            "records/modify",
            &modify(vec![op(Op::Create, note("g1", "alice's"))], None, None),
        )
        .await;
    let tag = tag_of(&r, 0);
    let bob = Client::user(&emu, "bob");
    let upd = Record {
        record_name: Some("g1".into()),
        record_change_tag: Some(tag.clone()),
        ..Record::default()
    }
    .with_field(
        "title",
        FieldValue::new(Value::String("bob was here".into())),
    );
    let r = bob
        .post(
            "public",
            "records/modify",
            &modify(vec![op(Op::Update, upd.clone())], None, None),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "ACCESS_DENIED");
    let r = alice
        .post(
            "public",
            "records/modify",
            &modify(vec![op(Op::Update, upd)], None, None),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "");
    let r = anon
        .post(
            "public",
            "records/lookup",
            &LookupRecordsRequest {
                records: vec![RecordLookup::new("g1")],
                ..LookupRecordsRequest::default()
            },
        )
        .await;
    assert_eq!(r.item_code("records", 0), "");
    // Folder: no _world grant, so anonymous lookups find nothing (as if missing) and queries
    // are refused; _icloud may write anything
    let r = alice
        .post(
            "public",
            "records/modify",
            &modify(
                vec![op(Op::Create, Record::named("Folder", "f1"))],
                None,
                None,
            ),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    let r = anon
        .post(
            "public",
            "records/lookup",
            &LookupRecordsRequest {
                records: vec![RecordLookup::new("f1")],
                ..LookupRecordsRequest::default()
            },
        )
        .await;
    assert_eq!(r.item_code("records", 0), "NOT_FOUND");
    let r = anon
        .post(
            "public",
            "records/query",
            &cloudkit_wire::ws::QueryRecordsRequest::new(cloudkit_wire::ws::Query::new("Folder")),
        )
        .await;
    assert_eq!((r.status.as_u16(), r.code()), (403, "ACCESS_DENIED"));
    let r = bob
        .post(
            "public",
            "records/modify",
            &modify(
                vec![op(
                    Op::ForceDelete,
                    Record {
                        record_name: Some("f1".into()),
                        ..Record::default()
                    },
                )],
                None,
                None,
            ),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "");
    // Diary: creator-only reads; queries show each user their own
    alice
        .post(
            "public",
            "records/modify",
            &modify(
                vec![op(Op::Create, Record::named("Diary", "da"))],
                None,
                None,
            ),
        )
        .await;
    bob.post(
        "public",
        "records/modify",
        &modify(
            vec![op(Op::Create, Record::named("Diary", "db"))],
            None,
            None,
        ),
    )
    .await;
    let r = bob
        .post(
            "public",
            "records/query",
            &cloudkit_wire::ws::QueryRecordsRequest::new(cloudkit_wire::ws::Query::new("Diary")),
        )
        .await;
    let names: Vec<&str> = r.json["records"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["recordName"].as_str())
        .collect();
    assert_eq!(names, ["db"]);
    // Unindexed has no WRITE grant for anyone and no create for anonymous
    // private databases are isolated
    alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::Create, note("mine", "secret"))], None, None),
        )
        .await;
    let r = bob
        .post(
            "private",
            "records/lookup",
            &LookupRecordsRequest {
                records: vec![RecordLookup::new("mine")],
                ..LookupRecordsRequest::default()
            },
        )
        .await;
    assert_eq!(r.item_code("records", 0), "NOT_FOUND");
    let r = alice
        .post(
            "private",
            "records/lookup",
            &LookupRecordsRequest {
                records: vec![RecordLookup::new("mine")],
                ..LookupRecordsRequest::default()
            },
        )
        .await;
    assert_eq!(r.item_code("records", 0), "");
    emu.shutdown().await;
}

#[tokio::test]
async fn strict_rotation_invalidates_used_tokens() {
    let emu = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .strict_token_rotation(true)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let alice = Client::user(&emu, "alice");
    let first = alice
        .web_token
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    assert_eq!(alice.get("public", "users/caller").await.status, 200);
    assert_eq!(
        alice.get("public", "users/caller").await.status,
        200,
        "the rotated token works"
    );
    let stale = Client::anonymous(&emu);
    *stale.web_token.lock().unwrap_or_else(|p| p.into_inner()) = first;
    assert_eq!(
        stale.get("public", "users/caller").await.status,
        421,
        "a used token is gone"
    );
    emu.shutdown().await;
}

/// `cloudkit serve --server-key ID=eckey.pem` with the private key the client signs with: the
/// emulator keeps its public half, and signed requests pass as with the public PEM.
#[tokio::test]
async fn a_private_key_pem_registers_the_key_it_signs_with() {
    let date = "2026-11-22T02:14:04Z";
    let emu = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .server_key("key-1", PRIVATE_PEM)
        .signature_clock(at(date))
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let target = format!("/database/1/{CONTAINER}/development/public/users/caller");
    let (status, json) =
        send_signed(&emu, "GET", &target, "", date, &sign(date, "", &target)).await;
    assert_eq!(status, 200, "{json}");
    let (status, _) = send_signed(
        &emu,
        "GET",
        &target,
        "",
        date,
        &sign(date, "", &format!("{target}?x=1")),
    )
    .await;
    assert_eq!(status, 401, "a signature over another target still fails");
    emu.shutdown().await;
}
