//! Subscription dictionaries and `subscriptions/*` (§3.16–3.18, §4.13).

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use super::error::ServerError;
use super::item;
use super::query::Query;
use crate::vocabulary::wire_enum;
use crate::zone::ZoneId;

wire_enum! {
    /// `subscriptionType`.
    open SubscriptionType {
        /// Records matching a query.
        Query = "query",
        /// Any change in a zone.
        Zone = "zone",
        /// Any change in the database (CloudKit JS only; unconfirmed on the server).
        Database = "database",
    }
}

wire_enum! {
    /// `firesOn` values of query subscriptions.
    closed FiresOn {
        /// A matching record was created.
        Create = "create",
        /// A matching record was updated.
        Update = "update",
        /// A matching record was deleted.
        Delete = "delete",
    }
}

/// A notification info dictionary: what the push shows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationInfo {
    /// Alert text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_body: Option<String>,
    /// Localization key of the alert text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_localization_key: Option<String>,
    /// Arguments of the localized alert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_localization_args: Option<Vec<String>>,
    /// Localization key of the action button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_action_localization_key: Option<String>,
    /// Launch image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_launch_image: Option<String>,
    /// Sound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sound_name: Option<String>,
    /// Increment the badge (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub should_badge: Option<bool>,
    /// Send `content-available` (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub should_send_content_available: Option<bool>,
    /// Field names whose values ride along in the push (CloudKit JS typings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_fields: Option<Vec<String>>,
    /// Notification category (CloudKit JS typings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// A subscription dictionary.
///
/// A delete echo in a `subscriptions/modify` response carries only `subscriptionID`, so
/// everything but the ID is optional here. On output a `zone` subscription never carries
/// `query`, `firesOn` or `firesOnce`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    /// Client-chosen ID. Empty means "let the server choose" (server-side generation is
    /// unconfirmed) and is left out on output.
    #[serde(rename = "subscriptionID", alias = "subscriptionId", default)]
    pub subscription_id: String,
    /// Kind of subscription.
    #[serde(default)]
    pub subscription_type: Option<SubscriptionType>,
    /// The query (query subscriptions).
    #[serde(default)]
    pub query: Option<Query>,
    /// Zone to watch (zone subscriptions) or restrict to (query subscriptions).
    #[serde(rename = "zoneID", default)]
    pub zone_id: Option<ZoneId>,
    /// Events that fire (query subscriptions).
    #[serde(default)]
    pub fires_on: Option<Vec<FiresOn>>,
    /// Delete the subscription after it fires once.
    #[serde(default)]
    pub fires_once: Option<bool>,
    /// Query subscriptions: watch all zones (server default true).
    #[serde(default)]
    pub zone_wide: Option<bool>,
    /// What the push shows.
    #[serde(default)]
    pub notification_info: Option<NotificationInfo>,
}

impl Subscription {
    /// A query subscription on create/update/delete, zone-wide, firing repeatedly.
    pub fn query(subscription_id: impl Into<String>, query: Query) -> Self {
        Subscription {
            subscription_id: subscription_id.into(),
            subscription_type: Some(SubscriptionType::Query),
            query: Some(query),
            zone_id: None,
            fires_on: Some(vec![FiresOn::Create, FiresOn::Update, FiresOn::Delete]),
            fires_once: Some(false),
            zone_wide: Some(true),
            notification_info: None,
        }
    }

    /// A zone subscription.
    pub fn zone(subscription_id: impl Into<String>, zone_id: ZoneId) -> Self {
        Subscription {
            subscription_id: subscription_id.into(),
            subscription_type: Some(SubscriptionType::Zone),
            zone_id: Some(zone_id),
            ..Subscription::default()
        }
    }

    /// Only the ID: the form of delete operations and delete echoes.
    pub fn id_only(subscription_id: impl Into<String>) -> Self {
        Subscription {
            subscription_id: subscription_id.into(),
            ..Subscription::default()
        }
    }
}

impl Serialize for Subscription {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let zone = self.subscription_type == Some(SubscriptionType::Zone);
        let mut map = s.serialize_map(None)?;
        if !self.subscription_id.is_empty() {
            map.serialize_entry("subscriptionID", &self.subscription_id)?;
        }
        if let Some(t) = &self.subscription_type {
            map.serialize_entry("subscriptionType", t)?;
        }
        if let (false, Some(query)) = (zone, &self.query) {
            map.serialize_entry("query", query)?;
        }
        if let Some(zone_id) = &self.zone_id {
            map.serialize_entry("zoneID", zone_id)?;
        }
        if let (false, Some(fires_on)) = (zone, &self.fires_on) {
            map.serialize_entry("firesOn", fires_on)?;
        }
        if let (false, Some(fires_once)) = (zone, &self.fires_once) {
            map.serialize_entry("firesOnce", fires_once)?;
        }
        if let (false, Some(zone_wide)) = (zone, &self.zone_wide) {
            map.serialize_entry("zoneWide", zone_wide)?;
        }
        if let Some(info) = &self.notification_info {
            map.serialize_entry("notificationInfo", info)?;
        }
        map.end()
    }
}

wire_enum! {
    /// `operationType` of a subscription operation.
    closed SubscriptionOperationType {
        /// Create.
        Create = "create",
        /// Update.
        Update = "update",
        /// Delete (the subscription dict carries only `subscriptionID`).
        Delete = "delete",
    }
}

/// One subscription operation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionOperation {
    /// What to do.
    pub operation_type: SubscriptionOperationType,
    /// The subscription.
    pub subscription: Subscription,
}

impl SubscriptionOperation {
    /// Create a subscription.
    pub fn create(subscription: Subscription) -> Self {
        SubscriptionOperation {
            operation_type: SubscriptionOperationType::Create,
            subscription,
        }
    }

    /// Update a subscription.
    pub fn update(subscription: Subscription) -> Self {
        SubscriptionOperation {
            operation_type: SubscriptionOperationType::Update,
            subscription,
        }
    }

    /// Delete a subscription by ID.
    pub fn delete(subscription_id: impl Into<String>) -> Self {
        SubscriptionOperation {
            operation_type: SubscriptionOperationType::Delete,
            subscription: Subscription::id_only(subscription_id),
        }
    }
}

impl Serialize for SubscriptionOperation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("operationType", &self.operation_type)?;
        if self.operation_type == SubscriptionOperationType::Delete {
            let id_only = Subscription::id_only(self.subscription.subscription_id.clone());
            map.serialize_entry("subscription", &id_only)?;
        } else {
            map.serialize_entry("subscription", &self.subscription)?;
        }
        map.end()
    }
}

/// Body of `subscriptions/modify`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ModifySubscriptionsRequest {
    /// Operations, in order.
    pub operations: Vec<SubscriptionOperation>,
}

/// One subscription to fetch in `subscriptions/lookup`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionLookup {
    /// The ID.
    #[serde(rename = "subscriptionID", alias = "subscriptionId")]
    pub subscription_id: String,
}

/// Body of `subscriptions/lookup`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LookupSubscriptionsRequest {
    /// Subscriptions to fetch.
    pub subscriptions: Vec<SubscriptionLookup>,
}

/// Response of `subscriptions/list`, `subscriptions/lookup` and `subscriptions/modify`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SubscriptionsResponse {
    /// One subscription (or error) per element; delete echoes have only the ID.
    #[serde(default, with = "item::results")]
    pub subscriptions: Vec<Result<Subscription, ServerError>>,
}
