//! The server's copy of a record that a write clashed with (`CONFLICT` on a stale change tag,
//! `EXISTS` on a create), decoded into the caller's record type so a merge needs one call.

use super::error::{Error, ServerFailure};
use super::records::decode_failure;
use cloudkit_wire::CloudKitRecord;

impl ServerFailure {
    /// The record the server holds, as `T`: present on `CONFLICT` (the client looks it up
    /// after the clash) and on `EXISTS` when the server sent it. `None` when there is none;
    /// `Some(Err(_))` when it does not decode as `T`.
    pub fn server_record_as<T: CloudKitRecord>(&self) -> Option<Result<T, Error>> {
        let record = self.server_record.as_deref()?.clone();
        Some(T::from_record(record).map_err(decode_failure))
    }
}

impl Error {
    /// For a failed save or delete: the server's current copy of the record, as `T`, to
    /// merge with the copy the caller sent and save again.
    ///
    /// ```no_run
    /// # async fn f<T: cloudkit_runtime::CloudKitRecord>(
    /// #     db: cloudkit_runtime::client::PrivateDatabase, mine: T,
    /// # ) -> Result<(), cloudkit_runtime::client::Error> {
    /// match db.save(&mine).await {
    ///     Ok(_) => {}
    ///     Err(err) if err.is_conflict() => {
    ///         let theirs: T = err.server_record::<T>().ok_or(err)??;
    ///         // merge `mine` into `theirs` (it carries the current change tag) and save it
    ///         db.save(&theirs).await?;
    ///     }
    ///     Err(err) => return Err(err),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn server_record<T: CloudKitRecord>(&self) -> Option<Result<T, Error>> {
        self.server()?.server_record_as()
    }
}
