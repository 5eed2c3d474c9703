//! A request built but not sent: method, path, body bytes. Auth is added when it is sent, so a
//! prepared request holds no secrets and can be snapshotted as is.

use std::fmt;

use serde::Serialize;

use super::error::Error;

/// HTTP method. CloudKit uses GET for bodiless endpoints and POST for everything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Method {
    /// `GET`
    #[serde(rename = "GET")]
    Get,
    /// `POST`
    #[serde(rename = "POST")]
    Post,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Get => "GET",
            Method::Post => "POST",
        })
    }
}

use cloudkit_wire::ws::DatabaseScope;

/// A fully built request, ready to be authenticated and sent.
///
/// The body is serialised once, here; those exact bytes are hashed for the server-to-server
/// signature and sent.
#[derive(Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    /// GET or POST.
    pub method: Method,
    /// `/database/1/{container}/{environment}/{database}/{entity}/{action}`.
    pub path: String,
    /// `entity/action`, e.g. `records/modify`; used in spans and errors.
    pub endpoint: &'static str,
    /// The database segment.
    pub database: DatabaseScope,
    /// JSON body bytes; `None` for GET.
    pub body: Option<Vec<u8>>,
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

/// Content type sent with every body. `application/json; charset=utf-8` is accepted live.
pub(crate) const CONTENT_TYPE: &str = "application/json; charset=utf-8";

impl PreparedRequest {
    pub(crate) fn post<B: Serialize>(
        path: String,
        endpoint: &'static str,
        database: DatabaseScope,
        body: &B,
    ) -> Result<Self, Error> {
        let body = serde_json::to_vec(body).map_err(|source| Error::Encode {
            endpoint,
            message: source.to_string(),
        })?;
        Ok(Self {
            method: Method::Post,
            path,
            endpoint,
            database,
            body: Some(body),
        })
    }

    pub(crate) fn get(path: String, endpoint: &'static str, database: DatabaseScope) -> Self {
        Self {
            method: Method::Get,
            path,
            endpoint,
            database,
            body: None,
        }
    }

    /// The body as text (bodies are always UTF-8 JSON).
    pub fn body_text(&self) -> Option<&str> {
        self.body
            .as_deref()
            .and_then(|b| std::str::from_utf8(b).ok())
    }
}

/// What a request looks like on the wire, minus secrets: query values of auth parameters are
/// `<redacted>`, and the signature and date headers are left out. Built by
/// [`Client::describe`](super::Client::describe); meant for snapshots and debugging.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequestSnapshot {
    /// GET or POST.
    pub method: Method,
    /// Path without host.
    pub path: String,
    /// Query parameters in order, auth values redacted.
    pub query: Vec<(String, String)>,
    /// Headers in order, without the signature and date.
    pub headers: Vec<(String, String)>,
    /// The body exactly as sent.
    pub body: Option<String>,
}

impl fmt::Display for RequestSnapshot {
    /// HTTP/1.1-like text: request line, headers, blank line, exact body.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        for (i, (name, value)) in self.query.iter().enumerate() {
            write!(f, "{}{name}={value}", if i == 0 { '?' } else { '&' })?;
        }
        writeln!(f)?;
        for (name, value) in &self.headers {
            writeln!(f, "{name}: {value}")?;
        }
        if let Some(body) = &self.body {
            writeln!(f)?;
            writeln!(f, "{body}")?;
        }
        Ok(())
    }
}
