//! Web auth sessions do not pile up (issue #16, item 11): rotation replaces a sign-in's token
//! instead of adding a session per request, a few replaced tokens keep working for requests
//! in flight, and signing out ends the whole sign-in.

use std::time::Duration;

use cloudkit_emulator::Emulator;

use crate::common::{CONTAINER, Client, SCHEMA};

fn token_of(client: &Client) -> String {
    client
        .web_token
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .unwrap_or_default()
}

/// A client signed in with `token`, that does not adopt rotated tokens.
fn holding(emu: &Emulator, token: &str) -> Client {
    let c = Client::anonymous(emu);
    *c.web_token.lock().unwrap_or_else(|p| p.into_inner()) = Some(token.to_owned());
    c
}

async fn status_with(emu: &Emulator, token: &str) -> u16 {
    let c = holding(emu, token);
    let before = token_of(&c);
    let status = c.get("private", "zones/list").await.status.as_u16();
    // `holding` adopts the rotation; put the old token back for the caller's next look.
    *c.web_token.lock().unwrap_or_else(|p| p.into_inner()) = Some(before);
    status
}

#[tokio::test]
async fn rotation_replaces_tokens_and_sign_out_ends_the_sign_in() {
    let emu = crate::common::start(cloudkit_emulator::Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let mut seen = vec![token_of(&alice)];
    for _ in 0..20 {
        assert_eq!(
            alice.get("private", "zones/list").await.status.as_u16(),
            200
        );
        seen.push(token_of(&alice));
    }
    // Each answer handed out a new token.
    let mut distinct = seen.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), seen.len());
    // The first token was replaced long ago: it no longer works. The last few still do.
    assert_eq!(status_with(&emu, &seen[0]).await, 421);
    for recent in &seen[seen.len() - 3..] {
        assert_eq!(status_with(&emu, recent).await, 200);
    }
    // Signing out with any live token of the sign-in ends all of them.
    emu.sign_out(&seen[seen.len() - 2]);
    assert_eq!(status_with(&emu, &token_of(&alice)).await, 421);
    emu.shutdown().await;
}

#[tokio::test]
async fn racing_requests_with_one_token_all_get_the_same_new_token() {
    let emu = crate::common::start(cloudkit_emulator::Environment::Development).await;
    let token = emu.sign_in("bob").expose().to_owned();
    let mut answers = Vec::new();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let c = holding(&emu, &token);
        tasks.push(tokio::spawn(async move {
            let r = c.get("private", "zones/list").await;
            (r.status.as_u16(), token_of(&c))
        }));
    }
    for t in tasks {
        answers.push(t.await.unwrap_or_else(|e| panic!("{e}")));
    }
    assert!(answers.iter().all(|(s, _)| *s == 200), "{answers:?}");
    let first = &answers[0].1;
    assert_ne!(first, &token);
    assert!(
        answers.iter().all(|(_, t)| t == first),
        "one new token for one sign-in"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let emu = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .web_auth_token_lifetime(Duration::from_millis(200))
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let token = emu.sign_in("carol").expose().to_owned();
    assert_eq!(status_with(&emu, &token).await, 200);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(status_with(&emu, &token).await, 421);
    emu.shutdown().await;
}
