//! The management client handle: shared configuration behind an `Arc`.

use std::fmt;
use std::sync::Arc;

use super::token::{ApiToken, ManagementToken, UserToken, WebAuthToken};
use crate::client::RetryPolicy;

/// A client of the management API. Cheap to clone; clones share one connection pool.
#[derive(Clone)]
pub struct ManagementClient {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    pub(super) base_url: String,
    pub(super) management_token: Option<ManagementToken>,
    pub(super) user_token: Option<UserToken>,
    pub(super) api_token: Option<ApiToken>,
    pub(super) web_auth_token: Option<WebAuthToken>,
    pub(super) retry: RetryPolicy,
    pub(super) max_response_bytes: u64,
}

impl fmt::Debug for ManagementClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagementClient")
            .field("base_url", &self.inner.base_url)
            .field("management_token", &self.inner.management_token)
            .field("user_token", &self.inner.user_token)
            .field("api_token", &self.inner.api_token)
            .field("web_auth_token", &self.inner.web_auth_token)
            .finish_non_exhaustive()
    }
}
