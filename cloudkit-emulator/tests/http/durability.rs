use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

use cloudkit_wire::ws::{LookupRecordsRequest, RecordLookup, RecordOperationType as Op};

use crate::common::Client;
use crate::records::{modify, note, op};

pub struct Server {
    pub child: Child,
    pub base: String,
    pub token: String,
}

impl Drop for Server {
    // A failing assertion must not leave the child serving.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn spawn(path: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudkit-emulator"))
        .args([
            "--data",
            &path.display().to_string(),
            "--container",
            crate::common::CONTAINER,
            "--sign-in",
            "alice",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start the emulator binary: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut lines = BufReader::new(stdout).lines();
    let mut base = String::new();
    let mut token = String::new();
    while base.is_empty() || token.is_empty() {
        let line = lines
            .next()
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("emulator exited early"));
        if let Some(b) = line.strip_prefix("listening ") {
            base = b.to_owned();
        } else if let Some(t) = line.strip_prefix("token alice ") {
            token = t.to_owned();
        }
    }
    Server { child, base, token }
}

pub fn client(server: &Server) -> Client {
    Client {
        http: crate::common::http(),
        base: server.base.clone(),
        environment: "development",
        api_token: None,
        web_token: std::sync::Mutex::new(Some(server.token.clone())),
    }
}

/// Acknowledged writes survive SIGKILL: a stream of writes, the server is killed mid-stream,
/// restarted on the same file, and every acknowledged record is there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("durable.sqlite");
    let mut server = spawn(&path);
    let alice = client(&server);
    let writer = tokio::spawn(async move {
        let mut acked = Vec::new();
        for i in 0.. {
            let name = format!("d{i}");
            let body = serde_json::to_string(&modify(
                vec![op(Op::Create, note(&name, "durable"))],
                None,
                None,
            ))
            .unwrap_or_default();
            let sent = alice
                .http
                .post(alice.url("private", "records/modify"))
                .body(body)
                .send()
                .await;
            let Ok(resp) = sent else { break };
            if resp.status() != 200 {
                break;
            }
            let Ok(json) = resp.json::<serde_json::Value>().await else {
                break;
            };
            if json["records"][0]["serverErrorCode"].is_null() {
                acked.push(name);
            }
        }
        acked
    });
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    // SIGKILL: no shutdown code runs.
    server.child.kill().unwrap_or_else(|e| panic!("{e}"));
    let _ = server.child.wait();
    let acked = writer.await.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        acked.len() > 5,
        "too few writes before the kill: {}",
        acked.len()
    );

    drop(server);
    let restarted = spawn(&path);
    let alice = client(&restarted);
    for chunk in acked.chunks(200) {
        let lookup = LookupRecordsRequest {
            records: chunk.iter().map(|n| RecordLookup::new(n.clone())).collect(),
            ..LookupRecordsRequest::default()
        };
        let r = alice.post("private", "records/lookup", &lookup).await;
        for (i, name) in chunk.iter().enumerate() {
            assert_eq!(
                r.item_code("records", i),
                "",
                "acknowledged record {name} lost"
            );
        }
    }
    drop(restarted);
}
