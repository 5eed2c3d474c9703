//! The state every request shares: the container served, the store, credentials, faults, the
//! live schema and the test users.

use std::sync::{OnceLock, RwLock};

use crate::auth::Authenticator;
use crate::clock::Clock;
use crate::courier::Courier;
use crate::directory::Directory;
use crate::faults::Faults;
use crate::schema::LiveSchema;
use crate::storage::Store;
use cloudkit_wire::ws::Environment;

/// State shared by every request.
#[derive(Debug)]
pub struct Shared {
    /// The container served.
    pub container: String,
    /// Every container this emulator serves (for the answer to an unknown one).
    pub containers_served: Vec<String>,
    /// The environment served.
    pub environment: Environment,
    /// Records, zones, subscriptions (shared with the web auth sessions it keeps).
    pub store: std::sync::Arc<Store>,
    /// Credentials; the two environments of a container share them (and so their sign-ins).
    pub auth: std::sync::Arc<Authenticator>,
    /// Fault decisions.
    pub faults: Faults,
    /// The schema in force (grows in development).
    pub schema: RwLock<LiveSchema>,
    /// `http://127.0.0.1:PORT`, set once bound.
    pub base_url: OnceLock<String>,
    /// Wakes web courier polls after writes.
    pub courier: Courier,
    /// The time record stamps and upload expiries are read from.
    pub clock: Clock,
    /// Largest asset file accepted by the upload URLs.
    pub max_asset_bytes: u64,
    /// Largest JSON request body read.
    pub max_request_bytes: usize,
    /// Bytes of request bodies held at once, across all requests (one permit per byte).
    pub body_budget: std::sync::Arc<tokio::sync::Semaphore>,
    /// Which `Host`s and `Origin`s may talk to the emulator.
    pub web: crate::http::WebPolicy,
    /// The test users (sign-in page, discovery).
    pub directory: Directory,
    /// Stored subscriptions decoded once, for the writes that check them.
    pub subscription_queries: crate::ops::subscription_cache::SubscriptionCache,
    /// The order notifications are queued in: that of the writes that fired them.
    pub deliveries: crate::ops::delivery_order::DeliveryOrder,
    /// Users whose `Users` record is known to exist (see `ops::users_record`); at most one
    /// entry per user who signed in.
    pub users_seen: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Shared {
    /// Where `AUTHENTICATION_REQUIRED` sends a user to sign in (without an API token; the
    /// HTTP layer adds the caller's, see [`Shared::sign_in_url_for`]).
    pub fn sign_in_url(&self) -> String {
        format!(
            "{}/signin?container={}",
            self.base_url.get().map_or("", String::as_str),
            form_urlencoded::byte_serialize(self.container.as_bytes()).collect::<String>()
        )
    }

    /// The sign-in URL carrying the caller's API token: the sign-in page only serves callers
    /// that hold one (when tokens are configured), and a browser opens the URL as given.
    pub fn sign_in_url_for(&self, api_token: Option<&str>) -> String {
        let mut url = self.sign_in_url();
        if let Some(token) = api_token.filter(|t| self.auth.accepts_api_token(Some(t))) {
            url.push_str("&ckAPIToken=");
            url.extend(form_urlencoded::byte_serialize(token.as_bytes()));
        }
        url
    }
}
