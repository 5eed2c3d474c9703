//! The [`Client`] handle: one per container and environment, shared by every database
//! handle made from it.

use std::sync::Arc;

use super::auth::WebAuthToken;
use super::error::Error;
use super::request::{PreparedRequest, RequestSnapshot};
use super::retry::RetryPolicy;
use super::transport::Transport;
use cloudkit_wire::ws::Environment;

/// A CloudKit Web Services client for one container and environment. Cheap to clone; clones
/// share the connection pool and the current web auth token.
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) transport: Arc<Transport>,
}

/// Request counters of one client (all its clones together).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RequestStats {
    /// HTTP attempts made, retries included.
    pub attempts: u64,
    /// Attempts that were retries of a transient failure.
    pub retries: u64,
}

impl Client {
    /// The container identifier.
    pub fn container(&self) -> &str {
        &self.transport.container
    }

    /// The environment.
    pub fn environment(&self) -> Environment {
        self.transport.environment
    }

    /// The base URL requests go to (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.transport.base_url
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.transport.retry
    }

    /// How many HTTP attempts this client made so far.
    pub fn stats(&self) -> RequestStats {
        let (attempts, retries) = self.transport.counters();
        RequestStats { attempts, retries }
    }

    /// The current web auth token (after rotation), to persist for the next run.
    pub fn web_auth_token(&self) -> Option<WebAuthToken> {
        self.transport.current_web_auth_token()
    }

    /// What `request` would look like on the wire with this client's auth, secrets removed.
    pub fn describe(&self, request: &PreparedRequest) -> RequestSnapshot {
        self.transport.describe(request)
    }

    /// Sends a prepared request (with retries) and returns the raw 2xx body.
    pub async fn send_raw(&self, request: &PreparedRequest) -> Result<Vec<u8>, Error> {
        Ok(self.transport.send(request).await?.body)
    }
}
