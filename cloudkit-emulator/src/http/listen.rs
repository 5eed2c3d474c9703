//! Accepting connections, within limits a slow or hostile client cannot wear down.
//!
//! `axum::serve` sets no header-read timeout and takes every connection it is offered, so
//! sockets that open and then send headers a byte at a time (or nothing) pile up until no
//! client gets in. Here each connection is served by hyper's HTTP/1 server with a
//! [`Limits::header_read_timeout`] (which also ends idle keep-alive connections), at most
//! [`Limits::max_connections`] are open at once, and when a new one comes while all slots are
//! taken, a connection with no request in progress is closed to make room: the oldest one
//! that never got a request through (half-open, or still dribbling its headers), else the
//! oldest idle keep-alive one. Only when every open connection is busy with a
//! request is the newcomer turned away. The request timeout is a tower layer on the router.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, oneshot, watch};
use tokio::task::JoinSet;
use tower::ServiceExt as _;

/// The connection limits of a running emulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once.
    pub max_connections: usize,
    /// Time a client has to send a request's headers (and that an idle keep-alive connection
    /// stays open).
    pub header_read_timeout: Duration,
    /// Time a request has from its headers to its answer (body read included).
    pub request_timeout: Duration,
}

/// One open connection, as the accept loop sees it.
#[derive(Debug, Default)]
struct Slot {
    /// Requests being answered on it now.
    in_flight: AtomicUsize,
    /// Requests whose headers came in on it so far.
    served: AtomicUsize,
    /// Told when the connection is closed to make room.
    evict: Notify,
}

/// The open connections, oldest first.
#[derive(Debug, Default)]
struct Slots {
    next: u64,
    open: BTreeMap<u64, Arc<Slot>>,
}

impl Slots {
    /// Makes room for one more connection under `max`: evicts the oldest idle one if needed.
    /// `None` when every open connection is busy.
    fn admit(&mut self, max: usize) -> Option<(u64, Arc<Slot>)> {
        if self.open.len() >= max {
            // Connections that never got a request's headers through go first (half-open
            // sockets, slow headers), then idle keep-alive ones, oldest first.
            let idle = |s: &Slot| s.in_flight.load(Ordering::SeqCst) == 0;
            let idle = self
                .open
                .iter()
                .find(|(_, s)| idle(s) && s.served.load(Ordering::SeqCst) == 0)
                .or_else(|| self.open.iter().find(|(_, s)| idle(s)))
                .map(|(id, _)| *id)?;
            if let Some(slot) = self.open.remove(&idle) {
                slot.evict.notify_one();
            }
        }
        let id = self.next;
        self.next += 1;
        let slot = Arc::new(Slot::default());
        self.open.insert(id, slot.clone());
        Some((id, slot))
    }
}

/// Counts a request as in flight until dropped.
struct InFlight(Arc<Slot>);

impl InFlight {
    fn start(slot: &Arc<Slot>) -> InFlight {
        slot.in_flight.fetch_add(1, Ordering::SeqCst);
        slot.served.fetch_add(1, Ordering::SeqCst);
        InFlight(slot.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serves `app` on `listener` until `shutdown` fires, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    mut shutdown: oneshot::Receiver<()>,
) {
    let slots = Arc::new(Mutex::new(Slots::default()));
    let (closing, closed) = watch::channel(false);
    let mut connections = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) => {
                // Out of file descriptors and the like: wait a little rather than spin.
                tracing::debug!(%error, "accept failed");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let admitted = match slots.lock() {
            Ok(mut s) => s.admit(limits.max_connections.max(1)),
            Err(p) => p.into_inner().admit(limits.max_connections.max(1)),
        };
        let Some((id, slot)) = admitted else {
            tracing::debug!("connection refused: every connection is busy");
            continue;
        };
        let app = app.clone();
        let slots = slots.clone();
        let closed = closed.clone();
        connections.spawn(async move {
            connection(stream, app, limits, &slot, closed).await;
            if let Ok(mut s) = slots.lock() {
                s.open.remove(&id);
            }
        });
    }
    let _ = closing.send(true);
    while connections.join_next().await.is_some() {}
}

async fn connection(
    stream: TcpStream,
    app: Router,
    limits: Limits,
    slot: &Arc<Slot>,
    mut closing: watch::Receiver<bool>,
) {
    let counted = slot.clone();
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let guard = InFlight::start(&counted);
        let app = app.clone();
        async move {
            let response = app.oneshot(request.map(Body::new)).await;
            drop(guard);
            response.map_err(|never: Infallible| match never {})
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(error) = result {
                    tracing::trace!(%error, "connection ended");
                }
                return;
            }
            // Dropping the connection closes the socket.
            () = slot.evict.notified() => return,
            changed = closing.changed() => {
                if changed.is_err() || *closing.borrow() {
                    // Nothing being answered (idle, or headers still dribbling in): close now
                    // rather than wait out the header timeout.
                    if slot.in_flight.load(Ordering::SeqCst) == 0 {
                        return;
                    }
                    conn.as_mut().graceful_shutdown();
                    // Let it finish what it is answering; it is not told again.
                    if let Err(error) = conn.as_mut().await {
                        tracing::trace!(%error, "connection ended");
                    }
                    return;
                }
            }
        }
    }
}
