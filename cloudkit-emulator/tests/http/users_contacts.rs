//! `users/lookup/contacts` (spec §3.28): served where CloudKit serves it, with the documented
//! `{"users": [...]}` shape; an emulator user has no address book, so the list is empty.

use cloudkit_emulator::Environment;

use crate::common::{Client, start};

#[tokio::test]
async fn contacts_lookup_answers_no_users_on_the_public_path() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    for body in ["{}", "", r#"{"someUndocumentedKey": [1, 2]}"#] {
        let r = alice
            .post_raw("public", "users/lookup/contacts", body.to_owned())
            .await;
        assert_eq!(r.status, 200, "{body}: {}", r.json);
        assert_eq!(r.json, serde_json::json!({"users": []}), "{body}");
    }
    let r = alice
        .post_raw("public", "users/lookup/contacts", "not json".to_owned())
        .await;
    assert_eq!(r.code(), "BAD_REQUEST", "{}", r.json);
}

#[tokio::test]
async fn contacts_lookup_needs_a_user_and_the_public_path() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let r = alice
        .post_raw("private", "users/lookup/contacts", "{}".to_owned())
        .await;
    assert_eq!(r.status, 400, "{}", r.json);
    assert_eq!(r.code(), "BAD_REQUEST", "{}", r.json);
    let anonymous = Client::anonymous(&emu);
    let r = anonymous
        .post_raw("public", "users/lookup/contacts", "{}".to_owned())
        .await;
    assert_eq!(r.code(), "AUTHENTICATION_REQUIRED", "{}", r.json);
}
