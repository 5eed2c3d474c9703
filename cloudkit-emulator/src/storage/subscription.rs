//! Subscription rows: the subscription dictionary kept as JSON text.

use rusqlite::{OptionalExtension as _, params};

use super::database_key::DatabaseKey;
use super::error::StorageError;
use super::store::Tx;

/// A subscription as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSubscription {
    /// The subscription ID.
    pub subscription_id: String,
    /// The subscription dictionary as JSON text, as it is sent back.
    pub body: String,
}

impl Tx<'_> {
    /// Every subscription of the database, by ID.
    pub fn subscriptions(&self, db: &DatabaseKey) -> Result<Vec<StoredSubscription>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT subscription_id, body FROM subscriptions WHERE scope = ?1 AND owner = ?2
             ORDER BY subscription_id",
        )?;
        let rows = stmt.query_map(params![db.scope, db.owner], |r| {
            Ok(StoredSubscription {
                subscription_id: r.get(0)?,
                body: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One subscription.
    pub fn subscription(
        &self,
        db: &DatabaseKey,
        id: &str,
    ) -> Result<Option<StoredSubscription>, StorageError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT subscription_id, body FROM subscriptions
                 WHERE scope = ?1 AND owner = ?2 AND subscription_id = ?3",
                params![db.scope, db.owner, id],
                |r| {
                    Ok(StoredSubscription {
                        subscription_id: r.get(0)?,
                        body: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Inserts or replaces a subscription.
    pub fn put_subscription(
        &mut self,
        db: &DatabaseKey,
        sub: &StoredSubscription,
    ) -> Result<(), StorageError> {
        self.conn().execute(
            "INSERT INTO subscriptions (scope, owner, subscription_id, body) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (scope, owner, subscription_id) DO UPDATE SET body = excluded.body",
            params![db.scope, db.owner, sub.subscription_id, sub.body],
        )?;
        Ok(())
    }

    /// Deletes a subscription; whether it existed.
    pub fn delete_subscription(
        &mut self,
        db: &DatabaseKey,
        id: &str,
    ) -> Result<bool, StorageError> {
        Ok(self.conn().execute(
            "DELETE FROM subscriptions WHERE scope = ?1 AND owner = ?2 AND subscription_id = ?3",
            params![db.scope, db.owner, id],
        )? > 0)
    }

    /// Deletes a subscription only if it is still stored with exactly the text `body`; whether
    /// it was. A `firesOnce` subscription is claimed this way by the one notification that
    /// fires it: a later claim (another write matched it too), or one for a subscription that
    /// was modified since it matched, finds nothing.
    pub fn claim_subscription(
        &mut self,
        db: &DatabaseKey,
        id: &str,
        body: &str,
    ) -> Result<bool, StorageError> {
        Ok(self.conn().execute(
            "DELETE FROM subscriptions
             WHERE scope = ?1 AND owner = ?2 AND subscription_id = ?3 AND body = ?4",
            params![db.scope, db.owner, id, body],
        )? > 0)
    }
}
