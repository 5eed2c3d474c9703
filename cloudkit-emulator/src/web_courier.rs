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
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cloudkit_wire::ws::{TokenCreateRequest, TokenCreateResponse, TokenRegisterRequest};

use crate::auth::{Caller, Credentials};
use crate::error::{ServerError, ServerErrorCode};
use crate::ids::{new_uuid, opaque_id};
use crate::route::{Endpoint, Route};
use crate::state::Shared;
use cloudkit_wire::ws::{DatabaseScope, Environment};

/// Default time a web courier poll is held open.
pub const DEFAULT_HOLD: Duration = Duration::from_secs(25);

/// The device and web courier routes.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/device/1/{container}/{environment}/tokens/{action}",
            axum::routing::post(tokens),
        )
        .route("/webcourier/{courier}", axum::routing::get(poll))
}

fn json_response(status: u16, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

fn error(e: &ServerError) -> Response {
    json_response(
        e.http_status(),
        serde_json::to_vec(&e.to_wire(&new_uuid())).unwrap_or_default(),
    )
}

async fn tokens(
    State(shared): State<Arc<Shared>>,
    Path((container, environment, action)): Path<(String, String, String)>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 64 * 1024).await else {
        return error(&ServerError::bad_request("request body too large"));
    };
    let environment: Environment = match environment.parse() {
        Ok(e) => e,
        Err(reason) => return error(&ServerError::bad_request(reason.to_string())),
    };
    if container != shared.container || environment != shared.environment {
        return error(&ServerError::bad_request(format!(
            "this emulator serves '{}' in {}",
            shared.container,
            shared.environment.as_str()
        )));
    }
    if action != "create" && action != "register" {
        return error(&crate::route::no_handler(parts.uri.path()));
    }
    // Credentials are checked as for a public-database read: API token (and web auth token if
    // any) or a server key; whether a user is needed is decided per action below.
    let route = Route {
        container,
        environment,
        scope: DatabaseScope::Public,
        endpoint: Endpoint::ZonesList,
    };
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let target = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned());
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let creds = Credentials::read(&query, header, &body, &target);
    let caller = match shared
        .auth
        .authenticate(&creds, &route, &shared.sign_in_url())
    {
        Ok(a) => a.caller,
        Err(e) => return error(&e),
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
        Ok(Ok(body)) => json_response(200, body),
        Ok(Err(e)) => error(&e),
        Err(e) => error(&ServerError::internal(format!("token task failed: {e}"))),
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
            Ok(Ok(Some(payload))) => return json_response(200, payload.into_bytes()),
            Ok(Ok(None)) => {}
            Ok(Err(e)) => return error(&e),
            Err(e) => return error(&ServerError::internal(format!("poll task failed: {e}"))),
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
