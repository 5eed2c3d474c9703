//! Saving and deleting one record: a batch of one operation.

use super::super::database::{Database, Scope};
use super::super::error::Error;
use super::batch::ModifyRecords;
use super::endpoints::MODIFY;
use super::outcome::{ModifyReport, RecordOutcome, decode_record};
use cloudkit_wire::CloudKitRecord;
use cloudkit_wire::ws::{RecordOperationType, ZoneId};

impl<S: Scope> Database<S> {
    /// Starts a batch of record operations.
    pub fn modify(&self) -> ModifyRecords<S> {
        ModifyRecords::new(self.clone())
    }

    /// Saves one record (in the zone its system fields name, else the default zone). Fields
    /// the record leaves out (`None`) are not sent and keep their value on the server; use
    /// [`replace`](Self::replace) (or [`ModifyRecords::replace`]) to clear them. `create` when it has no change tag (a UUID name
    /// is generated when it has no name), `update` when it has one. Returns the record as
    /// saved, with its new change tag.
    pub async fn save<T: CloudKitRecord>(&self, record: &T) -> Result<T, Error> {
        self.save_in(record, None).await
    }

    /// Like [`save`](Self::save), in a given zone.
    pub async fn save_in<T: CloudKitRecord>(
        &self,
        record: &T,
        zone_id: Option<ZoneId>,
    ) -> Result<T, Error> {
        self.write_one(record, zone_id, RecordOperationType::Update)
            .await
    }

    /// Saves one record so that the server keeps exactly what it holds: a field the record
    /// leaves out (`None`, an empty list) is cleared on the server, where [`save`](Self::save)
    /// would leave it alone. `replace` when the record has a change tag (`CONFLICT` if it is
    /// stale), `create` when it has none.
    ///
    /// ```no_run
    /// # async fn f(db: cloudkit_runtime::client::PrivateDatabase, mut note: impl cloudkit_runtime::CloudKitRecord) -> Result<(), cloudkit_runtime::client::Error> {
    /// // note.body = None;
    /// let note = db.replace(&note).await?; // the server's body is gone too
    /// # Ok(()) }
    /// ```
    pub async fn replace<T: CloudKitRecord>(&self, record: &T) -> Result<T, Error> {
        self.replace_in(record, None).await
    }

    /// Like [`replace`](Self::replace), in a given zone.
    pub async fn replace_in<T: CloudKitRecord>(
        &self,
        record: &T,
        zone_id: Option<ZoneId>,
    ) -> Result<T, Error> {
        self.write_one(record, zone_id, RecordOperationType::Replace)
            .await
    }

    /// `existing` for a record with a change tag, `create` for one without.
    async fn write_one<T: CloudKitRecord>(
        &self,
        record: &T,
        zone_id: Option<ZoneId>,
        existing: RecordOperationType,
    ) -> Result<T, Error> {
        let wire = record.to_record();
        let operation_type = if wire.record_change_tag.is_some() {
            existing
        } else {
            RecordOperationType::Create
        };
        let mut batch = self.modify().operation(operation_type, wire);
        if let Some(zone) = zone_id {
            batch = batch.zone(zone);
        }
        match single(batch.send().await?)? {
            RecordOutcome::Saved(saved) => decode_record(*saved),
            RecordOutcome::Deleted { record_name } => Err(Error::unexpected(
                MODIFY,
                200,
                &format!("save of `{record_name}` answered with a deletion"),
                b"",
            )),
        }
    }

    /// Deletes the record named `record_name` from the default zone, whatever its change tag
    /// (`forceDelete`). Deleting a record that does not exist is a `NOT_FOUND` error.
    pub async fn delete<T: CloudKitRecord>(
        &self,
        record_name: impl Into<String>,
    ) -> Result<(), Error> {
        single(self.modify().force_delete::<T>(record_name).send().await?).map(|_| ())
    }

    /// Deletes `record` only if its change tag is current (`delete`); `CONFLICT` otherwise.
    pub async fn delete_record<T: CloudKitRecord>(&self, record: &T) -> Result<(), Error> {
        single(self.modify().delete(record).send().await?).map(|_| ())
    }
}

fn single(report: ModifyReport) -> Result<RecordOutcome, Error> {
    let mut results = report.results;
    match (results.pop(), results.is_empty()) {
        (Some(result), true) => result.map_err(Error::from),
        _ => Err(Error::unexpected(
            MODIFY,
            200,
            "expected exactly one result",
            b"",
        )),
    }
}
