//! The web sign-in page that `AUTHENTICATION_REQUIRED`'s `redirectURL` points at (spec §2.2).
//!
//! `GET /signin` without a user lists the test users as links. `GET /signin?user=NAME` signs
//! the user in and hands back a web auth token the two ways CloudKit does:
//!
//! - with `callback=URL` (a custom callback URL): `302 Found` to `URL?ckWebAuthToken=TOKEN`
//!   (the token percent-encoded once);
//! - without: a page that posts `{ckWebAuthToken, ckSession}` to `window.opener` (post-message
//!   mode); the token is also in the `X-Apple-CloudKit-Web-Auth-Token` header for scripts.
//!
//! Only users of the emulator's [`Directory`](crate::directory::Directory) can sign in here;
//! an unknown user gets `404 NOT_FOUND`. `GET /signout?ckWebAuthToken=TOKEN` revokes a token.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

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

async fn sign_in(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let callback = param(query.as_deref(), "callback");
    let Some(name) = param(query.as_deref(), "user") else {
        let callback = callback
            .as_deref()
            .map(|c| format!("&callback={}", encode(c)))
            .unwrap_or_default();
        let links: String = shared
            .directory
            .users()
            .iter()
            .map(|u| {
                format!(
                    "<li><a href=\"/signin?user={}{}\">{} {} ({})</a></li>",
                    encode(&u.name),
                    escape(&callback),
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
    // serde_json gives a JavaScript string literal; `<` is escaped so it cannot close the
    // script element.
    let literal = serde_json::to_string(token.expose())
        .unwrap_or_default()
        .replace('<', "\\u003c");
    let mut response = html(
        StatusCode::OK,
        format!(
            "<!doctype html><title>Signed in</title><script>\
             var t = {literal};\
             if (window.opener) {{ window.opener.postMessage({{ckWebAuthToken: t, ckSession: t}}, '*'); window.close(); }}\
             </script><p>Signed in as {}.</p>",
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
