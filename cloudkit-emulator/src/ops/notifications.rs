//! Firing subscriptions (spec §3.21, §4.14) in three steps, so that no subscription's query is
//! evaluated under the store lock:
//!
//! 1. Inside the write's transaction, each record change looks up the subscriptions it may fire
//!    (an index on the record type, once per type and write, see
//!    `Tx::subscriptions_for_record`) and keeps them with
//!    the record's image ([`PendingNotifications::record_changed`]). An operation that rolls
//!    back drops what it collected; a write that rolls back fires nothing. A write that may
//!    fire takes a [`Ticket`] before it commits.
//! 2. After the commit, with no lock held, each candidate is matched against the change
//!    ([`super::subscription_match`]): filters, `firesOn`, zone and the subscriber's read grants.
//! 3. In ticket order, so each subscriber hears of changes in the order they were made, the
//!    notifications are queued for the subscribers' web couriers in one short transaction. A
//!    `firesOnce` subscription is deleted there, and only if it is still stored as it was
//!    matched: when several writes match it, the first in commit order claims it and it fires
//!    exactly once.
//!
//! Records deleted by a `DELETE_SELF` cascade fire as deletes, each like the record whose
//! delete started it. The write has committed before step 2: a failure to match or queue is
//! logged, not answered to the writer, whose write did happen.

use std::collections::HashMap;
use std::sync::Arc;

use cloudkit_wire::ws::DatabaseScope;

use super::context::{Ctx, ZoneTarget};
use super::delivery_order::Ticket;
use super::subscription_match::{RecordChange, notification};
use crate::error::ServerError;
use crate::schema::LiveSchema;
use crate::storage::{DatabaseKey, OwnedSubscription, StoredRecord, Tx};

pub use super::subscription_match::Change;

/// A record change and the subscriptions it may fire, as collected in the write.
struct Collected {
    record: StoredRecord,
    change: Change,
    candidates: Arc<[OwnedSubscription]>,
}

/// The record changes of one write that may fire subscriptions: collected in its transaction,
/// matched and queued after it.
pub struct PendingNotifications {
    scope: DatabaseScope,
    target: ZoneTarget,
    changes: Vec<Collected>,
    /// The subscriptions on each record type written, looked up once per write: nothing
    /// changes them during the write's transaction.
    by_type: HashMap<String, Arc<[OwnedSubscription]>>,
}

/// One notification to queue, matched.
struct Outgoing {
    db: DatabaseKey,
    subscriber: String,
    subscription_id: String,
    /// The stored text matched, for a `firesOnce` subscription that must be claimed.
    claim: Option<String>,
    text: String,
}

impl PendingNotifications {
    /// Nothing collected yet, for writes in `target` of the `scope` database.
    pub fn new(scope: DatabaseScope, target: &ZoneTarget) -> PendingNotifications {
        PendingNotifications {
            scope,
            target: target.clone(),
            changes: Vec::new(),
            by_type: HashMap::new(),
        }
    }

    /// Collects a record change with the subscriptions it may fire. Call inside the write's
    /// transaction: the lookup is one index query per record type, and the record is kept only
    /// when some subscription may fire.
    pub fn record_changed(
        &mut self,
        tx: &Tx<'_>,
        record: &StoredRecord,
        change: Change,
    ) -> Result<(), ServerError> {
        let candidates = match self.by_type.get(&record.record_type) {
            Some(known) => Arc::clone(known),
            None => {
                let db = &self.target.db;
                let owner = match self.scope {
                    DatabaseScope::Public => None,
                    _ => Some(db.owner.as_str()),
                };
                let found: Arc<[OwnedSubscription]> = tx
                    .subscriptions_for_record(db.scope, owner, &record.record_type)?
                    .into();
                self.by_type
                    .insert(record.record_type.clone(), Arc::clone(&found));
                found
            }
        };
        if !candidates.is_empty() {
            self.changes.push(Collected {
                record: record.clone(),
                change,
                candidates,
            });
        }
        Ok(())
    }

    /// A mark to roll back to when the operation that follows fails.
    pub fn mark(&self) -> usize {
        self.changes.len()
    }

    /// Drops what was collected since `mark` (the operation rolled back).
    pub fn roll_back_to(&mut self, mark: usize) {
        self.changes.truncate(mark);
    }

    /// Whether nothing may fire.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Matches the collected changes and queues their notifications, in `ticket`'s turn. Call
    /// after the write committed, with no lock held; `schema` is the schema after the write.
    pub fn deliver(self, ctx: &Ctx<'_>, schema: &LiveSchema, ticket: Ticket<'_>) {
        let outgoing = match self.matched(ctx, schema) {
            Ok(outgoing) => outgoing,
            Err(e) => {
                tracing::warn!(error = %e, "cannot match subscriptions; none fired");
                return;
            }
        };
        if outgoing.is_empty() {
            return;
        }
        let cache = &ctx.shared.subscription_queries;
        let queued = ticket.deliver(|| {
            ctx.shared.store.run_transaction(|tx| {
                for n in &outgoing {
                    if let Some(body) = &n.claim {
                        if !tx.claim_subscription(&n.db, &n.subscription_id, body)? {
                            continue;
                        }
                        cache.forget(&n.db, &n.subscription_id);
                    }
                    for courier in tx.couriers_of(&n.subscriber)? {
                        tx.queue_notification(&courier, &n.text)?;
                    }
                }
                Ok::<_, ServerError>(())
            })
        });
        if let Err(e) = queued {
            tracing::warn!(error = %e, "cannot queue notifications");
        }
    }

    fn matched(&self, ctx: &Ctx<'_>, schema: &LiveSchema) -> Result<Vec<Outgoing>, ServerError> {
        let cache = &ctx.shared.subscription_queries;
        let mut outgoing = Vec::new();
        for collected in &self.changes {
            let change = RecordChange {
                scope: self.scope,
                target: &self.target,
                record: &collected.record,
                change: collected.change,
            };
            for owned in collected.candidates.iter() {
                let db = DatabaseKey {
                    scope: self.target.db.scope,
                    owner: owned.owner.clone(),
                };
                let stored = &owned.subscription;
                #[cfg(test)]
                hook::matching(&stored.subscription_id);
                let Some(decoded) =
                    cache.decoded(&db, &stored.subscription_id, &stored.body, schema)
                else {
                    continue;
                };
                let container = &ctx.shared.container;
                let Some(n) = notification(container, schema, &owned.owner, &decoded, &change)?
                else {
                    continue;
                };
                let text = serde_json::to_string(&n).map_err(|e| {
                    ServerError::internal(format!("cannot encode notification: {e}"))
                })?;
                outgoing.push(Outgoing {
                    db,
                    subscriber: owned.owner.clone(),
                    subscription_id: stored.subscription_id.clone(),
                    claim: (decoded.subscription.fires_once == Some(true))
                        .then(|| stored.body.clone()),
                    text,
                });
            }
        }
        Ok(outgoing)
    }
}

/// A test's view into matching: called with each subscription ID as it is matched, so a test
/// can hold a write there and see what other clients can do meanwhile.
#[cfg(test)]
pub(crate) mod hook {
    use std::sync::{Arc, Mutex};

    type Hook = Arc<dyn Fn(&str) + Send + Sync>;

    /// The hook in force.
    pub(crate) static MATCHING: Mutex<Option<Hook>> = Mutex::new(None);

    pub(super) fn matching(subscription_id: &str) {
        // Called outside the mutex: a hook that holds one write must not hold the others.
        let hook = MATCHING.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some(hook) = hook {
            hook(subscription_id);
        }
    }
}

#[cfg(test)]
mod tests;
