//! Slow and idle clients cannot take the emulator down (issue #16, item 9): headers must come
//! within the header-read timeout, a request must be answered within the request timeout, and
//! connections past the cap push out idle ones instead of locking everyone out.
//!
//! Every wait here is bounded by a liveness guard ([`raw::STUCK`]); nothing asserts speed.

use std::io::Write as _;
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use cloudkit_emulator::Emulator;

use crate::common::{API_TOKEN, CONTAINER, Client, SCHEMA};
use crate::raw;

fn builder() -> cloudkit_emulator::EmulatorBuilder {
    Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .api_token(API_TOKEN)
}

/// Whether the server has closed `stream` (EOF, reset, or an answer to what it got).
fn closed_by_server(stream: &mut TcpStream) -> bool {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let mut byte = [0u8; 1];
    match stream.peek(&mut byte) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

/// Opens a socket and sends the start of a request whose headers never end.
fn half_open(addr: SocketAddr) -> TcpStream {
    let mut stream = raw::connect(addr);
    let _ = stream.write_all(
        b"GET /database/1/x/development/public/zones/list HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    );
    stream
}

#[tokio::test]
async fn headers_sent_a_byte_at_a_time_are_cut_off() {
    let emu = builder()
        .header_read_timeout(Duration::from_millis(500))
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = emu.local_addr();
    let cut = tokio::task::spawn_blocking(move || {
        let mut stream = half_open(addr);
        // One byte of a never-ending header every 50 ms, for at most the liveness guard.
        let rounds = raw::STUCK.as_millis() / 50;
        for _ in 0..rounds {
            if stream.write_all(b"x").is_err() || closed_by_server(&mut stream) {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(cut, "a client dribbling its headers kept its connection");
    // An idle connection that never sent a byte is closed too.
    let idle = tokio::task::spawn_blocking(move || {
        let stream = raw::connect(addr);
        let _ = stream.set_read_timeout(Some(raw::STUCK));
        let mut buf = [0u8; 64];
        // EOF or an answer, not a timeout.
        stream.peek(&mut buf).is_ok()
    })
    .await
    .unwrap_or(false);
    assert!(
        idle,
        "an idle connection stayed open past the header timeout"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn half_open_sockets_past_the_cap_do_not_lock_clients_out() {
    let cap = 8;
    let emu = builder()
        .max_connections(cap)
        .header_read_timeout(Duration::from_secs(120))
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = emu.local_addr();
    // A keep-alive client that has been served once and then idles.
    let request = format!(
        "GET /database/1/{CONTAINER}/development/public/zones/list?ckAPIToken={API_TOKEN} HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    );
    let ask = move |mut stream: TcpStream| {
        let _ = stream.write_all(request.as_bytes());
        let status = raw::read_reply(&mut stream).status;
        (stream, status)
    };
    let ask_again = ask.clone();
    let (regular, status) = tokio::task::spawn_blocking(move || ask(raw::connect(addr)))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status, 200);
    let mut sockets = tokio::task::spawn_blocking(move || {
        (0..5 * cap).map(|_| half_open(addr)).collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    // While they are open, a normal client, on fresh connections, still gets answers.
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(raw::STUCK)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = crate::common::http();
    let client = Client {
        http,
        ..Client::anonymous(&emu)
    };
    for _ in 0..10 {
        let r = client.get("public", "zones/list").await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.json);
    }
    // Room was made from the half-open sockets, not from the idle keep-alive client.
    let (_, status) = tokio::task::spawn_blocking(move || ask_again(regular))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status, 200, "the served keep-alive connection was closed");
    // The server made room by closing the oldest half-open sockets: at most `cap` stay.
    let still_open = tokio::task::spawn_blocking(move || {
        let mut open = 0;
        for s in &mut sockets {
            if !closed_by_server(s) {
                open += 1;
            }
        }
        open
    })
    .await
    .unwrap_or(usize::MAX);
    assert!(
        still_open <= cap,
        "{still_open} half-open sockets still open, cap {cap}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn a_body_that_never_ends_gets_a_timeout_answer() {
    let emu = builder()
        .request_timeout(Duration::from_millis(500))
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let head = format!(
        "POST /database/1/{CONTAINER}/development/public/records/query?ckAPIToken={API_TOKEN} HTTP/1.1\r\nHost: {}\r\nContent-Length: 1000",
        emu.local_addr()
    );
    let r = raw::send(emu.local_addr(), &head, b"{\"query\":").await;
    assert_eq!(
        (r.status, r.json()["serverErrorCode"].as_str()),
        (503, Some("TRY_AGAIN_LATER")),
        "{r:?}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn shutdown_does_not_wait_for_half_open_sockets() {
    let emu = builder()
        .header_read_timeout(Duration::from_secs(600))
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = emu.local_addr();
    let sockets =
        tokio::task::spawn_blocking(move || (0..3).map(|_| half_open(addr)).collect::<Vec<_>>())
            .await
            .unwrap_or_default();
    // Let the server take them in before it is told to stop.
    let r = Client::anonymous(&emu).get("public", "zones/list").await;
    assert_eq!(r.status.as_u16(), 200);
    tokio::time::timeout(raw::STUCK, emu.shutdown())
        .await
        .unwrap_or_else(|_| panic!("shutdown waited for half-open sockets"));
    drop(sockets);
}
