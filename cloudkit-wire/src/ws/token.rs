//! `tokens/create` and `tokens/register` (module `device`, §3.19–3.20).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::vocabulary::wire_enum;

wire_enum! {
    /// APNs environment.
    closed ApnsEnvironment {
        /// Development APNs.
        Development = "development",
        /// Production APNs.
        Production = "production",
    }
}

/// Body of `tokens/create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenCreateRequest {
    /// APNs environment.
    pub apns_environment: ApnsEnvironment,
    /// Opaque client ID (CloudKit JS sends its configured one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

/// Response of `tokens/create`. `Debug` redacts the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenCreateResponse {
    /// APNs environment.
    pub apns_environment: ApnsEnvironment,
    /// Base64 APNs token.
    pub apns_token: String,
    /// Long-poll URL for notifications.
    #[serde(rename = "webcourierURL")]
    pub webcourier_url: String,
}

impl fmt::Debug for TokenCreateResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCreateResponse")
            .field("apns_environment", &self.apns_environment)
            .field("apns_token", &"<redacted>")
            .field("webcourier_url", &"<redacted>")
            .finish()
    }
}

/// Body of `tokens/register`. `Debug` redacts the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRegisterRequest {
    /// APNs environment.
    pub apns_environment: ApnsEnvironment,
    /// APNs device token.
    pub apns_token: String,
    /// Opaque client ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

impl fmt::Debug for TokenRegisterRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRegisterRequest")
            .field("apns_environment", &self.apns_environment)
            .field("apns_token", &"<redacted>")
            .field("client_id", &self.client_id)
            .finish()
    }
}
