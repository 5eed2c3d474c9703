//! Sending one management call: token headers, the HTTP round trip with a size cap, error
//! decoding and retries under the data client's
//! [`RetryPolicy`](crate::client::RetryPolicy).

use std::time::Instant;

use cloudkit_wire::management::{
    API_TOKEN_HEADER, MANAGEMENT_TOKEN_HEADER, USER_TOKEN_HEADER, WEB_AUTH_TOKEN_HEADER,
};
use tracing::Instrument as _;

use super::error::Error;
use super::handle::ManagementClient;
use crate::client::{parse_retry_after, read_capped};

/// One request, as the operations describe it.
pub(super) struct Call {
    /// The operation's CKTool JS name, for errors and logs.
    pub(super) operation: &'static str,
    pub(super) method: reqwest::Method,
    /// The path below the base URL, already encoded.
    pub(super) path: String,
    pub(super) query: Vec<(&'static str, String)>,
    /// Content type and bytes.
    pub(super) body: Option<(String, Vec<u8>)>,
}

/// A 2xx answer.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) body: Vec<u8>,
}

impl ManagementClient {
    /// Sends `call` and decodes its JSON answer.
    pub(super) async fn json<R: serde::de::DeserializeOwned>(
        &self,
        call: Call,
    ) -> Result<R, Error> {
        let answer = self.send(&call).await?;
        serde_json::from_slice(&answer.body).map_err(|e| {
            Error::unexpected(call.operation, answer.status, &e.to_string(), &answer.body)
        })
    }

    /// Sends with retries; returns the first 2xx answer.
    pub(super) async fn send(&self, call: &Call) -> Result<Answer, Error> {
        let started = Instant::now();
        let mut attempt = 1u32;
        loop {
            let span = tracing::info_span!(
                "cloudkit.management",
                operation = call.operation,
                attempt,
                status = tracing::field::Empty,
            );
            match self.send_once(call, &span).instrument(span.clone()).await {
                Ok(answer) => return Ok(answer),
                Err(error) if error.is_transient() => {
                    let retry = &self.inner.retry;
                    let Some(wait) =
                        retry.next_wait(attempt, error.retry_after(), started.elapsed())
                    else {
                        if !retry.allows_another(attempt) {
                            return Err(error);
                        }
                        return Err(Error::GaveUp {
                            operation: call.operation,
                            attempts: attempt,
                            source: Box::new(error),
                        });
                    };
                    span.in_scope(|| {
                        tracing::debug!(error = %error, wait_ms = wait.as_millis() as u64, "retrying");
                    });
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }

    async fn send_once(&self, call: &Call, span: &tracing::Span) -> Result<Answer, Error> {
        let inner = &self.inner;
        let url = format!("{}{}", inner.base_url, call.path);
        let mut url = reqwest::Url::parse(&url)
            .map_err(|e| Error::unexpected(call.operation, 0, &format!("bad URL: {e}"), b""))?;
        if !call.query.is_empty() {
            // application/x-www-form-urlencoded, as URLSearchParams writes it (spec §1.3).
            url.query_pairs_mut().extend_pairs(&call.query);
        }
        let mut builder = inner.http.request(call.method.clone(), url);
        if let Some(token) = &inner.management_token {
            builder = builder.header(MANAGEMENT_TOKEN_HEADER, token.expose());
        }
        if let Some(token) = &inner.user_token {
            builder = builder.header(USER_TOKEN_HEADER, token.expose());
        }
        if let Some(token) = &inner.api_token {
            builder = builder.header(API_TOKEN_HEADER, token.expose());
        }
        if let Some(token) = &inner.web_auth_token {
            builder = builder.header(WEB_AUTH_TOKEN_HEADER, token.expose());
        }
        builder = match &call.body {
            Some((content_type, bytes)) => builder
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(bytes.clone()),
            // POST without a body: `Content-Length: 0`, as CKTool JS sends (spec §1.4).
            None if call.method == reqwest::Method::POST => builder.body(Vec::new()),
            None => builder,
        };
        let mut response = builder
            .send()
            .await
            .map_err(|e| crate::client::Error::transport(call.operation, e))?;
        let status = response.status().as_u16();
        span.record("status", status);
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let body = read_capped(call.operation, &mut response, inner.max_response_bytes).await?;
        if (200..300).contains(&status) {
            Ok(Answer { status, body })
        } else {
            Err(Error::from_status(
                call.operation,
                status,
                &body,
                retry_after,
            ))
        }
    }
}

impl Call {
    /// A call with a JSON body (`Content-Type: application/json`, no charset, spec §1.4).
    pub(super) fn with_json<T: serde::Serialize>(
        operation: &'static str,
        method: reqwest::Method,
        path: String,
        body: &T,
    ) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::InvalidParameters {
            operation,
            message: e.to_string(),
        })?;
        let mut call = Self::new(operation, method, path);
        call.body = Some(("application/json".to_owned(), bytes));
        Ok(call)
    }

    pub(super) fn new(operation: &'static str, method: reqwest::Method, path: String) -> Self {
        Self {
            operation,
            method,
            path,
            query: Vec::new(),
            body: None,
        }
    }
}
