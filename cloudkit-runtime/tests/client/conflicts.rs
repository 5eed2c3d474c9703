//! `EXISTS` on a first attempt is a genuine clash: in the public database another user may
//! hold the name, with the very same content.

use crate::support::{Note, emulator, user_client};
use cloudkit_runtime::wire::ServerErrorCode;

#[tokio::test]
async fn another_users_record_with_the_same_content_is_not_ours() {
    let emu = emulator(None).await;
    let alice = user_client(&emu, "alice").public_database();
    let bob = user_client(&emu, "bob").public_database();
    alice
        .save(&Note::new("shared-name", "same", 1))
        .await
        .expect("alice creates");
    let err = bob
        .save(&Note::new("shared-name", "same", 1))
        .await
        .expect_err("bob's create clashes");
    let failure = err.server().expect("server error");
    assert_eq!(failure.code(), ServerErrorCode::Exists);
    let theirs = failure
        .server_record
        .as_deref()
        .expect("alice's record attached");
    assert_eq!(theirs.record_name.as_deref(), Some("shared-name"));
    emu.shutdown().await;
}
