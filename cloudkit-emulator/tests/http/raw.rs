//! A raw HTTP/1.1 client over a plain socket, for what reqwest will not send: bodies that
//! promise more than they carry, slow headers, hostile `Host`s.

use std::net::SocketAddr;
use std::time::Duration;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;

/// A liveness guard, not a speed assertion: a request that gets no answer in this long means
/// the server is stuck.
pub const STUCK: Duration = Duration::from_secs(30);

/// A parsed answer: status, lower-cased header lines, body text.
#[derive(Debug)]
pub struct RawReply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl RawReply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The value of header `name` (lower case), if present.
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim().eq_ignore_ascii_case(name)).then(|| v.trim().to_owned())
        })
    }
}

/// Sends `head` (request line and headers, without the blank line; `Connection: close` is
/// added) and `body`, then reads the answer until the server closes or the declared length is
/// in. The server may answer before it has read the body: that is the point of several tests.
pub async fn send(addr: SocketAddr, head: &str, body: &[u8]) -> RawReply {
    let request = format!("{head}\r\nConnection: close\r\n\r\n");
    let body = body.to_vec();
    let what = head.lines().next().unwrap_or_default().to_owned();
    tokio::task::spawn_blocking(move || {
        let mut stream = connect(addr);
        // Writes may fail once the server has answered and closed: that is fine.
        let _ = stream.write_all(request.as_bytes());
        let _ = stream.write_all(&body);
        read_reply(&mut stream)
    })
    .await
    .unwrap_or_else(|e| panic!("no answer to {what}: {e}"))
}

/// A blocking socket to `addr` whose reads give up after [`STUCK`].
pub fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect: {e}"));
    let _ = stream.set_read_timeout(Some(STUCK));
    let _ = stream.set_write_timeout(Some(STUCK));
    stream
}

/// Reads one answer from `stream` (blocking).
pub fn read_reply(stream: &mut TcpStream) -> RawReply {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(reply) = parse(&buf) {
            return reply;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    parse(&buf).unwrap_or_else(|| panic!("no complete answer: {}", String::from_utf8_lossy(&buf)))
}

fn parse(buf: &[u8]) -> Option<RawReply> {
    let text = String::from_utf8_lossy(buf);
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let reply = RawReply {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    };
    let length: usize = reply
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    (body.len() >= length).then_some(reply)
}
