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

#[tokio::test]
async fn bodies_held_at_once_share_one_budget() {
    use std::io::Write as _;

    let emu = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .api_token(API_TOKEN)
        .max_request_size(1024 * 1024)
        .max_asset_size(1024 * 1024)
        .max_body_memory(1024 * 1024)
        .start()
        .await
        .unwrap_or_else(|e| panic!("emulator did not start: {e}"));
    let addr = emu.local_addr();
    let path =
        format!("/database/1/{CONTAINER}/development/public/records/query?ckAPIToken={API_TOKEN}");
    // A slow client takes the whole budget: it promises 1 MB and sends half.
    let full = 1024 * 1024;
    let request = format!("{}\r\n\r\n", head(&emu, &path, full, ""));
    let mut slow = tokio::task::spawn_blocking(move || {
        let mut stream = raw::connect(addr);
        let _ = stream.write_all(request.as_bytes());
        let _ = stream.write_all(&vec![b' '; 512 * 1024]);
        stream
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    // Meanwhile another body does not fit: 503 with a retryAfter, until the first is done.
    let other = Client::anonymous(&emu);
    let mut refused = None;
    for _ in 0..600 {
        let r = other.post_raw("public", "records/query", "{}").await;
        if r.status.as_u16() == 503 {
            refused = Some(r);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let refused = refused.unwrap_or_else(|| panic!("the budget was never spent"));
    assert_eq!(refused.code(), "TRY_AGAIN_LATER", "{}", refused.json);
    assert!(refused.json["retryAfter"].as_f64().is_some());
    // Requests without a body still pass.
    assert_eq!(other.get("public", "zones/list").await.status.as_u16(), 200);
    // The slow body ends; its share comes back.
    let answered = tokio::task::spawn_blocking(move || {
        let _ = slow.write_all(&vec![b' '; 512 * 1024]);
        raw::read_reply(&mut slow).status
    })
    .await
    .unwrap_or(0);
    assert_eq!(answered, 400, "all spaces is a missing body");
    let r = other.post_raw("public", "records/query", "{}").await;
    assert_ne!(r.status.as_u16(), 503, "{}", r.json);
    emu.shutdown().await;
}
