//! The HTTP side: one handler reads the target, checks credentials, draws a fault, runs the
//! endpoint on a blocking thread and writes CloudKit's headers.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;

use crate::auth::{Authenticated, Caller, Credentials};
use crate::endpoint;
use crate::error::{ServerError, ServerErrorCode};
use crate::faults::Fault;
use crate::ids::new_uuid;
use crate::route::{self, Route};
use crate::state::Shared;

/// Largest request body read; bigger ones are refused before parsing.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// The router: every path goes through [`handle`], so unknown paths get CloudKit's answer.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(crate::sign_in::routes())
        .merge(crate::asset_transfer::routes())
        .merge(crate::web_courier::routes())
        .fallback(handle)
        .with_state(shared)
}

fn error_body(error: &ServerError, uuid: &str) -> Vec<u8> {
    let wire = error.to_wire(uuid);
    serde_json::to_vec(&wire).unwrap_or_else(|_| b"{}".to_vec())
}

fn cors(headers: &mut HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(
            "X-Apple-Request-UUID, X-Apple-CloudKit-Web-Auth-Token, X-Responding-Instance",
        ),
    );
}

fn respond(status: u16, body: Vec<u8>, uuid: &str) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    if let Ok(v) = HeaderValue::from_str(uuid) {
        headers.insert("x-apple-request-uuid", v);
    }
    headers.insert(
        "x-responding-instance",
        HeaderValue::from_static("cloudkit-emulator"),
    );
    cors(headers);
    response
}

fn error_response(error: &ServerError, uuid: &str) -> Response {
    let mut response = respond(error.http_status(), error_body(error, uuid), uuid);
    if error.http_status() == 405 {
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("OPTIONS"));
    }
    response
}

fn fault_error(fault: Fault, retry_after: u64) -> Option<ServerError> {
    let (code, reason) = match fault {
        Fault::Throttled => (
            ServerErrorCode::Throttled,
            "request throttled (injected fault)",
        ),
        Fault::TryAgainLater => (
            ServerErrorCode::TryAgainLater,
            "try again later (injected fault)",
        ),
        Fault::ZoneBusy => (ServerErrorCode::ZoneBusy, "zone busy (injected fault)"),
        Fault::Unavailable | Fault::Drop => return None,
    };
    Some(ServerError::new(code, reason).with_retry_after(retry_after))
}

/// A body that fails on its first read: the connection is cut mid-response.
fn dropped_body() -> Body {
    Body::from_stream(futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("connection dropped (injected fault)"))
    }))
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let uuid = new_uuid();
    let (parts, body) = request.into_parts();
    if parts.method == Method::OPTIONS {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NO_CONTENT;
        let headers = response.headers_mut();
        cors(headers);
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, OPTIONS"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("*"),
        );
        return response;
    }
    let path = parts.uri.path().to_owned();
    let target = parts
        .uri
        .path_and_query()
        .map_or_else(|| path.clone(), |pq| pq.as_str().to_owned());
    let route = match route::parse(parts.method.as_str(), &path) {
        Ok(r) => r,
        Err(e) => return error_response(&e, &uuid),
    };
    if route.container != shared.container {
        let e = ServerError::bad_request(format!(
            "unknown container '{}'; this emulator serves '{}'",
            route.container, shared.container
        ));
        return error_response(&e, &uuid);
    }
    if route.environment != shared.environment {
        let e = ServerError::bad_request(format!(
            "environment '{}' is not served; this emulator serves '{}'",
            route.environment.as_str(),
            shared.environment.as_str()
        ));
        return error_response(&e, &uuid);
    }
    // Decided before anything is read or written.
    let fault = shared.faults.decide();
    if let Some(f) = fault {
        if f == Fault::Unavailable {
            let mut response = Response::new(Body::from("Service Unavailable"));
            *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            return response;
        }
        if let Some(e) = fault_error(f, shared.faults.spec().retry_after) {
            return error_response(&e, &uuid);
        }
    }
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            let e =
                ServerError::bad_request(format!("request body is larger than {MAX_BODY} bytes"));
            return error_response(&e, &uuid);
        }
    };
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let creds = Credentials::read(&query, header, &body, &target);
    let authenticated = match shared
        .auth
        .authenticate(&creds, &route, &shared.sign_in_url())
    {
        Ok(a) => a,
        Err(e) => return error_response(&e, &uuid),
    };
    let rotated = rotate(&shared, &authenticated);
    let writes = route.endpoint.writes();
    let result = run_endpoint(shared.clone(), route, authenticated.caller, body).await;
    if writes {
        // Record writes may have queued notifications for web courier polls.
        shared.courier.wake();
    }
    let mut response = match result {
        Ok(json) => respond(200, json, &uuid),
        Err(e) => {
            if e.code == ServerErrorCode::InternalError {
                tracing::error!(error = %e, "endpoint failed");
            }
            error_response(&e, &uuid)
        }
    };
    if let Some(v) = rotated.and_then(|t| HeaderValue::from_str(&t).ok()) {
        response
            .headers_mut()
            .insert("x-apple-cloudkit-web-auth-token", v);
    }
    if fault == Some(Fault::Drop) {
        *response.body_mut() = dropped_body();
    }
    response
}

fn rotate(shared: &Shared, authenticated: &Authenticated) -> Option<String> {
    let token = authenticated.presented_token.as_deref()?;
    let Caller::User(user) = &authenticated.caller else {
        return None;
    };
    Some(shared.auth.sessions.rotate(token, user).expose().to_owned())
}

async fn run_endpoint(
    shared: Arc<Shared>,
    route: Route,
    caller: Caller,
    body: Bytes,
) -> Result<Vec<u8>, ServerError> {
    tokio::task::spawn_blocking(move || endpoint::dispatch(&shared, &route, &caller, &body))
        .await
        .map_err(|e| ServerError::internal(format!("endpoint task failed: {e}")))?
}
