//! Notification payloads delivered by APNs or the web courier (§4.14).
//!
//! Keys are CloudKit's abbreviations; the Rust names spell them out.

use serde::{Deserialize, Serialize};

use super::value::RawJson;

/// A notification payload: `{"aps": ..., "ck": ...}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Notification {
    /// The APNs part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aps: Option<Aps>,
    /// The CloudKit part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ck: Option<CloudKitPayload>,
}

/// The `aps` dictionary.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Aps {
    /// Alert text or dictionary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<Alert>,
    /// Sound name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sound: Option<String>,
    /// Badge number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badge: Option<i64>,
    /// Category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `content-available`.
    #[serde(
        rename = "content-available",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub content_available: Option<i64>,
}

/// `aps.alert`: a plain string or a dictionary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Alert {
    /// Plain text.
    Text(String),
    /// Localizable dictionary.
    Dictionary(AlertDictionary),
}

/// The dictionary form of `aps.alert`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AlertDictionary {
    /// Text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Localization key.
    #[serde(rename = "loc-key", default, skip_serializing_if = "Option::is_none")]
    pub loc_key: Option<String>,
    /// Localization arguments.
    #[serde(rename = "loc-args", default, skip_serializing_if = "Option::is_none")]
    pub loc_args: Option<Vec<String>>,
    /// Action button localization key.
    #[serde(
        rename = "action-loc-key",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub action_loc_key: Option<String>,
    /// Launch image.
    #[serde(
        rename = "launch-image",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub launch_image: Option<String>,
}

/// The `ck` dictionary.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CloudKitPayload {
    /// `cid`: container identifier.
    #[serde(rename = "cid", default, skip_serializing_if = "Option::is_none")]
    pub container_id: Option<String>,
    /// `nid`: notification ID.
    #[serde(rename = "nid", default, skip_serializing_if = "Option::is_none")]
    pub notification_id: Option<String>,
    /// `ce`: environment code (meaning unconfirmed).
    #[serde(rename = "ce", default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<i64>,
    /// `ckuserid`: user ID (meaning unconfirmed).
    #[serde(rename = "ckuserid", default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `p`: present when the notification was pruned.
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    pub pruned: Option<RawJson>,
    /// `qry`: query-subscription notification.
    #[serde(rename = "qry", default, skip_serializing_if = "Option::is_none")]
    pub query: Option<QueryNotification>,
    /// `fet`: zone-subscription notification.
    #[serde(rename = "fet", default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<ZoneNotification>,
    /// `met`: database-subscription notification.
    #[serde(rename = "met", default, skip_serializing_if = "Option::is_none")]
    pub database: Option<DatabaseNotification>,
}

/// `ck.qry`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct QueryNotification {
    /// `sid`: subscription ID.
    #[serde(rename = "sid", default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// `zid`: zone name.
    #[serde(rename = "zid", default, skip_serializing_if = "Option::is_none")]
    pub zone_name: Option<String>,
    /// `zoid`: zone owner record name.
    #[serde(rename = "zoid", default, skip_serializing_if = "Option::is_none")]
    pub zone_owner: Option<String>,
    /// `rid`: record name.
    #[serde(rename = "rid", default, skip_serializing_if = "Option::is_none")]
    pub record_name: Option<String>,
    /// `dbs`: database (`0` = public per CloudKit JS; other values unconfirmed).
    #[serde(rename = "dbs", default, skip_serializing_if = "Option::is_none")]
    pub database: Option<i64>,
    /// `fo`: reason, see [`QueryNotification::reason`].
    #[serde(rename = "fo", default, skip_serializing_if = "Option::is_none")]
    pub fires_on: Option<i64>,
    /// `af`: additional fields, name -> raw value.
    #[serde(rename = "af", default, skip_serializing_if = "Option::is_none")]
    pub additional_fields: Option<RawJson>,
}

impl QueryNotification {
    /// The event behind the notification (`fo`: 1 created, 2 updated, 3 deleted).
    pub fn reason(&self) -> Option<super::subscription::FiresOn> {
        use super::subscription::FiresOn;
        match self.fires_on? {
            1 => Some(FiresOn::Create),
            2 => Some(FiresOn::Update),
            3 => Some(FiresOn::Delete),
            _ => None,
        }
    }
}

/// `ck.fet`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ZoneNotification {
    /// `sid`: subscription ID.
    #[serde(rename = "sid", default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// `zid`: zone name.
    #[serde(rename = "zid", default, skip_serializing_if = "Option::is_none")]
    pub zone_name: Option<String>,
    /// `zoid`: zone owner record name.
    #[serde(rename = "zoid", default, skip_serializing_if = "Option::is_none")]
    pub zone_owner: Option<String>,
    /// `dbs`: database.
    #[serde(rename = "dbs", default, skip_serializing_if = "Option::is_none")]
    pub database: Option<i64>,
}

/// `ck.met`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DatabaseNotification {
    /// `sid`: subscription ID.
    #[serde(rename = "sid", default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// `dbs`: database.
    #[serde(rename = "dbs", default, skip_serializing_if = "Option::is_none")]
    pub database: Option<i64>,
}
