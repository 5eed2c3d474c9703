//! One client, many users: per-user handles over one connection pool, against the emulator
//! over HTTP on 127.0.0.1.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::support::{
    API_TOKEN, CONTAINER, KEY_ID, Note, PRIVATE_KEY, emulator_with, fast_retries,
};
use cloudkit_runtime::client::{Client, Environment, WebAuthToken};
use cloudkit_runtime::wire::{Query, ServerErrorCode};

/// The backend's one client: its key signs public-database requests, its API token serves
/// the users' handles.
fn backend_client(emu: &cloudkit_emulator::Emulator) -> Client {
    Client::builder()
        .container(CONTAINER)
        .environment(Environment::Development)
        .base_url(emu.base_url())
        .server_to_server_key(KEY_ID, PRIVATE_KEY)
        .api_token(API_TOKEN)
        .retry_policy(fast_retries())
        .build()
        .expect("client")
}

fn token(emu: &cloudkit_emulator::Emulator, user: &str) -> WebAuthToken {
    WebAuthToken::new(emu.sign_in(user).expose())
}

#[tokio::test]
async fn one_client_serves_users_and_the_server_key() {
    let emu = emulator_with(None, |b| b).await;
    let client = backend_client(&emu);
    let alice = client.as_user(token(&emu, "alice")).expect("api token");
    let bob = client.as_user(token(&emu, "bob")).expect("api token");

    alice
        .private_database()
        .save(&Note::new("diary", "alice's", 1))
        .await
        .expect("alice saves privately");
    let mine: Vec<Note> = alice
        .private_database()
        .query(Query::new("Note"))
        .all()
        .await
        .expect("alice queries");
    assert_eq!(mine.len(), 1);
    // Bob's handle is another user: alice's private record does not exist for him.
    let err = bob
        .private_database()
        .lookup::<Note>("diary")
        .await
        .expect_err("not bob's");
    assert_eq!(err.code(), Some(ServerErrorCode::NotFound));
    let theirs: Vec<Note> = bob
        .private_database()
        .query(Query::new("Note"))
        .all()
        .await
        .expect("bob queries");
    assert!(theirs.is_empty());

    // The server key writes to the public database; users read it there.
    let server = client.as_server().expect("key");
    server
        .public_database()
        .save(&Note::new("notice", "from the server", 2))
        .await
        .expect("server saves");
    let seen: Note = bob
        .public_database()
        .lookup("notice")
        .await
        .expect("bob reads");
    assert_eq!(seen.title, "from the server");
    // Alice created "notice2"; bob may read it (GRANT READ TO _world) but not change it.
    let notice2 = alice
        .public_database()
        .save(&Note::new("notice2", "alice's public", 3))
        .await
        .expect("alice saves publicly");
    let err = bob
        .public_database()
        .save(&notice2)
        .await
        .expect_err("only the creator writes");
    assert_eq!(err.code(), Some(ServerErrorCode::AccessDenied), "{err}");

    // Every handle counts on the one client.
    let stats = client.stats();
    assert!(stats.attempts >= 7, "{stats:?}");
    emu.shutdown().await;
}

#[tokio::test]
async fn rotated_tokens_reach_the_hook_and_a_stored_token_resumes() {
    let emu = emulator_with(None, |b| b.strict_token_rotation(true)).await;
    let client = backend_client(&emu);
    let stored: Arc<Mutex<Vec<WebAuthToken>>> = Arc::default();
    let sink = Arc::clone(&stored);
    let first = token(&emu, "alice");
    let alice = client
        .as_user(first.clone())
        .expect("api token")
        .on_token_rotated(move |t| sink.lock().expect("lock").push(t.clone()));
    for n in 0..3 {
        alice
            .private_database()
            .save(&Note::new(&format!("n{n}"), "x", n))
            .await
            .expect("save as alice");
    }
    let rotated = stored.lock().expect("lock").clone();
    assert_eq!(rotated.len(), 3, "one new token per round trip");
    assert_eq!(rotated.last(), alice.web_auth_token().as_ref());
    assert!(!rotated.contains(&first));

    // The next HTTP request of the backend: a fresh handle from the stored token works, the
    // spent first token does not.
    let latest = rotated.last().cloned().expect("token");
    let again = client.as_user(latest).expect("api token");
    let me = again.users().caller().await.expect("stored token works");
    assert_eq!(
        me.user_record_name.as_deref(),
        Some(emu.user("alice").user_record_name.as_str())
    );
    let spent = client.as_user(first).expect("api token");
    let err = spent.users().caller().await.expect_err("spent token");
    assert_eq!(err.code(), Some(ServerErrorCode::AuthenticationRequired));
    emu.shutdown().await;
}

/// Prints what a per-user handle costs to make; no timing assertion (speed is measured, not
/// asserted). Run with `--nocapture` to see the figure.
#[tokio::test]
async fn per_user_handles_are_cheap_to_make() {
    let emu = emulator_with(None, |b| b).await;
    let client = backend_client(&emu);
    let token = token(&emu, "alice");
    const HANDLES: u32 = 100_000;
    let started = Instant::now();
    let mut last = None;
    for _ in 0..HANDLES {
        last = Some(client.as_user(token.clone()).expect("api token"));
    }
    let per_handle = started.elapsed() / HANDLES;
    println!("as_user: {per_handle:?} per handle ({HANDLES} handles)");
    let started = Instant::now();
    for _ in 0..100 {
        let _ = Client::builder()
            .container(CONTAINER)
            .base_url(emu.base_url())
            .api_token(API_TOKEN)
            .web_auth_token(token.expose_secret())
            .build()
            .expect("client");
    }
    println!(
        "Client::builder().build(): {:?} per client (100 clients)",
        started.elapsed() / 100
    );
    // The last handle works over the shared pool.
    let me = last
        .expect("handle")
        .users()
        .caller()
        .await
        .expect("caller");
    assert!(me.user_record_name.is_some());
    emu.shutdown().await;
}
