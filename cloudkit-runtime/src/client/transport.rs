//! Sending a [`PreparedRequest`]: authentication, the HTTP round trip, web auth token
//! rotation, whole-request error decoding, retries and the tracing span.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tracing::Instrument as _;

use super::auth::Auth;
use super::auth::api_token::{
    ApiToken, ApiTokenAuth, SESSION_HEADER, WEB_AUTH_TOKEN_HEADER, WebAuthToken,
};
use super::auth::server_key::{self, DATE_HEADER, KEY_ID_HEADER, SIGNATURE_HEADER};
use super::error::{Error, ServerFailure, per_item};
use super::request::{CONTENT_TYPE, Method, PreparedRequest, RequestSnapshot};
use super::retry::{CallStart, RetryPolicy, parse_retry_after};
use cloudkit_wire::ws::DatabaseScope;
use cloudkit_wire::ws::Environment;
use cloudkit_wire::ws::ServerError as WireServerError;

/// Shared state behind every handle of one client.
#[derive(Debug)]
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) container: String,
    pub(crate) environment: Environment,
    pub(crate) auth: Auth,
    pub(crate) retry: RetryPolicy,
    pub(crate) limits: Limits,
    /// The API token per-user handles use: the client's own, or the one given beside a
    /// server-to-server key.
    pub(crate) user_api_token: Option<ApiToken>,
    /// Shared by every handle made from one client, per-user ones included.
    counters: Arc<Counters>,
}

/// Request counters shared by a client and its per-user handles.
#[derive(Debug, Default)]
struct Counters {
    attempts: AtomicU64,
    retries: AtomicU64,
}

/// What the client accepts from servers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Largest JSON response body.
    pub(crate) response_bytes: u64,
    /// Largest asset download.
    pub(crate) asset_bytes: u64,
    /// Plain http to hosts other than this machine.
    pub(crate) allow_insecure_http: bool,
}

/// A successful (2xx) answer, decoded.
pub(crate) struct Reply<R> {
    /// The decoded body.
    pub(crate) response: R,
    /// The raw body, to quote when the decoded answer does not fit the request.
    pub(crate) body: Vec<u8>,
    /// Attempts it took; more than 1 means an earlier attempt may have been applied.
    pub(crate) attempts: u32,
}

/// A successful (2xx) answer.
pub(crate) struct Answer {
    pub(crate) body: Vec<u8>,
    /// Attempts it took; more than 1 means an earlier attempt may have been applied.
    pub(crate) attempts: u32,
}

impl Transport {
    pub(crate) fn new(
        http: reqwest::Client,
        base_url: String,
        container: String,
        environment: Environment,
        auth: Auth,
        retry: RetryPolicy,
        limits: Limits,
    ) -> Self {
        Self {
            http,
            base_url,
            container,
            environment,
            auth,
            retry,
            limits,
            user_api_token: None,
            counters: Arc::default(),
        }
    }

    /// Per-user handles made from this client use `token` (see [`Transport::user_api_token`]).
    pub(crate) fn with_user_api_token(mut self, token: Option<ApiToken>) -> Self {
        self.user_api_token = token;
        self
    }

    /// The same connection pool, container, policies and counters, authenticating with
    /// `auth`: what a per-user handle is made of. A few small allocations, no new
    /// `reqwest::Client`.
    pub(crate) fn with_auth(&self, auth: ApiTokenAuth) -> Self {
        Self {
            http: self.http.clone(),
            base_url: self.base_url.clone(),
            container: self.container.clone(),
            environment: self.environment,
            auth: Auth::ApiToken(auth),
            retry: self.retry.clone(),
            limits: self.limits,
            user_api_token: self.user_api_token.clone(),
            counters: Arc::clone(&self.counters),
        }
    }

    /// `/database/1/{container}/{environment}/{database}/{endpoint}`; the container is
    /// inserted verbatim, as CloudKit JS does.
    pub(crate) fn path(&self, database: DatabaseScope, endpoint: &str) -> String {
        format!(
            "/database/1/{}/{}/{}/{}",
            self.container,
            self.environment.as_str(),
            database.as_str(),
            endpoint
        )
    }

    pub(crate) fn counters(&self) -> (u64, u64) {
        (
            self.counters.attempts.load(Ordering::Relaxed),
            self.counters.retries.load(Ordering::Relaxed),
        )
    }

    pub(crate) fn describe(&self, request: &PreparedRequest) -> RequestSnapshot {
        let query = match &self.auth {
            Auth::ApiToken(auth) => auth.redacted_query(),
            Auth::ServerKey(_) => Vec::new(),
        };
        let mut headers = Vec::new();
        if request.body.is_some() {
            headers.push(("Content-Type".to_owned(), CONTENT_TYPE.to_owned()));
        }
        if let Auth::ServerKey(key) = &self.auth {
            headers.push((KEY_ID_HEADER.to_owned(), key.key_id().to_owned()));
        }
        RequestSnapshot {
            method: request.method,
            path: request.path.clone(),
            query,
            headers,
            body: request
                .body
                .as_deref()
                .map(|b| String::from_utf8_lossy(b).into_owned()),
        }
    }

    /// Sends `request` (with retries, as a call of its own) and decodes the 2xx body as `R`.
    pub(crate) async fn call<R: serde::de::DeserializeOwned>(
        &self,
        request: &PreparedRequest,
    ) -> Result<R, Error> {
        Ok(self.reply(request).await?.response)
    }

    /// [`call`](Self::call) as one request of the larger call begun at `call`: its retries
    /// share that call's deadline.
    pub(crate) async fn call_in<R: serde::de::DeserializeOwned>(
        &self,
        request: &PreparedRequest,
        call: CallStart,
    ) -> Result<R, Error> {
        Ok(self.reply_in(request, call).await?.response)
    }

    /// [`call`](Self::call), keeping the raw body and the attempt count.
    pub(crate) async fn reply<R: serde::de::DeserializeOwned>(
        &self,
        request: &PreparedRequest,
    ) -> Result<Reply<R>, Error> {
        self.reply_in(request, CallStart::now()).await
    }

    /// [`reply`](Self::reply) as one request of the call begun at `call`.
    pub(crate) async fn reply_in<R: serde::de::DeserializeOwned>(
        &self,
        request: &PreparedRequest,
        call: CallStart,
    ) -> Result<Reply<R>, Error> {
        self.call_with(request, call, |body| serde_json::from_slice(body))
            .await
    }

    /// Sends a request for `sent` items and returns one result per item, in order, taken out
    /// of the answer by `items`. An answer with another number of results is refused rather
    /// than misattributed.
    pub(crate) async fn call_items<R, T>(
        &self,
        request: &PreparedRequest,
        sent: usize,
        what: &str,
        items: impl FnOnce(R) -> Vec<Result<T, WireServerError>>,
    ) -> Result<Vec<Result<T, ServerFailure>>, Error>
    where
        R: serde::de::DeserializeOwned,
    {
        let reply = self.reply::<R>(request).await?;
        let items = items(reply.response);
        if items.len() != sent {
            return Err(Error::count_mismatch(
                request.endpoint,
                what,
                items.len(),
                sent,
                &reply.body,
            ));
        }
        Ok(per_item(request.endpoint, items))
    }

    /// Sends `request` (with retries, within the deadline of the call begun at `call`) and
    /// decodes the 2xx body with `decode`; a body that does not decode is
    /// [`Error::UnexpectedResponse`].
    pub(crate) async fn call_with<R>(
        &self,
        request: &PreparedRequest,
        call: CallStart,
        decode: impl FnOnce(&[u8]) -> serde_json::Result<R>,
    ) -> Result<Reply<R>, Error> {
        let Answer { body, attempts } = self.send_in(request, call).await?;
        let response =
            decode(&body).map_err(|e| Error::undecodable(request.endpoint, &e, &body))?;
        Ok(Reply {
            response,
            body,
            attempts,
        })
    }

    /// Sends with retries, as a call of its own. Returns the body of the first 2xx answer.
    pub(crate) async fn send(&self, request: &PreparedRequest) -> Result<Answer, Error> {
        self.send_in(request, CallStart::now()).await
    }

    /// Sends with retries, waiting only within the deadline of the call begun at `call`.
    /// `max_attempts` counts this request's attempts; the deadline counts the whole call's.
    pub(crate) async fn send_in(
        &self,
        request: &PreparedRequest,
        call: CallStart,
    ) -> Result<Answer, Error> {
        let mut attempt = 1u32;
        loop {
            let span = tracing::info_span!(
                "cloudkit.request",
                endpoint = request.endpoint,
                database = request.database.as_str(),
                attempt,
                status = tracing::field::Empty,
            );
            self.counters.attempts.fetch_add(1, Ordering::Relaxed);
            let outcome = self
                .send_once(request, &span)
                .instrument(span.clone())
                .await;
            match outcome {
                Ok(body) => {
                    return Ok(Answer {
                        body,
                        attempts: attempt,
                    });
                }
                Err(error) if error.is_transient() => {
                    let elapsed = call.elapsed();
                    let Some(wait) = self.retry.next_wait(attempt, error.retry_after(), elapsed)
                    else {
                        if !self.retry.allows_another(attempt) {
                            return Err(error);
                        }
                        return Err(Error::GaveUp {
                            endpoint: request.endpoint,
                            attempts: attempt,
                            elapsed,
                            retry_after: error.retry_after(),
                            source: Box::new(error),
                        });
                    };
                    span.in_scope(|| {
                        tracing::debug!(error = %error, wait_ms = wait.as_millis() as u64, "retrying");
                    });
                    self.counters.retries.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }

    async fn send_once(
        &self,
        request: &PreparedRequest,
        span: &tracing::Span,
    ) -> Result<Vec<u8>, Error> {
        let endpoint = request.endpoint;
        let mut url = format!("{}{}", self.base_url, request.path);
        if let Auth::ApiToken(auth) = &self.auth {
            url.push('?');
            url.push_str(&auth.query_string());
        }
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut builder = self.http.request(method, url);
        if let Auth::ServerKey(key) = &self.auth {
            // Sign immediately before sending; the bytes signed are the bytes sent.
            let date = server_key::signing_date_now();
            let body = request.body.as_deref().unwrap_or_default();
            let signature = key.sign(&date, body, &request.path);
            builder = builder
                .header(KEY_ID_HEADER, signature.key_id)
                .header(DATE_HEADER, signature.date)
                .header(SIGNATURE_HEADER, signature.signature);
        }
        if let Some(body) = &request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, CONTENT_TYPE)
                .body(body.clone());
        }
        let (_, body) = exchange(endpoint, builder, self.limits.response_bytes, |response| {
            span.record("status", response.status().as_u16());
            self.rotate_web_auth_token(response.headers());
        })
        .await?;
        Ok(body)
    }

    /// Adopts the rotated web auth token from any response, errors included. Like CloudKit
    /// JS, only when the client already had one (an anonymous client stays anonymous).
    fn rotate_web_auth_token(&self, headers: &reqwest::header::HeaderMap) {
        let Auth::ApiToken(auth) = &self.auth else {
            return;
        };
        if auth.current().is_none() {
            return;
        }
        let rotated = headers
            .get(WEB_AUTH_TOKEN_HEADER)
            .or_else(|| headers.get(SESSION_HEADER))
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty());
        if let Some(token) = rotated {
            auth.rotate(WebAuthToken::new(token));
        }
    }

    pub(crate) fn current_web_auth_token(&self) -> Option<WebAuthToken> {
        match &self.auth {
            Auth::ApiToken(auth) => auth.current(),
            Auth::ServerKey(_) => None,
        }
    }
}

/// Sends one HTTP request and reads its answer: the status and body of a 2xx answer, else
/// the error the status, `Retry-After` header and body stand for ([`Error::from_status`]).
/// `inspect` sees the response (status, headers) before the body is read, whatever the status.
/// A body longer than `limit` bytes is refused ([`Error::ResponseTooLarge`]) without being
/// read further.
pub(crate) async fn exchange(
    endpoint: &'static str,
    builder: reqwest::RequestBuilder,
    limit: u64,
    inspect: impl FnOnce(&reqwest::Response),
) -> Result<(u16, Vec<u8>), Error> {
    let mut response = builder
        .send()
        .await
        .map_err(|e| Error::transport(endpoint, e))?;
    inspect(&response);
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after);
    let body = read_capped(endpoint, &mut response, limit).await?;
    if (200..300).contains(&status) {
        Ok((status, body))
    } else {
        Err(Error::from_status(endpoint, status, &body, retry_after))
    }
}

/// The whole body of `response`, refused ([`Error::ResponseTooLarge`]) as soon as it is known
/// to be longer than `limit` bytes, without reading the rest.
pub(crate) async fn read_capped(
    endpoint: &'static str,
    response: &mut reqwest::Response,
    limit: u64,
) -> Result<Vec<u8>, Error> {
    let mut body = Vec::new();
    let mut capped = CappedBody::new(endpoint, response, limit)?;
    while let Some(chunk) = capped.next(response).await? {
        body.extend_from_slice(chunk.as_ref());
    }
    Ok(body)
}

/// A response body read chunk by chunk, refused as soon as it is known to be longer than
/// `limit` bytes (from `Content-Length`, or while reading).
pub(crate) struct CappedBody {
    endpoint: &'static str,
    limit: u64,
    read: u64,
}

impl CappedBody {
    /// Checks `Content-Length` before anything is read.
    pub(crate) fn new(
        endpoint: &'static str,
        response: &reqwest::Response,
        limit: u64,
    ) -> Result<Self, Error> {
        if response.content_length().is_some_and(|n| n > limit) {
            return Err(Error::ResponseTooLarge { endpoint, limit });
        }
        Ok(Self {
            endpoint,
            limit,
            read: 0,
        })
    }

    /// The next chunk of the body; `None` at the end.
    pub(crate) async fn next(
        &mut self,
        response: &mut reqwest::Response,
    ) -> Result<Option<impl AsRef<[u8]> + use<>>, Error> {
        let chunk = response
            .chunk()
            .await
            .map_err(|e| Error::transport(self.endpoint, e))?;
        if let Some(chunk) = &chunk {
            self.read = self.read.saturating_add(chunk.len() as u64);
            if self.read > self.limit {
                return Err(Error::ResponseTooLarge {
                    endpoint: self.endpoint,
                    limit: self.limit,
                });
            }
        }
        Ok(chunk)
    }

    /// Bytes read so far.
    pub(crate) fn read(&self) -> u64 {
        self.read
    }
}
