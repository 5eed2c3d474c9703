//! The database handler: reads the target, checks container and environment, draws a fault,
//! reads the body and the caller, runs the endpoint and rotates the web auth token.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::endpoint;
use super::{dispatch, extract, response};
use crate::auth::{Authenticated, Caller};
use crate::error::{ServerError, ServerErrorCode};
use crate::faults::Fault;
use crate::state::Shared;

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

/// Answers `/database/1/…` (and, as the fallback, every unknown path).
pub async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    match answer(shared, request).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn answer(shared: Arc<Shared>, request: Request) -> Result<Response, ServerError> {
    let (parts, body) = request.into_parts();
    let route = endpoint::parse(parts.method.as_str(), parts.uri.path())?;
    if route.container != shared.container {
        return Err(ServerError::bad_request(format!(
            "unknown container '{}'; this emulator serves '{}'",
            route.container,
            shared.containers_served.join("', '")
        )));
    }
    if route.environment != shared.environment {
        return Err(ServerError::bad_request(format!(
            "environment '{}' is not served; this emulator serves '{}'",
            route.environment.as_str(),
            shared.environment.as_str()
        )));
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
            return Ok(response);
        }
        if let Some(e) = fault_error(f, shared.faults.spec().retry_after) {
            return Err(e);
        }
    }
    // Credentials in the target and headers first: only an admitted caller gets its body read.
    let admission = extract::admit(&shared, &parts, route.scope, route.endpoint.needs_user())?;
    let (body, _held) = extract::body(
        &shared,
        &parts,
        body,
        shared.max_request_bytes,
        "request body",
    )
    .await?;
    let authenticated = shared.auth.verify_body(admission, &body)?;
    let rotated = rotate(&shared, &authenticated);
    let writes = route.endpoint.writes();
    let api_token = extract::query_pairs(&parts)
        .into_iter()
        .find(|(k, _)| k == "ckAPIToken")
        .map(|(_, v)| v);
    let result = dispatch::run(shared.clone(), route, authenticated.caller, body)
        .await
        .map_err(|mut e| {
            // Operations name the bare sign-in page; the browser needs the caller's API token
            // on it to be let in.
            if e.redirect_url.is_some() {
                e.redirect_url = Some(shared.sign_in_url_for(api_token.as_deref()));
            }
            e
        });
    if writes {
        // Record writes may have queued notifications for web courier polls.
        shared.courier.wake();
    }
    let mut response = match result {
        Ok(json) => response::json(StatusCode::OK, json),
        Err(e) => e.into_response(),
    };
    if let Some(v) = rotated.and_then(|t| HeaderValue::from_str(&t).ok()) {
        response
            .headers_mut()
            .insert("x-apple-cloudkit-web-auth-token", v);
    }
    if fault == Some(Fault::Drop) {
        *response.body_mut() = dropped_body();
    }
    Ok(response)
}

fn rotate(shared: &Shared, authenticated: &Authenticated) -> Option<String> {
    let token = authenticated.presented_token.as_deref()?;
    let Caller::User(_) = &authenticated.caller else {
        return None;
    };
    Some(shared.auth.sessions.rotate(token)?.expose().to_owned())
}
