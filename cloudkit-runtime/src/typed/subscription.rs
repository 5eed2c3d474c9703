//! Typed subscriptions: `Note::subscription("id").query(q).fires_on([…])`, producing the
//! `subscriptions/modify` operation dictionaries.

use std::marker::PhantomData;

use super::query::Query;
use cloudkit_wire::CloudKitRecord;
use cloudkit_wire::ZoneId;
use cloudkit_wire::ws::{
    self as wire, FiresOn, NotificationInfo, SubscriptionOperation, SubscriptionOperationType,
};

/// A query subscription on records of type `R`: notifies when records matching a query are
/// created, updated or deleted.
///
/// Defaults follow CloudKit: fires on create, update and delete; not once; zone-wide.
#[derive(Debug)]
pub struct QuerySubscription<R> {
    inner: wire::Subscription,
    _record: PhantomData<fn() -> R>,
}

impl<R> Clone for QuerySubscription<R> {
    fn clone(&self) -> Self {
        QuerySubscription {
            inner: self.inner.clone(),
            _record: PhantomData,
        }
    }
}

impl<R: CloudKitRecord> QuerySubscription<R> {
    /// A subscription with this ID on every record of type `R`.
    pub fn new(id: impl Into<String>) -> Self {
        QuerySubscription {
            inner: wire::Subscription::query(id, wire::Query::new(R::RECORD_TYPE)),
            _record: PhantomData,
        }
    }

    /// Watches records matching `query` (default: every record of the type).
    #[must_use]
    pub fn query(mut self, query: Query<R>) -> Self {
        self.inner.query = Some(query.into_wire());
        self
    }

    /// Which changes fire a notification (`firesOn`).
    #[must_use]
    pub fn fires_on(mut self, events: impl IntoIterator<Item = FiresOn>) -> Self {
        let mut list: Vec<FiresOn> = Vec::new();
        for event in events {
            if !list.contains(&event) {
                list.push(event);
            }
        }
        self.inner.fires_on = Some(list);
        self
    }

    /// Fire once, then delete the subscription (`firesOnce`).
    #[must_use]
    pub fn fires_once(mut self, once: bool) -> Self {
        self.inner.fires_once = Some(once);
        self
    }

    /// What the push notification shows (`notificationInfo`).
    #[must_use]
    pub fn notification_info(mut self, info: NotificationInfo) -> Self {
        self.inner.notification_info = Some(info);
        self
    }

    /// `true` (default): watch every zone. `false` restricts to the zone given with
    /// [`QuerySubscription::in_zone`].
    #[must_use]
    pub fn zone_wide(mut self, zone_wide: bool) -> Self {
        self.inner.zone_wide = Some(zone_wide);
        self
    }

    /// Watches only `zone` (sends `zoneID` and `zoneWide: false`).
    #[must_use]
    pub fn in_zone(mut self, zone: ZoneId) -> Self {
        self.inner.zone_id = Some(zone);
        self.inner.zone_wide = Some(false);
        self
    }

    /// The subscription dictionary.
    pub fn to_wire(&self) -> wire::Subscription {
        self.inner.clone()
    }

    /// The `create` operation for `subscriptions/modify`.
    pub fn create(&self) -> SubscriptionOperation {
        operation(SubscriptionOperationType::Create, self.to_wire())
    }

    /// The `update` operation for `subscriptions/modify`.
    pub fn update(&self) -> SubscriptionOperation {
        operation(SubscriptionOperationType::Update, self.to_wire())
    }
}

/// The subscription dictionary, so `db.subscriptions().save(Note::subscription("id"))` works.
impl<R: CloudKitRecord> From<QuerySubscription<R>> for wire::Subscription {
    fn from(subscription: QuerySubscription<R>) -> Self {
        subscription.inner
    }
}

/// A zone subscription: notifies about every change in one zone.
#[derive(Debug, Clone)]
pub struct ZoneSubscription {
    inner: wire::Subscription,
}

impl ZoneSubscription {
    /// A subscription with this ID on every change in `zone`.
    pub fn new(id: impl Into<String>, zone: ZoneId) -> Self {
        ZoneSubscription {
            inner: wire::Subscription::zone(id, zone),
        }
    }

    /// What the push notification shows (`notificationInfo`).
    #[must_use]
    pub fn notification_info(mut self, info: NotificationInfo) -> Self {
        self.inner.notification_info = Some(info);
        self
    }

    /// The subscription dictionary.
    pub fn to_wire(&self) -> wire::Subscription {
        self.inner.clone()
    }

    /// The `create` operation for `subscriptions/modify`.
    pub fn create(&self) -> SubscriptionOperation {
        operation(SubscriptionOperationType::Create, self.to_wire())
    }

    /// The `update` operation for `subscriptions/modify`.
    pub fn update(&self) -> SubscriptionOperation {
        operation(SubscriptionOperationType::Update, self.to_wire())
    }
}

/// The subscription dictionary, so `db.subscriptions().save(ZoneSubscription::new(…))` works.
impl From<ZoneSubscription> for wire::Subscription {
    fn from(subscription: ZoneSubscription) -> Self {
        subscription.inner
    }
}

/// The `delete` operation for the subscription with this ID.
pub fn delete(id: impl Into<String>) -> SubscriptionOperation {
    operation(
        SubscriptionOperationType::Delete,
        wire::Subscription::id_only(id),
    )
}

fn operation(
    operation_type: SubscriptionOperationType,
    subscription: wire::Subscription,
) -> SubscriptionOperation {
    SubscriptionOperation {
        operation_type,
        subscription,
    }
}
