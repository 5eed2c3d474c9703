//! A restart on the same `--data` file keeps signed-in users signed in (spec §2.2: a token
//! lives its lifetime, whatever the server does), and the file holds no token text.

use crate::common::Client;
use crate::durability::{client, spawn};

fn token_of(c: &Client) -> String {
    c.web_token
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .unwrap_or_default()
}

fn file_contains(path: &std::path::Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_auth_token_stays_valid_across_a_restart() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("sessions.sqlite");
    let mut server = spawn(&path);
    let alice = client(&server);
    let first = alice.get("public", "users/current").await;
    assert_eq!(first.status, 200, "{}", first.json);
    let rotated = token_of(&alice);
    assert_ne!(rotated, server.token, "the response rotated the token");

    // SIGKILL: nothing is saved at shutdown, so the session must already be in the file.
    server.child.kill().unwrap_or_else(|e| panic!("{e}"));
    let _ = server.child.wait();
    drop(server);
    for file in ["sessions.sqlite", "sessions.sqlite-wal"] {
        let p = dir.path().join(file);
        assert!(!file_contains(&p, &rotated), "{file} holds the token text");
    }

    let restarted = spawn(&path);
    let mut again = client(&restarted);
    again.web_token = std::sync::Mutex::new(Some(rotated.clone()));
    let r = again.get("public", "users/current").await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(
        r.json["userRecordName"], first.json["userRecordName"],
        "the same user"
    );
    // A token nobody issued is still refused after the restart.
    let stranger = client(&restarted);
    *stranger.web_token.lock().unwrap_or_else(|p| p.into_inner()) = Some("bm90IGEgdG9rZW4=".into());
    let r = stranger.get("public", "users/current").await;
    assert_eq!(r.code(), "AUTHENTICATION_REQUIRED", "{}", r.json);
    drop(restarted);
}
