//! Notifications without APNs (spec §3.19–3.21, §4.14): device tokens and the web courier
//! long poll, as a [`Stream`] of typed notifications.
//!
//! [`Client::notifications`] creates a token (`tokens/create`), registers it for the signed-in
//! user (`tokens/register`) and long-polls the token's `webcourierURL`: each answer is one
//! notification payload, decoded into a [`CloudKitNotification`]. Subscriptions saved by the
//! same user (see [`Subscriptions`](super::Subscriptions)) deliver to it.

use std::time::Duration;

use futures_core::Stream;

use super::error::Error;
use super::handle::Client;
use super::request::PreparedRequest;
use super::transport::exchange;
use cloudkit_wire::ZoneId;
use cloudkit_wire::ws::DatabaseScope;
use cloudkit_wire::ws::{
    ApnsEnvironment, FiresOn, Notification, TokenCreateRequest, TokenCreateResponse,
    TokenRegisterRequest,
};

pub(crate) const TOKENS_CREATE: &str = "tokens/create";
pub(crate) const TOKENS_REGISTER: &str = "tokens/register";
const WEB_COURIER: &str = "web courier";

/// Which database a notification is about (`dbs`: 0 public, as CloudKit JS reads it; 1
/// private and 2 shared as the emulator sends them, unconfirmed on iCloud).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotificationDatabase {
    /// `dbs: 0`
    Public,
    /// `dbs: 1`
    Private,
    /// `dbs: 2`
    Shared,
    /// Another number.
    Other(i64),
}

impl NotificationDatabase {
    fn from_code(code: Option<i64>) -> Option<Self> {
        Some(match code? {
            0 => NotificationDatabase::Public,
            1 => NotificationDatabase::Private,
            2 => NotificationDatabase::Shared,
            n => NotificationDatabase::Other(n),
        })
    }
}

/// One notification, decoded.
#[derive(Clone, Debug, PartialEq)]
pub enum CloudKitNotification {
    /// A query subscription fired for one record.
    Query {
        /// The subscription.
        subscription_id: String,
        /// The record.
        record_name: String,
        /// Created, updated or deleted (`None` for a code this client does not know).
        reason: Option<FiresOn>,
        /// The record's zone.
        zone_id: ZoneId,
        /// The database.
        database: Option<NotificationDatabase>,
        /// The whole payload.
        payload: Notification,
    },
    /// A zone subscription fired.
    Zone {
        /// The subscription.
        subscription_id: String,
        /// The zone that changed.
        zone_id: ZoneId,
        /// The database.
        database: Option<NotificationDatabase>,
        /// The whole payload.
        payload: Notification,
    },
    /// Anything else (database subscriptions, unknown kinds): the payload as sent.
    Other(Notification),
}

fn zone_id(name: Option<String>, owner: Option<String>) -> ZoneId {
    let id = ZoneId::new(name.unwrap_or_else(|| ZoneId::DEFAULT_ZONE_NAME.to_owned()));
    match owner {
        Some(owner) => id.with_owner(owner),
        None => id,
    }
}

impl From<Notification> for CloudKitNotification {
    fn from(payload: Notification) -> Self {
        let ck = payload.ck.clone().unwrap_or_default();
        if let Some(q) = ck.query {
            return CloudKitNotification::Query {
                reason: q.reason(),
                subscription_id: q.subscription_id.unwrap_or_default(),
                record_name: q.record_name.unwrap_or_default(),
                zone_id: zone_id(q.zone_name, q.zone_owner),
                database: NotificationDatabase::from_code(q.database),
                payload,
            };
        }
        if let Some(z) = ck.zone {
            return CloudKitNotification::Zone {
                subscription_id: z.subscription_id.unwrap_or_default(),
                zone_id: zone_id(z.zone_name, z.zone_owner),
                database: NotificationDatabase::from_code(z.database),
                payload,
            };
        }
        CloudKitNotification::Other(payload)
    }
}

impl Client {
    fn device_path(&self, endpoint: &str) -> String {
        format!(
            "/device/1/{}/{}/{}",
            self.container(),
            self.environment().as_str(),
            endpoint
        )
    }

    /// The `tokens/create` request.
    pub fn prepare_create_token(
        &self,
        apns_environment: ApnsEnvironment,
    ) -> Result<PreparedRequest, Error> {
        let body = TokenCreateRequest {
            apns_environment,
            client_id: None,
        };
        PreparedRequest::post(
            self.device_path(TOKENS_CREATE),
            TOKENS_CREATE,
            DatabaseScope::Public,
            &body,
        )
    }

    /// Creates a device token: `apnsToken` and the `webcourierURL` to long-poll.
    pub async fn create_notification_token(
        &self,
        apns_environment: ApnsEnvironment,
    ) -> Result<TokenCreateResponse, Error> {
        self.transport
            .call(&self.prepare_create_token(apns_environment)?)
            .await
    }

    /// Registers a device token for the signed-in user, so the user's subscriptions deliver
    /// to it.
    pub async fn register_notification_token(
        &self,
        apns_environment: ApnsEnvironment,
        apns_token: &str,
    ) -> Result<(), Error> {
        let body = TokenRegisterRequest {
            apns_environment,
            apns_token: apns_token.to_owned(),
            client_id: None,
        };
        let request = PreparedRequest::post(
            self.device_path(TOKENS_REGISTER),
            TOKENS_REGISTER,
            DatabaseScope::Public,
            &body,
        )?;
        self.send_raw(&request).await.map(|_| ())
    }

    /// Creates and registers a token for the signed-in user and returns the stream of its
    /// notifications (see [`Client::web_courier`]).
    pub async fn notifications(
        &self,
    ) -> Result<impl Stream<Item = Result<CloudKitNotification, Error>> + use<>, Error> {
        let environment = match self.environment() {
            cloudkit_wire::ws::Environment::Production => ApnsEnvironment::Production,
            cloudkit_wire::ws::Environment::Development => ApnsEnvironment::Development,
        };
        let token = self.create_notification_token(environment).await?;
        self.register_notification_token(environment, &token.apns_token)
            .await?;
        Ok(self.web_courier(token.webcourier_url))
    }

    /// Long-polls a `webcourierURL`: one notification per answer, in the order they fired.
    /// An empty answer (the server's hold time passed) polls again; a transient failure waits
    /// (10 ms, ×10 up to 1 s, as CloudKit JS does) and polls again; any other failure is
    /// yielded and ends the stream.
    pub fn web_courier(
        &self,
        webcourier_url: String,
    ) -> impl Stream<Item = Result<CloudKitNotification, Error>> + use<> {
        let http = self.transport.http.clone();
        let limit = self.transport.limits.response_bytes;
        futures_util::stream::unfold(
            Some((http, webcourier_url, Duration::from_millis(10))),
            move |state| async move {
                let (http, url, mut backoff) = state?;
                loop {
                    match poll_once(&http, &url, limit).await {
                        Ok(Some(n)) => {
                            return Some((Ok(n), Some((http, url, Duration::from_millis(10)))));
                        }
                        Ok(None) => {}
                        Err(e) if e.is_transient() => {
                            tokio::time::sleep(backoff).await;
                            backoff = (backoff * 10).min(Duration::from_secs(1));
                        }
                        Err(e) => return Some((Err(e), None)),
                    }
                }
            },
        )
    }
}

async fn poll_once(
    http: &reqwest::Client,
    url: &str,
    limit: u64,
) -> Result<Option<CloudKitNotification>, Error> {
    let (status, body) = exchange(WEB_COURIER, http.get(url), limit, |_| {}).await?;
    if status == 204 || (status == 200 && body.is_empty()) {
        return Ok(None);
    }
    let payload: Notification = serde_json::from_slice(&body)
        .map_err(|e| Error::unexpected(WEB_COURIER, status, &e.to_string(), &body))?;
    Ok(Some(payload.into()))
}
