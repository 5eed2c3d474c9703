//! `subscriptions/list`, `subscriptions/lookup`, `subscriptions/modify`.
//!
//! Subscriptions belong to the user who saved them, in each database. Delivering their
//! notifications (APNs tokens, the web courier) is a later piece.

use cloudkit_wire::ws::{
    self as wire, LookupSubscriptionsRequest, ModifySubscriptionsRequest, Subscription,
    SubscriptionOperationType, SubscriptionType, SubscriptionsResponse,
};

use super::context::Ctx;
use super::limits::check_count;
use super::names;
use super::query;
use crate::error::item_error;
use crate::error::{ServerError, ServerErrorCode};
use crate::schema::LiveSchema;
use crate::storage::{DatabaseKey, StoredSubscription, Tx};
use cloudkit_wire::ws::DatabaseScope;

fn key(ctx: &Ctx<'_>) -> Result<DatabaseKey, ServerError> {
    let me = ctx
        .user_record_name()
        .ok_or_else(|| crate::auth::authentication_required(&ctx.shared.sign_in_url()))?;
    Ok(DatabaseKey {
        scope: ctx.scope.as_str(),
        owner: me.to_owned(),
    })
}

fn decode(stored: &StoredSubscription) -> Result<Subscription, ServerError> {
    serde_json::from_str(&stored.body).map_err(|e| {
        ServerError::internal(format!(
            "stored subscription {} is unreadable: {e}",
            stored.subscription_id
        ))
    })
}

fn sub_error(e: &ServerError, id: &str) -> wire::ServerError {
    let mut w = item_error(e);
    w.subscription_id = Some(id.to_owned());
    w
}

/// `subscriptions/list`.
pub fn list(ctx: &Ctx<'_>) -> Result<SubscriptionsResponse, ServerError> {
    let db = key(ctx)?;
    ctx.shared.store.run_transaction(|tx| {
        let subscriptions = tx
            .subscriptions(&db)?
            .iter()
            .map(|s| decode(s).map_err(|e| sub_error(&e, &s.subscription_id)))
            .collect();
        Ok(SubscriptionsResponse { subscriptions })
    })
}

/// `subscriptions/lookup`.
pub fn lookup(
    ctx: &Ctx<'_>,
    request: LookupSubscriptionsRequest,
) -> Result<SubscriptionsResponse, ServerError> {
    check_count("subscriptions", request.subscriptions.len())?;
    let db = key(ctx)?;
    ctx.shared.store.run_transaction(|tx| {
        let mut subscriptions = Vec::with_capacity(request.subscriptions.len());
        for wanted in &request.subscriptions {
            let id = &wanted.subscription_id;
            subscriptions.push(match tx.subscription(&db, id)? {
                Some(s) => decode(&s).map_err(|e| sub_error(&e, id)),
                None => Err(sub_error(
                    &ServerError::new(ServerErrorCode::NotFound, "subscription not found"),
                    id,
                )),
            });
        }
        Ok(SubscriptionsResponse { subscriptions })
    })
}

/// Checks a subscription to save and fills CloudKit's defaults.
fn validate(
    ctx: &Ctx<'_>,
    schema: &LiveSchema,
    tx: &Tx<'_>,
    mut sub: Subscription,
) -> Result<Subscription, ServerError> {
    if sub.subscription_id.is_empty() {
        return Err(ServerError::bad_request("subscriptionID is required"));
    }
    names::check_subscription_id(&sub.subscription_id)?;
    match &sub.subscription_type {
        Some(SubscriptionType::Query) => {
            let q = sub
                .query
                .as_ref()
                .ok_or_else(|| ServerError::bad_request("a query subscription needs a query"))?;
            {
                if schema.record_type(&q.record_type).is_none() {
                    return Err(ServerError::bad_request(format!(
                        "Did not find record type: {}",
                        q.record_type
                    )));
                }
                if !q.filter_by.is_empty() || !q.sort_by.is_empty() {
                    query::prepare(schema, q)?;
                }
            }
            if sub.fires_on.as_ref().is_none_or(Vec::is_empty) {
                return Err(ServerError::bad_request(
                    "a query subscription needs firesOn",
                ));
            }
            if sub.zone_wide.is_none() {
                sub.zone_wide = Some(sub.zone_id.is_none());
            }
            if sub.zone_wide == Some(false) {
                ctx.existing_zone(tx, sub.zone_id.as_ref())?;
            }
            sub.fires_once.get_or_insert(false);
        }
        Some(SubscriptionType::Zone) => {
            if ctx.scope == DatabaseScope::Public {
                return Err(ServerError::bad_request(
                    "zone subscriptions are not supported in the public database",
                ));
            }
            let zone = sub
                .zone_id
                .as_ref()
                .ok_or_else(|| ServerError::bad_request("a zone subscription needs a zoneID"))?;
            ctx.existing_zone(tx, Some(zone))?;
        }
        Some(SubscriptionType::Database) => {
            if ctx.scope == DatabaseScope::Public {
                return Err(ServerError::bad_request(
                    "database subscriptions are not supported in the public database",
                ));
            }
        }
        Some(other) => {
            return Err(ServerError::bad_request(format!(
                "unknown subscriptionType '{}'",
                other.as_str()
            )));
        }
        None => return Err(ServerError::bad_request("subscriptionType is required")),
    }
    Ok(sub)
}

/// The live service refuses a second query subscription on the same record type with the same
/// `firesOn` set, with this odd error (spec §3.18).
fn duplicate_of(existing: &[Subscription], sub: &Subscription) -> bool {
    let key = |s: &Subscription| {
        let mut fires: Vec<String> = s
            .fires_on
            .iter()
            .flatten()
            .map(|f| f.as_str().to_owned())
            .collect();
        fires.sort();
        (s.query.as_ref().map(|q| q.record_type.clone()), fires)
    };
    sub.subscription_type == Some(SubscriptionType::Query)
        && existing.iter().any(|e| {
            e.subscription_id != sub.subscription_id
                && e.subscription_type == Some(SubscriptionType::Query)
                && key(e) == key(sub)
        })
}

/// `subscriptions/modify`.
pub fn modify(
    ctx: &Ctx<'_>,
    request: ModifySubscriptionsRequest,
) -> Result<SubscriptionsResponse, ServerError> {
    check_count("operations", request.operations.len())?;
    let db = key(ctx)?;
    // Schema before store, the order every endpoint takes the two locks in.
    let schema = ctx.shared.schema.read().unwrap_or_else(|p| p.into_inner());
    ctx.shared.store.run_transaction(|tx| {
        let mut subscriptions = Vec::with_capacity(request.operations.len());
        for op in request.operations {
            let id = op.subscription.subscription_id.clone();
            let result = (|| -> Result<Subscription, ServerError> {
                if op.operation_type == SubscriptionOperationType::Delete {
                    names::check_subscription_id(&id)?;
                }
                let existing = tx.subscription(&db, &id)?;
                // Whatever this operation does, a decoded copy of the old text is of no more use.
                ctx.shared.subscription_queries.forget(&db, &id);
                match op.operation_type {
                    SubscriptionOperationType::Delete => {
                        if !tx.delete_subscription(&db, &id)? {
                            return Err(ServerError::new(
                                ServerErrorCode::NotFound,
                                "subscription not found",
                            ));
                        }
                        Ok(Subscription::id_only(id.clone()))
                    }
                    SubscriptionOperationType::Create | SubscriptionOperationType::Update => {
                        if op.operation_type == SubscriptionOperationType::Create {
                            if let Some(e) = &existing {
                                return decode(e);
                            }
                        } else if existing.is_none() {
                            return Err(ServerError::new(
                                ServerErrorCode::NotFound,
                                "subscription not found",
                            ));
                        }
                        let sub = validate(ctx, &schema, tx, op.subscription)?;
                        let all: Vec<Subscription> = tx
                            .subscriptions(&db)?
                            .iter()
                            .filter_map(|s| decode(s).ok())
                            .collect();
                        if duplicate_of(&all, &sub) {
                            return Err(ServerError::new(
                                ServerErrorCode::InternalError,
                                "could not find subscription we just created",
                            ));
                        }
                        let body = serde_json::to_string(&sub).map_err(|e| {
                            ServerError::internal(format!("cannot encode subscription: {e}"))
                        })?;
                        tx.put_subscription(
                            &db,
                            &StoredSubscription {
                                subscription_id: id.clone(),
                                body,
                            },
                        )?;
                        Ok(sub)
                    }
                }
            })();
            subscriptions.push(result.map_err(|e| sub_error(&e, &id)));
        }
        Ok(SubscriptionsResponse { subscriptions })
    })
}
