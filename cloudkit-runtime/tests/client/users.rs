//! Web sign-in and users, client against the emulator over HTTP on 127.0.0.1.

use std::time::Duration;

use crate::support::{
    API_TOKEN, CONTAINER, Note, emulator, emulator_with, fast_retries, key_client, user_client,
};
use cloudkit_runtime::client::{Client, Environment, NotSignedIn};
use cloudkit_runtime::wire::{LookupInfo, ServerErrorCode};

fn anonymous_client(emu: &cloudkit_emulator::Emulator) -> Client {
    Client::builder()
        .container(CONTAINER)
        .environment(Environment::Development)
        .base_url(emu.base_url())
        .api_token(API_TOKEN)
        .retry_policy(fast_retries())
        .build()
        .expect("client")
}

#[tokio::test]
async fn sign_in_redirect_then_token_rotation_then_sign_out() {
    let emu = emulator_with(None, |b| b.strict_token_rotation(true)).await;
    let client = anonymous_client(&emu);

    // No user: no handle on the private database, and users/caller asks for a sign-in.
    assert_eq!(client.signed_in().err(), Some(NotSignedIn));
    let err = client.users().caller().await.expect_err("needs a user");
    assert_eq!(err.code(), Some(ServerErrorCode::AuthenticationRequired));
    let required = err.sign_in_required().expect("AUTHENTICATION_REQUIRED");
    assert!(
        required
            .redirect_url
            .starts_with(&format!("{}/signin", emu.base_url())),
        "{}",
        required.redirect_url
    );

    // Follow the redirect as alice; the callback token is adopted.
    let first = client
        .sign_in_as_test_user(&required.redirect_url, "alice")
        .await
        .expect("sign in");
    let me = client.users().caller().await.expect("caller");
    assert_eq!(
        me.user_record_name.as_deref(),
        Some(emu.user("alice").user_record_name.as_str())
    );
    // The response rotated the token and the client adopted it; with strict rotation the
    // first token is spent.
    let second = client.web_auth_token().expect("token");
    assert_ne!(first, second);
    client
        .signed_in()
        .expect("signed in")
        .private_database()
        .save(&Note::new("n1", "x", 1))
        .await
        .expect("private save as alice");
    let stale = user_client(&emu, "alice");
    stale.set_web_auth_token(first).expect("api token client");
    let err = stale.users().caller().await.expect_err("spent token");
    assert_eq!(err.code(), Some(ServerErrorCode::AuthenticationRequired));

    // Signed out: the current token is refused with CloudKit's error.
    let current = client.web_auth_token().expect("token");
    emu.sign_out(current.expose_secret());
    let err = client.users().caller().await.expect_err("signed out");
    assert_eq!(err.code(), Some(ServerErrorCode::AuthenticationRequired));
    assert!(err.sign_in_required().is_some());

    // Unknown test user on the sign-in page: NOT_FOUND, no token adopted.
    let fresh = anonymous_client(&emu);
    let err = fresh
        .sign_in_as_test_user(&required.redirect_url, "mallory")
        .await
        .expect_err("unknown user");
    assert!(fresh.web_auth_token().is_none(), "{err}");
    emu.shutdown().await;
}

#[tokio::test]
async fn expired_and_bad_tokens_are_refused() {
    let emu = emulator_with(None, |b| {
        b.web_auth_token_lifetime(Duration::from_millis(50))
    })
    .await;
    let client = user_client(&emu, "alice");
    tokio::time::sleep(Duration::from_millis(120)).await;
    let err = client.users().caller().await.expect_err("expired");
    assert_eq!(err.code(), Some(ServerErrorCode::AuthenticationRequired));
    assert_eq!(err.server().and_then(|s| s.http_status), Some(421));

    let bad = anonymous_client(&emu);
    bad.set_web_auth_token(cloudkit_runtime::client::WebAuthToken::new("not-a-token"))
        .expect("api token client");
    let err = bad
        .signed_in()
        .expect("signed in")
        .private_database()
        .zones()
        .list()
        .await
        .expect_err("bad");
    assert_eq!(err.code(), Some(ServerErrorCode::AuthenticationRequired));
    emu.shutdown().await;
}

#[tokio::test]
async fn caller_current_discover_and_lookup() {
    let emu = emulator(None).await;
    let alice = user_client(&emu, "alice");
    let users = alice.users();
    let bob_name = emu.user("bob").user_record_name;
    let carol_name = emu.user("carol").user_record_name;

    let me = users.caller().await.expect("caller");
    insta::assert_json_snapshot!("caller_identity", me);
    let current = users.current().await.expect("current");
    assert_eq!(current.first_name.as_deref(), Some("Alice"));
    assert_eq!(current.email_address, None);

    let found = users
        .discover(&[
            LookupInfo::email("BOB@example.com"),
            LookupInfo {
                phone_number: Some("+1 555 0100 002".into()),
                ..LookupInfo::default()
            },
            LookupInfo::user_record_name(bob_name.clone()),
            LookupInfo::email("carol@example.com"), // not discoverable
            LookupInfo::email("nobody@example.com"), // unknown
        ])
        .await
        .expect("discover");
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found
            .iter()
            .all(|u| u.user_record_name.as_deref() == Some(bob_name.as_str()))
    );
    insta::assert_json_snapshot!("discover_by_email", found.first());

    let all = users.discover_all().await.expect("discover all");
    let names: Vec<_> = all
        .iter()
        .filter_map(|u| u.name_components.as_ref()?.given_name.clone())
        .collect();
    assert_eq!(names, ["Alice", "Bob"]);

    let by_email = users
        .lookup_email(&["bob@example.com", "nobody@example.com"])
        .await
        .expect("lookup email");
    let bob = by_email.first().and_then(|r| r.as_ref().ok()).expect("bob");
    assert_eq!(bob.email_address.as_deref(), Some("bob@example.com"));
    let missing = by_email
        .get(1)
        .and_then(|r| r.as_ref().err())
        .expect("unknown");
    assert_eq!(missing.code(), ServerErrorCode::NotFound);

    let by_id = users
        .lookup_id(&[&bob_name, &carol_name])
        .await
        .expect("lookup id");
    let bob = by_id.first().and_then(|r| r.as_ref().ok()).expect("bob");
    assert_eq!(bob.email_address, None, "lookup by id leaves the email out");
    assert!(
        by_id.get(1).is_some_and(Result::is_err),
        "carol is not discoverable"
    );

    // Server-to-server keys cannot discover users.
    let err = key_client(&emu)
        .users()
        .discover(&[LookupInfo::email("bob@example.com")])
        .await
        .expect_err("server key");
    assert_eq!(err.code(), Some(ServerErrorCode::AuthenticationFailed));
    emu.shutdown().await;
}

#[test]
fn discover_request_dictionary() {
    let body = cloudkit_runtime::wire::DiscoverRequest {
        lookup_infos: vec![
            LookupInfo::email("bob@example.com"),
            LookupInfo::user_record_name("_abc"),
        ],
    };
    insta::assert_json_snapshot!("discover_request", body);
}
