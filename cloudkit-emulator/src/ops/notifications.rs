//! Firing subscriptions (spec §3.21, §4.14): every record save or delete checks the
//! subscriptions of its database and queues one notification payload per matching
//! subscription for each web courier of the subscriber.
//!
//! - Query subscriptions fire when the subscriber may read the record (the grants a query
//!   obeys), the record's type matches, the change is one of `firesOn`
//!   (all three when absent), the record is in the subscription's zone (or any zone with
//!   `zoneWide`), and the query's filters match the record, evaluated exactly as
//!   `records/query` evaluates them. For a delete the filters see the record as it was.
//! - Zone subscriptions fire on any change in their zone; database subscriptions on any
//!   change in their (private) database, with a `ck.met` payload plus the zone as `ck.fet`.
//! - The subscription's `notificationInfo` becomes the payload's `aps` (and `ck.qry.af`), see
//!   [`super::aps`].
//! - `firesOnce` subscriptions are deleted in the same transaction that fires them.
//! - Records deleted by a `DELETE_SELF` cascade fire as deletes, each like the record whose
//!   delete started it.
//! - `dbs` is 0 for the public database (CloudKit JS), 1 private, 2 shared (unconfirmed
//!   numbering; see the wire reference §4.14).

use cloudkit_wire::ZoneId;
use cloudkit_wire::ws::{
    CloudKitPayload, DatabaseNotification, FiresOn, Notification, QueryNotification, Subscription,
    SubscriptionType, ZoneNotification,
};

use super::aps;
use super::context::{Ctx, ZoneTarget};
use super::grant::user_permissions;
use super::query::LoadedRecord;
use super::subscription_cache::Decoded;
use crate::error::ServerError;
use crate::ids::new_uuid;
use crate::schema::LiveSchema;
use crate::storage::{Candidate, StoredRecord, Tx};
use cloudkit_wire::ws::DatabaseScope;

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

fn dbs(scope: DatabaseScope) -> i64 {
    match scope {
        DatabaseScope::Public => 0,
        DatabaseScope::Private => 1,
        DatabaseScope::Shared => 2,
    }
}

fn matches_query(
    tx: &Tx<'_>,
    decoded: &Decoded,
    record: &StoredRecord,
) -> Result<bool, ServerError> {
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
        fields.push(tx.extract(&record.fields, &extract.path)?);
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

/// Fires the subscriptions a record change matches. Call inside the write's transaction.
pub fn record_changed(
    ctx: &Ctx<'_>,
    tx: &mut Tx<'_>,
    schema: &LiveSchema,
    target: &ZoneTarget,
    record: &StoredRecord,
    change: Change,
) -> Result<(), ServerError> {
    let scope = ctx.scope;
    let owner = match scope {
        DatabaseScope::Public => None,
        _ => Some(target.db.owner.as_str()),
    };
    let subscriptions = tx.subscriptions_for_record(target.db.scope, owner, &record.record_type)?;
    let cache = &ctx.shared.subscription_queries;
    for owned in subscriptions {
        let key = crate::storage::DatabaseKey {
            scope: target.db.scope,
            owner: owned.owner.clone(),
        };
        let id = &owned.subscription.subscription_id;
        let Some(decoded) = cache.decoded(&key, id, &owned.subscription.body, schema) else {
            continue;
        };
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
                Some(&owned.owner),
                Some(&record.created.user_record_name),
            )
            .read;
            if !fires || !zone_ok || !readable || !matches_query(tx, &decoded, record)? {
                continue;
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
                continue;
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
            continue;
        };
        let notification = Notification {
            aps: aps::aps(subscription.notification_info.as_ref()),
            ck: Some(CloudKitPayload {
                container_id: Some(ctx.shared.container.clone()),
                notification_id: Some(new_uuid()),
                user_id: Some(owned.owner.clone()),
                ..payload
            }),
        };
        let text = serde_json::to_string(&notification)
            .map_err(|e| ServerError::internal(format!("cannot encode notification: {e}")))?;
        for courier in tx.couriers_of(&owned.owner)? {
            tx.queue_notification(&courier, &text)?;
        }
        if subscription.fires_once == Some(true) {
            tx.delete_subscription(&key, &subscription.subscription_id)?;
            cache.forget(&key, &subscription.subscription_id);
        }
    }
    Ok(())
}
