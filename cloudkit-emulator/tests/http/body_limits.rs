//! Request bodies are bounded, and read only after the caller's credentials passed (issue #16,
//! item 8): oversize is `413 QUOTA_EXCEEDED` in CloudKit's error shape, and a stranger
//! announcing a gigabyte gets its answer without the emulator waiting for a byte of it.

use cloudkit_emulator::Emulator;

use crate::common::{API_TOKEN, CONTAINER, Client, SCHEMA};
use crate::raw;

async fn emulator() -> Emulator {
    Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .api_token(API_TOKEN)
        .server_key(
            "key-1",
            "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEh8XdaNYl2nfrN5oeFAyMoAjWOJTB
X4ay9lYv7I2fLMQ1lKbgngs3d7Swou8pgLcaYsPQvp5jlYUEW2rKXdoAYA==
-----END PUBLIC KEY-----",
        )
        .max_request_size(1024 * 1024)
        .start()
        .await
        .unwrap_or_else(|e| panic!("emulator did not start: {e}"))
}

fn head(emu: &Emulator, path: &str, length: u64, extra: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: text/plain\r\nContent-Length: {length}{extra}",
        emu.local_addr()
    )
}

#[tokio::test]
async fn oversize_bodies_are_413_in_cloudkit_shape() {
    let emu = emulator().await;
    let alice = Client::user(&emu, "alice");
    // Streamed past the limit (reqwest sends the length; the cut happens while reading too).
    let r = alice
        .post_raw("private", "records/modify", vec![b' '; 2 * 1024 * 1024])
        .await;
    assert_eq!(
        (r.status.as_u16(), r.code()),
        (413, "QUOTA_EXCEEDED"),
        "{}",
        r.json
    );
    assert!(r.json["uuid"].as_str().is_some() && r.json["reason"].as_str().is_some());
    // Just under the limit is read and parsed.
    let r = alice
        .post_raw("private", "records/modify", vec![b' '; 1024 * 1024 - 1])
        .await;
    assert_eq!(
        (r.status.as_u16(), r.code()),
        (400, "BAD_REQUEST"),
        "{}",
        r.json
    );

    // tokens/create has its own small limit; oversize is 413 there too, not 400.
    let path = format!("/device/1/{CONTAINER}/development/tokens/create?ckAPIToken={API_TOKEN}");
    let r = raw::send(
        emu.local_addr(),
        &head(&emu, &path, 200_000, ""),
        &[b' '; 200_000],
    )
    .await;
    assert_eq!(r.status, 413, "{r:?}");
    assert_eq!(r.json()["serverErrorCode"], "QUOTA_EXCEEDED");
    emu.shutdown().await;
}

#[tokio::test]
async fn strangers_are_refused_before_their_body_is_read() {
    let emu = emulator().await;
    let giga = 1u64 << 30;
    let modify = format!("/database/1/{CONTAINER}/development/public/records/modify");
    // No API token: refused at once, though only a few of the promised bytes ever come.
    let r = raw::send(emu.local_addr(), &head(&emu, &modify, giga, ""), b"{").await;
    assert_eq!(
        (r.status, r.json()["serverErrorCode"].as_str()),
        (401, Some("AUTHENTICATION_FAILED")),
        "{r:?}"
    );
    // A valid API token but a declared length over the limit: 413 before reading.
    let with_token = format!("{modify}?ckAPIToken={API_TOKEN}");
    let r = raw::send(emu.local_addr(), &head(&emu, &with_token, giga, ""), b"{").await;
    assert_eq!(
        (r.status, r.json()["serverErrorCode"].as_str()),
        (413, Some("QUOTA_EXCEEDED")),
        "{r:?}"
    );
    // A signature from an unknown key: refused before the body it claims to sign.
    let signed = "\r\nX-Apple-CloudKit-Request-KeyID: nobody\r\nX-Apple-CloudKit-Request-ISO8601Date: 2026-01-01T00:00:00Z\r\nX-Apple-CloudKit-Request-SignatureV1: AAAA";
    let r = raw::send(emu.local_addr(), &head(&emu, &modify, giga, signed), b"{").await;
    assert_eq!(
        (r.status, r.json()["serverErrorCode"].as_str()),
        (401, Some("AUTHENTICATION_FAILED")),
        "{r:?}"
    );
    // A known key with a date far outside the window: the same.
    let stale = "\r\nX-Apple-CloudKit-Request-KeyID: key-1\r\nX-Apple-CloudKit-Request-ISO8601Date: 2001-01-01T00:00:00Z\r\nX-Apple-CloudKit-Request-SignatureV1: AAAA";
    let r = raw::send(emu.local_addr(), &head(&emu, &modify, giga, stale), b"{").await;
    assert_eq!(r.status, 401, "{r:?}");
    // An upload URL that was never handed out: 404 without reading the promised asset.
    let upload = "/asset-upload/never-issued";
    let r = raw::send(emu.local_addr(), &head(&emu, upload, giga, ""), b"x").await;
    assert_eq!(
        (r.status, r.json()["serverErrorCode"].as_str()),
        (404, Some("NOT_FOUND")),
        "{r:?}"
    );
    // The emulator still answers.
    let r = Client::anonymous(&emu).get("public", "zones/list").await;
    assert_eq!(r.status.as_u16(), 200);
    emu.shutdown().await;
}
