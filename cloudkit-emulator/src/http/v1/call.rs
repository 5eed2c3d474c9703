//! What every v1 data request goes through: its service from the path, its caller from the
//! token headers CKTool JS sends (`X-Apple-CloudKit-API-Token`, `X-Apple-CloudKit-Web-Auth-Token`,
//! the same tokens Web Services takes in the query string), its body within the limits, and
//! then the very Web Services operation that answers the same question, so both APIs see one
//! store under one set of rules.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::request::Parts;
use cloudkit_wire::ws::{DatabaseScope, Environment};
use serde_json::Value;

use crate::auth::{Admission, Caller, Credentials};
use crate::error::{ServerError, ServerErrorCode};
use crate::http::dispatch;
use crate::http::endpoint::{Endpoint, Route};
use crate::http::extract;
use crate::http::request_error::Answer;
use crate::services::Services;
use crate::state::Shared;

/// `X-Apple-CloudKit-API-Token`.
const API_TOKEN_HEADER: &str = "x-apple-cloudkit-api-token";
/// `X-Apple-CloudKit-Web-Auth-Token`.
const WEB_AUTH_TOKEN_HEADER: &str = "x-apple-cloudkit-web-auth-token";

/// The path's container, environment and database.
pub type DatabasePath = (String, String, String);

/// An admitted v1 request: its service, database, caller and JSON body (`{}` when empty).
pub struct Admitted {
    shared: Arc<Shared>,
    scope: DatabaseScope,
    caller: Caller,
    /// The request body, parsed.
    pub body: Value,
}

/// Finds the service of the path, admits the caller from the token headers, reads the body.
pub async fn admit(
    services: &Services,
    (container, environment, database): &DatabasePath,
    parts: &Parts,
    body: Body,
    endpoint: Endpoint,
) -> Result<Admitted, Answer> {
    let environment: Environment = environment
        .to_ascii_lowercase()
        .parse()
        .map_err(|_| Answer::bad_request("the environment is DEVELOPMENT or PRODUCTION"))?;
    let scope: DatabaseScope = database
        .to_ascii_lowercase()
        .parse()
        .map_err(|_| Answer::bad_request("the database is PUBLIC, PRIVATE or SHARED"))?;
    let shared = services
        .get(container, environment)
        .cloned()
        .ok_or_else(|| {
            Answer::not_found(format!(
                "container `{}` is not served by this emulator",
                container.chars().take(64).collect::<String>()
            ))
        })?;
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let creds = Credentials {
        api_token: header(API_TOKEN_HEADER),
        web_auth_token: header(WEB_AUTH_TOKEN_HEADER),
        key_id: None,
        date: None,
        signature: None,
        target: parts.uri.path(),
    };
    let redirect = shared.sign_in_url_for(creds.api_token);
    let caller = match shared
        .auth
        .admit(&creds, scope, endpoint.needs_user(), &redirect)?
    {
        Admission::Known(authenticated) => authenticated.caller,
        Admission::Signed(_) => {
            return Err(Answer::bad_request("requests are not signed in this API"));
        }
    };
    let (bytes, _held) = extract::body(
        &shared,
        parts,
        body,
        shared.max_request_bytes,
        "request body",
    )
    .await?;
    let body = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(&bytes)
            .map_err(|e| Answer::bad_request(format!("the body is not JSON: {e}")))?
    };
    Ok(Admitted {
        shared,
        scope,
        caller,
        body,
    })
}

/// Runs the Web Services `endpoint` with `request` (its JSON body) for the admitted caller.
pub async fn run(
    admitted: &Admitted,
    endpoint: Endpoint,
    request: &Value,
) -> Result<Value, Answer> {
    let route = Route {
        container: admitted.shared.container.clone(),
        environment: admitted.shared.environment,
        scope: admitted.scope,
        endpoint,
    };
    let body = Bytes::from(serde_json::to_vec(request).unwrap_or_default());
    let answer = dispatch::run(
        Arc::clone(&admitted.shared),
        route,
        admitted.caller.clone(),
        body,
    )
    .await;
    if endpoint.writes() {
        admitted.shared.courier.wake();
    }
    let bytes = answer?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Answer::from(ServerError::internal(format!("answer not JSON: {e}"))))
}

/// The error of a per-item answer (`serverErrorCode` and `reason`), if it is one.
pub fn item_error(item: &Value) -> Option<Answer> {
    let code = item.get("serverErrorCode")?.as_str()?;
    let reason = item
        .get("reason")
        .and_then(Value::as_str)
        .unwrap_or(code)
        .to_owned();
    Some(Answer::from(ServerError::new(
        ServerErrorCode::from(code),
        reason,
    )))
}
