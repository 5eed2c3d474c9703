//! The `device` module (spec §3.19–3.21): `tokens/create`, `tokens/register`, and the web
//! courier long poll that delivers notifications without APNs.
//!
//! - `tokens/create` answers a random base64 `apnsToken` and a `webcourierURL` on this host; a
//!   signed-in caller's token is registered to that user at once.
//! - `tokens/register` (signed-in user required) binds a token to the caller; an unknown token
//!   is `BAD_REQUEST`. It answers the token dictionary back (CloudKit documents no body).
//! - `GET webcourierURL` answers one notification payload (§4.14) per response, oldest first,
//!   holding the request open until one is queued or the hold time passes (default 25 s, or
//!   `?timeout=SECONDS` up to 60), then `204 No Content`: poll again.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cloudkit_wire::ws::{
    DatabaseScope, Environment, TokenCreateRequest, TokenCreateResponse, TokenRegisterRequest,
};

use super::{endpoint, extract, response};
use crate::auth::Caller;
use crate::error::{ServerError, ServerErrorCode};
use crate::ids::opaque_id;
use crate::state::Shared;

/// Default time a web courier poll is held open.
pub const DEFAULT_HOLD: Duration = Duration::from_secs(25);

/// Largest `tokens/*` body: the requests are a few short strings.
const TOKENS_MAX_BODY: usize = 64 * 1024;

/// The device and web courier routes.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/device/1/{container}/{environment}/tokens/{action}",
            axum::routing::post(tokens),
        )
        .route("/webcourier/{courier}", axum::routing::get(poll))
}

async fn tokens(
    State(shared): State<Arc<Shared>>,
    Path((container, environment, action)): Path<(String, String, String)>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let environment: Environment = match environment.parse() {
        Ok(e) => e,
        Err(reason) => return ServerError::bad_request(reason.to_string()).into_response(),
    };
    if container != shared.container || environment != shared.environment {
        return ServerError::bad_request(format!(
            "this emulator serves '{}' in {}",
            shared.container,
            shared.environment.as_str()
        ))
        .into_response();
    }
    if action != "create" && action != "register" {
        return endpoint::no_handler(parts.uri.path()).into_response();
    }
    // Credentials are checked as for a public-database read: API token (and web auth token if
    // any) or a server key; whether a user is needed is decided per action below.
    let admission = match extract::admit(&shared, &parts, DatabaseScope::Public, false) {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let (body, _held) =
        match extract::body(&shared, &parts, body, TOKENS_MAX_BODY, "request body").await {
            Ok(b) => b,
            Err(e) => return e.into_response(),
        };
    let caller = match shared.auth.verify_body(admission, &body) {
        Ok(a) => a.caller,
        Err(e) => return e.into_response(),
    };
    let user = match &caller {
        Caller::User(u) => Some(u.user_record_name.clone()),
        _ => None,
    };
    let worker = shared.clone();
    let result = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, ServerError> {
        let json = |v: &dyn erased::Json| v.to_vec();
        if action == "create" {
            let request: TokenCreateRequest = serde_json::from_slice(&body)
                .map_err(|e| ServerError::bad_request(format!("Unexpected input: {e}")))?;
            let bytes: [u8; 32] = rand::random();
            let apns_token = STANDARD.encode(bytes);
            let courier = opaque_id();
            worker.store.run_transaction(|tx| {
                tx.put_device_token(
                    &apns_token,
                    &courier,
                    user.as_deref(),
                    request.apns_environment.as_str(),
                )
            })?;
            let base = worker.base_url.get().cloned().unwrap_or_default();
            json(&TokenCreateResponse {
                apns_environment: request.apns_environment,
                apns_token,
                webcourier_url: format!("{base}/webcourier/{courier}"),
            })
        } else {
            let request: TokenRegisterRequest = serde_json::from_slice(&body)
                .map_err(|e| ServerError::bad_request(format!("Unexpected input: {e}")))?;
            let user =
                user.ok_or_else(|| crate::auth::authentication_required(&worker.sign_in_url()))?;
            let known = worker
                .store
                .run_transaction(|tx| tx.register_device_token(&request.apns_token, &user))?;
            if !known {
                return Err(ServerError::bad_request(
                    "unknown apnsToken; create one with tokens/create",
                ));
            }
            json(&request)
        }
    })
    .await;
    match result {
        Ok(Ok(body)) => response::json(StatusCode::OK, body),
        Ok(Err(e)) => e.into_response(),
        Err(e) => ServerError::internal(format!("token task failed: {e}")).into_response(),
    }
}

mod erased {
    /// Serialises any wire type (object-safe, for one closure over two response types).
    pub trait Json {
        fn to_vec(&self) -> Result<Vec<u8>, crate::error::ServerError>;
    }

    impl<T: serde::Serialize> Json for T {
        fn to_vec(&self) -> Result<Vec<u8>, crate::error::ServerError> {
            serde_json::to_vec(self).map_err(|e| {
                crate::error::ServerError::internal(format!("cannot encode response: {e}"))
            })
        }
    }
}

async fn poll(
    State(shared): State<Arc<Shared>>,
    Path(courier): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let hold = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "timeout")
        .and_then(|(_, v)| v.parse::<u64>().ok())
        .map_or(DEFAULT_HOLD, |s| Duration::from_secs(s.min(60)));
    let deadline = tokio::time::Instant::now() + hold;
    loop {
        // Register interest before looking, so a notification queued in between still wakes us.
        let woken = shared.courier.notified();
        let worker = shared.clone();
        let id = courier.clone();
        let taken = tokio::task::spawn_blocking(move || {
            worker.store.run_transaction(|tx| {
                if !tx.courier_exists(&id)? {
                    return Err(ServerError::new(
                        ServerErrorCode::NotFound,
                        "unknown web courier URL; create a token with tokens/create",
                    ));
                }
                Ok(tx.take_notification(&id)?)
            })
        })
        .await;
        match taken {
            Ok(Ok(Some(payload))) => return response::json(StatusCode::OK, payload.into_bytes()),
            Ok(Ok(None)) => {}
            Ok(Err(e)) => return e.into_response(),
            Err(e) => {
                return ServerError::internal(format!("poll task failed: {e}")).into_response();
            }
        }
        let now = tokio::time::Instant::now();
        if now >= deadline || shared.courier.is_closing() {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NO_CONTENT;
            return response;
        }
        // Woken by a write, or after a short while anyway (a wake-up between the look and the
        // wait is then late by at most this much).
        let nap = (deadline - now).min(Duration::from_millis(250));
        let _ = tokio::time::timeout(nap, woken).await;
    }
}
