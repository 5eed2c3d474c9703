//! Matching runs outside the store lock (issue #16, item 5): while a write is held in the
//! middle of matching a subscription whose query holds a 1,000-value IN list, another client's
//! lookup and write are answered. The hold is a test-only hook (see [`super::hook`]); no time
//! is measured: a timeout only turns a hang into a failure.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use super::hook;
use crate::{Emulator, Environment};

const CONTAINER: &str = "iCloud.com.example.held";
const API_TOKEN: &str = "held-api-token";
const HELD: &str = "held-during-lookup";
/// Long enough for any loaded machine; only reached when something hangs.
const HANG: Duration = Duration::from_secs(60);

struct User {
    http: reqwest::Client,
    base: String,
    token: Mutex<String>,
}

impl User {
    fn new(emu: &Emulator, name: &str) -> User {
        let _ = rustls::crypto::ring::default_provider().install_default();
        User {
            http: reqwest::Client::new(),
            base: emu.base_url(),
            token: Mutex::new(emu.sign_in(name).expose().to_owned()),
        }
    }

    fn query(&self) -> String {
        let token = self.token.lock().unwrap_or_else(|p| p.into_inner()).clone();
        form_urlencoded::Serializer::new(String::new())
            .append_pair("ckAPIToken", API_TOKEN)
            .append_pair("ckWebAuthToken", &token)
            .finish()
    }

    async fn send(&self, url: String, body: serde_json::Value) -> (u16, serde_json::Value) {
        let response = self
            .http
            .post(url)
            .body(body.to_string())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let status = response.status().as_u16();
        if let Some(t) = response
            .headers()
            .get("x-apple-cloudkit-web-auth-token")
            .and_then(|v| v.to_str().ok())
        {
            *self.token.lock().unwrap_or_else(|p| p.into_inner()) = t.to_owned();
        }
        let json = response.json().await.unwrap_or(serde_json::Value::Null);
        (status, json)
    }

    async fn post(&self, endpoint: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let url = format!(
            "{}/database/1/{CONTAINER}/development/public/{endpoint}?{}",
            self.base,
            self.query()
        );
        self.send(url, body).await
    }

    async fn courier(&self) -> String {
        let url = format!(
            "{}/device/1/{CONTAINER}/development/tokens/create?{}",
            self.base,
            self.query()
        );
        let (_, reply) = self
            .send(url, json!({"apnsEnvironment": "development"}))
            .await;
        reply["webcourierURL"]
            .as_str()
            .unwrap_or_else(|| panic!("no courier: {reply}"))
            .to_owned()
    }
}

fn create(record_type: &str, name: &str, title: &str) -> serde_json::Value {
    json!({"operations": [{"operationType": "create", "record": {
        "recordType": record_type, "recordName": name,
        "fields": {"title": {"value": title}}}}]})
}

/// Releases a held write when dropped, so that a failing test never leaves it waiting.
struct Release(mpsc::Sender<()>);

impl Drop for Release {
    fn drop(&mut self) {
        let _ = self.0.send(());
        *hook::MATCHING.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_clients_are_answered_while_a_write_matches_subscriptions() {
    let schema = r#"DEFINE SCHEMA RECORD TYPE Note (title STRING QUERYABLE,
        GRANT WRITE TO "_creator", GRANT CREATE TO "_icloud", GRANT READ TO "_world");
        RECORD TYPE Folder (title STRING,
        GRANT WRITE TO "_creator", GRANT CREATE TO "_icloud", GRANT READ TO "_world");"#;
    let emu = Emulator::builder()
        .schema_source(schema)
        .container(CONTAINER)
        .environment(Environment::Development)
        .api_token(API_TOKEN)
        .memory()
        .start()
        .await
        .unwrap_or_else(|e| panic!("emulator did not start: {e}"));
    let alice = Arc::new(User::new(&emu, "alice"));
    let bob = User::new(&emu, "bob");
    let inbox = alice.courier().await;
    let mut values: Vec<serde_json::Value> = (0..999).map(|i| json!(format!("t{i}"))).collect();
    values.push(json!("match me"));
    let (status, reply) = alice
        .post(
            "subscriptions/modify",
            json!({"operations": [{"operationType": "create", "subscription": {
                "subscriptionID": HELD, "subscriptionType": "query", "firesOn": ["create"],
                "query": {"recordType": "Note", "filterBy": [{"fieldName": "title",
                    "comparator": "IN", "fieldValue": {"type": "STRING_LIST", "value": values}}]}}}]}),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    assert!(
        reply["subscriptions"][0]["serverErrorCode"].is_null(),
        "{reply}"
    );
    let (status, reply) = bob
        .post("records/modify", create("Note", "before", "b"))
        .await;
    assert_eq!(status, 200, "{reply}");

    // Alice's write stops inside matching until released.
    let (entered_tx, entered) = mpsc::channel::<()>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let release_rx = Mutex::new(release_rx);
    let entered_tx = Mutex::new(entered_tx);
    *hook::MATCHING.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(move |id: &str| {
        if id == HELD {
            let _ = entered_tx
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .send(());
            let _ = release_rx
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                // Longer than the test waits for the lookup: it is the test that gives up.
                .recv_timeout(HANG * 2);
        }
    }));
    let release = Release(release_tx);
    let writer = Arc::clone(&alice);
    let write = tokio::spawn(async move {
        writer
            .post("records/modify", create("Note", "held", "match me"))
            .await
    });
    let started = tokio::task::spawn_blocking(move || entered.recv_timeout(HANG)).await;
    assert!(
        matches!(started, Ok(Ok(()))),
        "the write never reached matching"
    );

    // Meanwhile another client reads, and writes a type no subscription watches (a write that
    // may notify the same subscriber queues after this one, in write order).
    let lookup = tokio::time::timeout(
        HANG,
        bob.post(
            "records/lookup",
            json!({"records": [{"recordName": "before"}]}),
        ),
    )
    .await;
    let Ok((status, reply)) = lookup else {
        panic!("a lookup waited for another client's subscription matching");
    };
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["records"][0]["recordName"], "before", "{reply}");
    let other_write = tokio::time::timeout(
        HANG,
        bob.post("records/modify", create("Folder", "meanwhile", "x")),
    )
    .await;
    assert!(
        matches!(other_write, Ok((200, _))),
        "a write waited for another write's subscription matching"
    );

    drop(release);
    let (status, reply) = write.await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status, 200, "{reply}");
    let poll = alice
        .http
        .get(format!("{inbox}?timeout=0"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let payload: serde_json::Value = poll.json().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(payload["ck"]["qry"]["rid"], "held", "{payload}");
    assert_eq!(payload["ck"]["qry"]["sid"], HELD, "{payload}");
    emu.shutdown().await;
}
