//! Erasing an environment's data (the management API's resetToProduction): records, zones,
//! subscriptions, assets and queued notifications go; sign-ins and the change sequence stay,
//! so tokens keep working and no change tag is ever issued twice.

use super::{StorageError, Tx};

impl Tx<'_> {
    /// Deletes every record, zone, subscription, asset and notification.
    pub fn erase_data(&mut self) -> Result<(), StorageError> {
        self.conn().execute_batch(
            "DELETE FROM records; DELETE FROM record_references; DELETE FROM zones;
             DELETE FROM subscriptions; DELETE FROM asset_uploads; DELETE FROM asset_receipts;
             DELETE FROM asset_files; DELETE FROM notifications;",
        )?;
        Ok(())
    }

    /// Removes a metadata value, as part of this transaction.
    pub fn delete_meta(&mut self, key: &str) -> Result<(), StorageError> {
        self.conn()
            .execute("DELETE FROM meta WHERE key = ?1", rusqlite::params![key])?;
        Ok(())
    }
}
