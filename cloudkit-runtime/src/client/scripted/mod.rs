//! Client behaviour against scripted answers that a correct server (the emulator) never
//! gives: malformed JSON, non-JSON 503s, dropped connections, per-item transient errors, lost
//! answers, repeated cursors. End-to-end behaviour is tested against the emulator in `tests/`.
//!
//! The fixtures live here: a deliberately dumb HTTP/1.1 server that answers each connection
//! with the next scripted response and records what it received, and a client pointed at it.

mod changes;
mod query_run;
mod records;
mod throttling;
mod transport;
mod zone_batches;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

use super::{Client, RetryPolicy};

/// Answers each connection with the next scripted response (`None`: close without
/// answering) and records each request line.
pub(super) async fn scripted(responses: Vec<Option<String>>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        for response in responses {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            while let Ok(n) = socket.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf);
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length: ")
                                .and_then(|v| v.trim().parse::<usize>().ok())
                        })
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            let text = String::from_utf8_lossy(&buf).into_owned();
            let line = text.lines().next().unwrap_or("").to_owned();
            let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
            log.lock().expect("log").push(format!("{line}\n{body}"));
            if let Some(response) = response {
                let _ = socket.write_all(response.as_bytes()).await;
            }
            let _ = socket.shutdown().await;
        }
    });
    (url, seen)
}

/// A raw HTTP/1.1 answer with `Content-Length` and `Connection: close`.
pub(super) fn http(status: &str, extra_headers: &str, body: &str) -> Option<String> {
    Some(format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{extra_headers}\r\n{body}",
        body.len()
    ))
}

/// A client of the scripted server at `url`, with an API token and a web auth token.
pub(super) fn client(url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .container("iCloud.t")
        .base_url(url)
        .api_token("api-secret")
        .web_auth_token("first+token")
        .retry_policy(retry)
        .build()
        .expect("client")
}

/// Retries with millisecond back-off, so retry tests run fast.
pub(super) fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// A record type for these tests.
pub(super) struct Thing;

impl cloudkit_wire::CloudKitRecord for Thing {
    const RECORD_TYPE: &'static str = "Thing";
    fn to_record(&self) -> cloudkit_wire::ws::Record {
        cloudkit_wire::ws::Record::new(Self::RECORD_TYPE)
    }
    fn from_record(_: cloudkit_wire::ws::Record) -> Result<Self, cloudkit_wire::DecodeError> {
        Ok(Thing)
    }
}
