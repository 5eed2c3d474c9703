//! The middleware every route goes through: the `Host` and `Origin` checks
//! ([`super::origin`]), CORS (preflights answered here), the request UUID and CloudKit's
//! response headers, the request timeout's answer, one log line per internal error, and the
//! request log event of every request ([`crate::request_log`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use futures_util::StreamExt as _;

use super::response::{AnsweredError, InternalError, REQUEST_UUID};
use crate::error::{ServerError, ServerErrorCode};
use crate::ids::new_uuid;
use crate::state::Shared;

/// The status tower-http's timeout layer answers with, turned into CloudKit's error here.
/// (No handler answers 408 itself.)
pub const TIMED_OUT: StatusCode = StatusCode::REQUEST_TIMEOUT;

/// Refuses requests for another host or from a page of another origin, answers CORS
/// preflights, and adds CloudKit's headers to every other response.
pub async fn cloudkit_headers(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let started = std::time::Instant::now();
    let method = request.method().clone();
    let endpoint = endpoint(&request);
    let response = answer(shared, request, next).await;
    let error = response.extensions().get::<AnsweredError>();
    crate::request_log::request(
        method.as_str(),
        &endpoint,
        response.status().as_u16(),
        error.map(|e| (e.code.as_str(), e.reason.as_str())),
        started.elapsed(),
    );
    response
}

/// Longest endpoint logged; the rest of a longer path is left out.
const MAX_LOGGED_PATH: usize = 200;

/// Routes whose path segments after the prefix are capabilities: whoever knows them may poll
/// a user's notifications, upload into a record or download an asset.
const CAPABILITY_ROUTES: [(&str, &str); 3] = [
    ("/webcourier/", "/webcourier/{courier}"),
    ("/asset-upload/", "/asset-upload/{id}"),
    ("/asset-download/", "/asset-download/{file}/{name}"),
];

/// What the request log shows of the request's target: the path, with the capability routes
/// shown by their template, and never the query string, which carries tokens.
fn endpoint(request: &Request) -> String {
    let path = request.uri().path();
    // URLs of a container other than the first carry `/_c/N` (see `crate::services`).
    let path = path
        .strip_prefix("/_c/")
        .and_then(|rest| rest.find('/').map(|at| &rest[at..]))
        .unwrap_or(path);
    if let Some((_, template)) = CAPABILITY_ROUTES
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix))
    {
        return (*template).to_owned();
    }
    match path.char_indices().nth(MAX_LOGGED_PATH) {
        Some((end, _)) => format!("{}…", &path[..end]),
        None => path.to_owned(),
    }
}

async fn answer(shared: Arc<Shared>, request: Request, next: Next) -> Response {
    let (request, read_to_end) = watch_body(request);
    let origin = match refusal(&shared, request.headers()) {
        Ok(origin) => origin,
        Err(e) => return finish(e.into_response(), None, read_to_end),
    };
    if request.method() == Method::OPTIONS {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NO_CONTENT;
        let headers = response.headers_mut();
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, OPTIONS"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("*"),
        );
        return finish(response, origin, read_to_end);
    }
    let mut response = next.run(request).await;
    if response.status() == TIMED_OUT {
        response = ServerError::new(
            ServerErrorCode::TryAgainLater,
            "the request took too long to answer (request timeout)",
        )
        .into_response();
    }
    if let Some(InternalError(error)) = response.extensions().get::<InternalError>() {
        tracing::error!(%error, "request failed");
    }
    finish(response, origin, read_to_end)
}

/// Wraps a request that has a body so that the returned flag turns true once the handler has
/// read it to the end. `None` for requests without a body.
fn watch_body(request: Request) -> (Request, Option<Arc<AtomicBool>>) {
    let empty = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .is_some_and(|v| v.as_bytes() == b"0")
        || (!request.headers().contains_key(header::CONTENT_LENGTH)
            && !request.headers().contains_key(header::TRANSFER_ENCODING));
    if empty {
        return (request, None);
    }
    let read = Arc::new(AtomicBool::new(false));
    let flag = read.clone();
    let (parts, body) = request.into_parts();
    let end = futures_util::stream::once(async move {
        flag.store(true, Ordering::SeqCst);
        Ok::<_, axum::Error>(Bytes::new())
    });
    let body = Body::from_stream(body.into_data_stream().chain(end));
    (Request::from_parts(parts, body), Some(read))
}

/// The allowed `Origin` of the request (if it has one), or why it is refused.
fn refusal(shared: &Shared, headers: &HeaderMap) -> Result<Option<HeaderValue>, ServerError> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if !host.is_some_and(|h| shared.web.allows_host(h)) {
        return Err(ServerError::new(
            ServerErrorCode::AccessDenied,
            format!(
                "Host '{}' does not name this emulator; allow it with EmulatorBuilder::allowed_host or `cloudkit serve --allowed-host`",
                host.unwrap_or_default()
            ),
        ));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(None);
    };
    let text = origin.to_str().unwrap_or_default();
    if !shared.web.allows_origin(text) {
        return Err(ServerError::new(
            ServerErrorCode::AccessDenied,
            format!(
                "pages of origin '{text}' may not call this emulator; allow it with EmulatorBuilder::allowed_origin or `cloudkit serve --allowed-origin`"
            ),
        ));
    }
    Ok(Some(origin.clone()))
}

/// CloudKit's headers, and CORS for an allowed origin: that origin reflected, never `*`.
/// `read_to_end` is the flag of [`watch_body`].
fn finish(
    mut response: Response,
    origin: Option<HeaderValue>,
    read_to_end: Option<Arc<AtomicBool>>,
) -> Response {
    let headers = response.headers_mut();
    if read_to_end.is_some_and(|read| !read.load(Ordering::SeqCst)) {
        // Answered without reading the whole body (refused early, or too large): the rest
        // of it is still on the wire, so this connection cannot carry another request.
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    if !headers.contains_key(REQUEST_UUID)
        && let Ok(v) = HeaderValue::from_str(&new_uuid())
    {
        headers.insert(REQUEST_UUID, v);
    }
    headers.insert(
        "x-responding-instance",
        HeaderValue::from_static("cloudkit-emulator"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(
                "X-Apple-Request-UUID, X-Apple-CloudKit-Web-Auth-Token, X-Responding-Instance",
            ),
        );
    }
    response
}
