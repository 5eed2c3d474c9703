//! Whether one stored subscription fires for one record change, and the notification it sends
//! (spec §3.21, §4.14). Runs after the write's transaction, without the store lock: it reads
//! only the record's image, the subscription's decoded form and the schema.
//!
//! - Query subscriptions fire when the subscriber may read the record (the grants a query
//!   obeys), the record's type matches, the change is one of `firesOn`
//!   (all three when absent), the record is in the subscription's zone (or any zone with
//!   `zoneWide`), and the query's filters match the record, evaluated exactly as
//!   `records/query` evaluates them (SQLite's `json_extract` on the fields text). For a delete
//!   the filters see the record as it was.
//! - Zone subscriptions fire on any change in their zone; database subscriptions on any
//!   change in their (private) database, with a `ck.met` payload plus the zone as `ck.fet`.
//! - The subscription's `notificationInfo` becomes the payload's `aps` (and `ck.qry.af`), see
//!   [`super::aps`].
//! - `dbs` is 0 for the public database (CloudKit JS), 1 private, 2 shared (unconfirmed
//!   numbering; see the wire reference §4.14).

use cloudkit_wire::ZoneId;
use cloudkit_wire::ws::{
    CloudKitPayload, DatabaseNotification, DatabaseScope, FiresOn, Notification, QueryNotification,
    Subscription, SubscriptionType, ZoneNotification,
};

use super::aps;
use super::context::ZoneTarget;
use super::grant::user_permissions;
use super::query::LoadedRecord;
use super::subscription_cache::Decoded;
use crate::error::ServerError;
use crate::ids::new_uuid;
use crate::schema::LiveSchema;
use crate::storage::{Candidate, StoredRecord, extract_detached};

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Created.
    Created,
    /// Updated.
    Updated,
    /// Deleted.
    Deleted,
}

impl Change {
    fn fires_on(self) -> FiresOn {
        match self {
            Change::Created => FiresOn::Create,
            Change::Updated => FiresOn::Update,
            Change::Deleted => FiresOn::Delete,
        }
    }

    fn code(self) -> i64 {
        match self {
            Change::Created => 1,
            Change::Updated => 2,
            Change::Deleted => 3,
        }
    }
}

/// One record change as the matching sees it.
pub struct RecordChange<'a> {
    /// The database scope written.
    pub scope: DatabaseScope,
    /// The zone written.
    pub target: &'a ZoneTarget,
    /// The record after the change (before it, for a delete).
    pub record: &'a StoredRecord,
    /// What happened.
    pub change: Change,
}

fn dbs(scope: DatabaseScope) -> i64 {
    match scope {
        DatabaseScope::Public => 0,
        DatabaseScope::Private => 1,
        DatabaseScope::Shared => 2,
    }
}

fn matches_query(decoded: &Decoded, record: &StoredRecord) -> Result<bool, ServerError> {
    let Some(query) = &decoded.subscription.query else {
        return Ok(false);
    };
    if query.record_type != record.record_type {
        return Ok(false);
    }
    // A query the schema no longer accepts matches nothing rather than failing the write.
    let Some(prepared) = &decoded.query else {
        return Ok(false);
    };
    let mut fields = Vec::with_capacity(prepared.extracts.len());
    for extract in &prepared.extracts {
        fields.push(extract_detached(&record.fields, &extract.path)?);
    }
    let candidate = Candidate {
        rowid: 0,
        zone_name: record.zone_name.clone(),
        record_name: record.record_name.clone(),
        created: record.created.clone(),
        modified: record.modified.clone(),
        fields,
    };
    let loaded = LoadedRecord::new(candidate, &prepared.extracts);
    Ok(prepared.matches(&loaded))
}

fn in_zone(subscription: &Subscription, zone_name: &str) -> bool {
    let wanted = subscription
        .zone_id
        .as_ref()
        .map_or(ZoneId::DEFAULT_ZONE_NAME, |z| z.zone_name.as_str());
    wanted == zone_name
}

/// The notification the subscription of `subscriber` sends for `change`; `None` when it does
/// not fire.
pub fn notification(
    container: &str,
    schema: &LiveSchema,
    subscriber: &str,
    decoded: &Decoded,
    change: &RecordChange<'_>,
) -> Result<Option<Notification>, ServerError> {
    let RecordChange {
        scope,
        target,
        record,
        change,
    } = *change;
    let subscription = &decoded.subscription;
    let kind = subscription
        .subscription_type
        .clone()
        .unwrap_or(SubscriptionType::Query);
    let payload = if kind == SubscriptionType::Query {
        let fires = subscription
            .fires_on
            .as_ref()
            .is_none_or(|f| f.contains(&change.fires_on()));
        let zone_ok =
            subscription.zone_wide == Some(true) || in_zone(subscription, &record.zone_name);
        // A subscriber hears only of records it may read, as a query would show them.
        let readable = user_permissions(
            scope,
            schema,
            &record.record_type,
            Some(subscriber),
            Some(&record.created.user_record_name),
        )
        .read;
        if !fires || !zone_ok || !readable || !matches_query(decoded, record)? {
            return Ok(None);
        }
        CloudKitPayload {
            query: Some(QueryNotification {
                subscription_id: Some(subscription.subscription_id.clone()),
                zone_name: Some(target.zone_name.clone()),
                zone_owner: Some(target.owner_record_name.clone()),
                record_name: Some(record.record_name.clone()),
                database: Some(dbs(scope)),
                fires_on: Some(change.code()),
                additional_fields: aps::additional_fields(
                    subscription.notification_info.as_ref(),
                    record,
                ),
            }),
            ..CloudKitPayload::default()
        }
    } else if kind == SubscriptionType::Zone {
        if !in_zone(subscription, &record.zone_name) {
            return Ok(None);
        }
        CloudKitPayload {
            zone: Some(ZoneNotification {
                subscription_id: Some(subscription.subscription_id.clone()),
                zone_name: Some(target.zone_name.clone()),
                zone_owner: Some(target.owner_record_name.clone()),
                database: Some(dbs(scope)),
            }),
            ..CloudKitPayload::default()
        }
    } else if kind == SubscriptionType::Database {
        // `met` is what native clients read (spec §4.14); CloudKit JS 2.6.4 parses only
        // `qry` and `fet` and drops anything else, so the zone that changed rides along
        // as `fet` for it to hear of the change at all.
        CloudKitPayload {
            database: Some(DatabaseNotification {
                subscription_id: Some(subscription.subscription_id.clone()),
                database: Some(dbs(scope)),
            }),
            zone: Some(ZoneNotification {
                subscription_id: Some(subscription.subscription_id.clone()),
                zone_name: Some(target.zone_name.clone()),
                zone_owner: Some(target.owner_record_name.clone()),
                database: Some(dbs(scope)),
            }),
            ..CloudKitPayload::default()
        }
    } else {
        return Ok(None);
    };
    Ok(Some(Notification {
        aps: aps::aps(subscription.notification_info.as_ref()),
        ck: Some(CloudKitPayload {
            container_id: Some(container.to_owned()),
            notification_id: Some(new_uuid()),
            user_id: Some(subscriber.to_owned()),
            ..payload
        }),
    }))
}
