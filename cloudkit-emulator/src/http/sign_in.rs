//! The web sign-in page that `AUTHENTICATION_REQUIRED`'s `redirectURL` points at (spec §2.2).
//!
//! The page serves only callers holding an accepted API token (`ckAPIToken`, which the
//! `redirectURL` carries; any or none when the emulator checks no API tokens). `GET /signin`
//! without a user lists the test users as links. `GET /signin?user=NAME` signs the user in and
//! hands back a web auth token the two ways CloudKit does:
//!
//! - with `callback=URL` (a custom callback URL): `302 Found` to `URL?ckWebAuthToken=TOKEN`
//!   (the token percent-encoded once), only when the URL's origin is allowed
//!   ([`super::origin`]: loopback pages, or configured origins); otherwise `403`;
//! - without: a page that posts `{ckWebAuthToken, ckSession}` to `window.opener`, addressed to
//!   the opener's origin only (from `origin=ORIGIN`, else the `Referer`), which must be
//!   allowed; with neither, nothing is posted. The token is also in the
//!   `X-Apple-CloudKit-Web-Auth-Token` header for scripts (CORS lets only allowed pages read
//!   it).
//!
//! Only users of the emulator's [`Directory`](crate::directory::Directory) can sign in here;
//! an unknown user gets `404 NOT_FOUND`. `GET /signout?ckWebAuthToken=TOKEN` revokes a token.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::origin::origin_of;
use crate::error::{ServerError, ServerErrorCode};
use crate::state::Shared;

/// The sign-in and sign-out routes.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/signin", axum::routing::get(sign_in))
        .route("/signout", axum::routing::get(sign_out))
}

/// The decoded value of query parameter `name`.
fn param(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn html(status: StatusCode, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// Escapes text for HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Where the page hands the token to: `origin=` or the `Referer`'s origin. `Err` when one
/// was named but is not allowed.
fn target_origin(
    shared: &Shared,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Result<Option<String>, ServerError> {
    let named = param(query, "origin").or_else(|| {
        headers
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
    let Some(named) = named else {
        return Ok(None);
    };
    match origin_of(&named).filter(|o| shared.web.allows_origin(o)) {
        Some(origin) => Ok(Some(origin)),
        None => Err(not_allowed(&named)),
    }
}

fn not_allowed(what: &str) -> ServerError {
    ServerError::new(
        ServerErrorCode::AccessDenied,
        format!(
            "'{what}' is not an allowed origin for web auth tokens; allow it with EmulatorBuilder::allowed_origin or `cloudkit serve --allowed-origin`"
        ),
    )
}

async fn sign_in(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let api_token = param(query.as_deref(), "ckAPIToken");
    if !shared.auth.accepts_api_token(api_token.as_deref()) {
        return ServerError::new(
            ServerErrorCode::AuthenticationFailed,
            "missing or unknown ckAPIToken",
        )
        .into_response();
    }
    let callback = param(query.as_deref(), "callback");
    if let Some(c) = &callback
        && !origin_of(c).is_some_and(|o| shared.web.allows_origin(&o))
    {
        return not_allowed(c).into_response();
    }
    let target = match target_origin(&shared, query.as_deref(), &headers) {
        Ok(t) => t,
        Err(e) if callback.is_none() => return e.into_response(),
        Err(_) => None,
    };
    let Some(name) = param(query.as_deref(), "user") else {
        // The links carry the token, the callback and the page's origin on.
        let mut carried = String::new();
        for (key, value) in [
            ("ckAPIToken", api_token.as_deref()),
            ("callback", callback.as_deref()),
            ("origin", target.as_deref()),
        ] {
            if let Some(v) = value {
                carried.push_str(&format!("&{key}={}", encode(v)));
            }
        }
        let links: String = shared
            .directory
            .users()
            .iter()
            .map(|u| {
                format!(
                    "<li><a href=\"/signin?user={}{}\">{} {} ({})</a></li>",
                    encode(&u.name),
                    escape(&carried),
                    escape(&u.given_name),
                    escape(&u.family_name),
                    escape(&u.email)
                )
            })
            .collect();
        return html(
            StatusCode::OK,
            format!(
                "<!doctype html><title>Sign in</title><h1>Sign in to {}</h1><ul>{links}</ul>",
                escape(&shared.container)
            ),
        );
    };
    if shared.directory.by_name(&name).is_none() {
        return ServerError::new(
            ServerErrorCode::NotFound,
            format!("no test user named '{name}'"),
        )
        .into_response();
    }
    let token = shared.auth.sessions.sign_in(&name);
    let Ok(header_value) = HeaderValue::from_str(token.expose()) else {
        return ServerError::internal("token is not a header value").into_response();
    };
    if let Some(callback) = callback {
        let separator = if callback.contains('?') { '&' } else { '?' };
        let location = format!(
            "{callback}{separator}ckWebAuthToken={}",
            encode(token.expose())
        );
        let Ok(location) = HeaderValue::from_str(&location) else {
            return ServerError::bad_request("callback is not a valid URL").into_response();
        };
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::FOUND;
        response.headers_mut().insert(header::LOCATION, location);
        return response;
    }
    // serde_json gives JavaScript string literals; `<` is escaped so that they cannot close
    // the script element.
    let literal = |text: &str| {
        serde_json::to_string(text)
            .unwrap_or_default()
            .replace('<', "\\u003c")
    };
    let post = match &target {
        Some(origin) => format!(
            "var t = {};\
             if (window.opener) {{ window.opener.postMessage({{ckWebAuthToken: t, ckSession: t}}, {}); window.close(); }}",
            literal(token.expose()),
            literal(origin)
        ),
        None => String::new(),
    };
    let mut response = html(
        StatusCode::OK,
        format!(
            "<!doctype html><title>Signed in</title><script>{post}</script><p>Signed in as {}.</p>",
            escape(&name)
        ),
    );
    response
        .headers_mut()
        .insert("x-apple-cloudkit-web-auth-token", header_value);
    response
}

async fn sign_out(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    if let Some(token) = param(query.as_deref(), "ckWebAuthToken") {
        shared.auth.sessions.revoke(&token);
    }
    html(
        StatusCode::OK,
        "<!doctype html><p>Signed out.</p>".to_owned(),
    )
}
