//! Notification storage: device tokens (`tokens/create`, `tokens/register`) and the queue of
//! notifications waiting for each token's web courier.
//!
//! Notifications are queued once the write that fired them has committed (see
//! `ops::notifications`), so a write that rolls back fires nothing.

use rusqlite::{OptionalExtension as _, params};

use super::error::StorageError;
use super::store::Tx;
use super::subscription::StoredSubscription;

/// A subscription with the user it belongs to.
#[derive(Debug, Clone)]
pub struct OwnedSubscription {
    /// The subscriber's user record name.
    pub owner: String,
    /// The stored subscription.
    pub subscription: StoredSubscription,
}

impl Tx<'_> {
    /// The subscriptions of a database scope a change to a record of `record_type` may fire:
    /// query subscriptions on that type (found through an index on the type, so that the
    /// subscriptions on other types cost a write nothing), zone and database subscriptions. `owner`
    /// narrows them to one user's (private).
    pub fn subscriptions_for_record(
        &self,
        scope: &str,
        owner: Option<&str>,
        record_type: &str,
    ) -> Result<Vec<OwnedSubscription>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT owner, subscription_id, body FROM subscriptions
             INDEXED BY subscriptions_by_record_type
             WHERE scope = ?1 AND json_extract(body, '$.query.recordType') = ?3
               AND (?2 IS NULL OR owner = ?2)
             UNION ALL
             SELECT owner, subscription_id, body FROM subscriptions
             WHERE scope = ?1 AND ?2 IS NOT NULL AND owner = ?2
               AND json_extract(body, '$.subscriptionType') IN ('zone', 'database')
             ORDER BY owner, subscription_id",
        )?;
        let rows = stmt.query_map(params![scope, owner, record_type], |r| {
            Ok(OwnedSubscription {
                owner: r.get(0)?,
                subscription: StoredSubscription {
                    subscription_id: r.get(1)?,
                    body: r.get(2)?,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Creates a device token with its web courier ID, unbound or bound to a user.
    pub fn put_device_token(
        &mut self,
        apns_token: &str,
        courier_id: &str,
        user: Option<&str>,
        environment: &str,
    ) -> Result<(), StorageError> {
        self.conn().execute(
            "INSERT INTO device_tokens (apns_token, courier_id, user, apns_environment)
             VALUES (?1, ?2, ?3, ?4)",
            params![apns_token, courier_id, user, environment],
        )?;
        Ok(())
    }

    /// Binds a token to a user; whether the token exists.
    pub fn register_device_token(
        &mut self,
        apns_token: &str,
        user: &str,
    ) -> Result<bool, StorageError> {
        Ok(self.conn().execute(
            "UPDATE device_tokens SET user = ?2 WHERE apns_token = ?1",
            params![apns_token, user],
        )? > 0)
    }

    /// The web courier IDs of a user's registered tokens.
    pub fn couriers_of(&self, user: &str) -> Result<Vec<String>, StorageError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT courier_id FROM device_tokens WHERE user = ?1")?;
        let rows = stmt.query_map([user], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether a web courier ID exists.
    pub fn courier_exists(&self, courier_id: &str) -> Result<bool, StorageError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT 1 FROM device_tokens WHERE courier_id = ?1",
                [courier_id],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Queues a notification payload for a web courier.
    pub fn queue_notification(
        &mut self,
        courier_id: &str,
        payload: &str,
    ) -> Result<(), StorageError> {
        self.conn().execute(
            "INSERT INTO notifications (courier_id, payload) VALUES (?1, ?2)",
            params![courier_id, payload],
        )?;
        Ok(())
    }

    /// Takes the oldest queued notification of a web courier.
    pub fn take_notification(&mut self, courier_id: &str) -> Result<Option<String>, StorageError> {
        let next: Option<(i64, String)> = self
            .conn()
            .query_row(
                "SELECT seq, payload FROM notifications WHERE courier_id = ?1 ORDER BY seq LIMIT 1",
                [courier_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((seq, payload)) = next else {
            return Ok(None);
        };
        self.conn()
            .execute("DELETE FROM notifications WHERE seq = ?1", [seq])?;
        Ok(Some(payload))
    }
}
