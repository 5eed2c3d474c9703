//! Building and sending a batch of record operations (`records/modify`), in requests of at most
//! 200 operations.
//! One concept with chunk.rs, verify.rs: one batch type, its builder here, sending one
//! request of it in chunk.rs, checking retried writes in verify.rs.
//!
//! Batches are split into requests of at most [`MAX_OPERATIONS_PER_REQUEST`] operations; the
//! report holds one result per operation, in the order they were added, failed ones included.
//!
//! Retrying never duplicates or loses a record. Records carry client-chosen names (a UUID is
//! generated here when a new record has none), so a retried `create` cannot make a second
//! record. A `create` answered `EXISTS` counts as done when the server holds exactly the
//! fields that were sent and an earlier attempt may have been applied (its answer was lost, or
//! the caller re-sends with [`ModifyRecords::as_resend`]); an `update`/`replace` answered
//! `CONFLICT` likewise. An `EXISTS` on a first attempt is a genuine clash (in the public
//! database the record may be another user's), reported with the server's record attached; a
//! stale change tag stays a `CONFLICT` error, with the server's record attached too.

use super::super::database::{Database, Scope};
use super::super::error::Error;
use super::super::request::PreparedRequest;
use super::super::retry::CallStart;
use super::endpoints::{MAX_OPERATIONS_PER_REQUEST, MODIFY};
use super::outcome::ModifyReport;
use cloudkit_wire::CloudKitRecord;
use cloudkit_wire::ws::{
    ModifyRecordsRequest, Record, RecordOperation, RecordOperationType, ZoneId,
};

/// A new record needs a name chosen here, so a retried create is recognisable.
fn ensure_record_name(record: &mut Record) {
    if record.record_name.as_deref().is_none_or(str::is_empty) {
        record.record_name = Some(uuid::Uuid::new_v4().to_string());
    }
}

/// Builds a batch of record operations. Start with [`Database::modify`].
#[must_use = "a batch does nothing until `send` is awaited"]
pub struct ModifyRecords<S: Scope> {
    pub(super) db: Database<S>,
    operations: Vec<RecordOperation>,
    zone_id: Option<ZoneId>,
    /// Zones the records themselves name (their system fields); lifted to the request-level
    /// `zoneID`, the documented place.
    record_zones: Vec<ZoneId>,
    pub(super) atomic: bool,
    desired_keys: Option<Vec<String>>,
    in_flight: usize,
    /// Every operation may have been applied by an earlier send (see [`Self::as_resend`]).
    pub(super) resend: bool,
}

impl<S: Scope> std::fmt::Debug for ModifyRecords<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModifyRecords")
            .field("operations", &self.operations.len())
            .field("zone_id", &self.zone_id)
            .field("atomic", &self.atomic)
            .finish()
    }
}

impl<S: Scope> ModifyRecords<S> {
    pub(crate) fn new(db: Database<S>) -> Self {
        Self {
            db,
            operations: Vec::new(),
            zone_id: None,
            record_zones: Vec::new(),
            atomic: false,
            desired_keys: None,
            in_flight: 4,
            resend: false,
        }
    }

    fn push(mut self, operation_type: RecordOperationType, mut record: Record) -> Self {
        if let Some(zone) = record.zone_id.take()
            && !self.record_zones.iter().any(|z| same_zone(z, &zone))
        {
            self.record_zones.push(zone);
        }
        if !operation_type.is_delete() {
            ensure_record_name(&mut record);
        } else {
            // CloudKit JS strips fields from deletes; only the name (and tag) matter.
            record.fields = Default::default();
        }
        self.operations
            .push(RecordOperation::new(operation_type, record));
        self
    }

    /// `create`: a new record; `EXISTS` if the name is taken. A UUID name is generated when
    /// the record has none.
    pub fn create<T: CloudKitRecord>(self, record: &T) -> Self {
        self.push(RecordOperationType::Create, record.to_record())
    }

    /// `update`: changes the fields sent; `CONFLICT` if the record's change tag is stale.
    pub fn update<T: CloudKitRecord>(self, record: &T) -> Self {
        self.push(RecordOperationType::Update, record.to_record())
    }

    /// `forceUpdate`: changes the fields sent whatever the change tag; creates if missing.
    pub fn force_update<T: CloudKitRecord>(self, record: &T) -> Self {
        self.push(RecordOperationType::ForceUpdate, record.to_record())
    }

    /// `replace`: replaces the whole record; `CONFLICT` if the change tag is stale.
    pub fn replace<T: CloudKitRecord>(self, record: &T) -> Self {
        self.push(RecordOperationType::Replace, record.to_record())
    }

    /// `forceReplace`: replaces the whole record whatever the change tag; creates if missing.
    pub fn force_replace<T: CloudKitRecord>(self, record: &T) -> Self {
        self.push(RecordOperationType::ForceReplace, record.to_record())
    }

    /// `delete`: deletes `record` if its change tag is current; `CONFLICT` otherwise.
    pub fn delete<T: CloudKitRecord>(self, record: &T) -> Self {
        self.push(RecordOperationType::Delete, record.to_record())
    }

    /// `forceDelete`: deletes the record named `record_name` of type `T`, whatever its change
    /// tag.
    pub fn force_delete<T: CloudKitRecord>(self, record_name: impl Into<String>) -> Self {
        let record = Record {
            record_name: Some(record_name.into()),
            ..Record::default()
        };
        self.push(RecordOperationType::ForceDelete, record)
    }

    /// Adds an operation on an untyped wire record.
    pub fn operation(self, operation_type: RecordOperationType, record: Record) -> Self {
        self.push(operation_type, record)
    }

    /// The zone every operation applies to (default zone when not set).
    pub fn zone(mut self, zone_id: ZoneId) -> Self {
        self.zone_id = Some(zone_id);
        self
    }

    /// All-or-nothing (custom zones only). Sent explicitly either way (`atomic: false` unless
    /// this is called), because Apple's and CloudKit JS's defaults differ. An atomic batch
    /// must fit one request (200 operations).
    pub fn atomic(mut self) -> Self {
        self.atomic = true;
        self
    }

    /// Marks this batch as a re-send of operations whose outcome is unknown (the
    /// `not_completed` of [`Error::BatchIncomplete`], or a batch whose `send` future was
    /// dropped): a `create` answered `EXISTS`, or an `update`/`replace` answered `CONFLICT`,
    /// counts as done when the server holds exactly what was sent. Without it, `EXISTS` on a
    /// first attempt is an error.
    ///
    /// ```no_run
    /// # async fn f(db: cloudkit_runtime::client::PublicDatabase, notes: Vec<cloudkit_runtime::wire::Record>)
    /// # -> Result<(), cloudkit_runtime::client::Error> {
    /// use cloudkit_runtime::client::Error;
    /// use cloudkit_runtime::wire::RecordOperationType::Create;
    /// let batch = |db: &cloudkit_runtime::client::PublicDatabase| {
    ///     notes.iter().fold(db.modify(), |b, r| b.operation(Create, r.clone()))
    /// };
    /// match batch(&db).send().await {
    ///     Err(Error::BatchIncomplete { .. }) => {
    ///         // Some requests were lost: send everything again, as a re-send.
    ///         batch(&db).as_resend().send().await?;
    ///     }
    ///     other => { other?; }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn as_resend(mut self) -> Self {
        self.resend = true;
        self
    }

    /// Limits the fields echoed back in saved records.
    pub fn desired_keys<I, K>(mut self, keys: I) -> Self
    where
        I: IntoIterator<Item = K>,
        K: Into<String>,
    {
        self.desired_keys = Some(keys.into_iter().map(Into::into).collect());
        self
    }

    /// Number of operations added.
    pub fn len(&self) -> usize {
        self.operations.len()
    }

    /// Whether no operation was added.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// The request-level zone: the one set with [`zone`](Self::zone), or the one the records
    /// name. A batch spans exactly one zone.
    pub(super) fn effective_zone(&self) -> Result<Option<ZoneId>, Error> {
        let mut zones = self.zone_id.iter().chain(&self.record_zones);
        let first = zones.next();
        if let Some(first) = first
            && let Some(other) = zones.find(|z| !same_zone(z, first))
        {
            return Err(Error::ZoneMismatch {
                first: first.zone_name.clone(),
                second: other.zone_name.clone(),
            });
        }
        Ok(first.cloned())
    }

    pub(super) fn body(&self, operations: Vec<RecordOperation>) -> ModifyRecordsRequest {
        ModifyRecordsRequest {
            operations,
            zone_id: self.effective_zone().ok().flatten(),
            atomic: Some(self.atomic),
            desired_keys: self.desired_keys.clone(),
            numbers_as_strings: None,
        }
    }

    fn check(&self) -> Result<(), Error> {
        self.effective_zone()?;
        if self.atomic && self.operations.len() > MAX_OPERATIONS_PER_REQUEST {
            return Err(Error::TooManyOperations {
                count: self.operations.len(),
                max: MAX_OPERATIONS_PER_REQUEST,
            });
        }
        Ok(())
    }

    /// The requests this batch sends (one per 200 operations), without sending them.
    pub fn prepare(&self) -> Result<Vec<PreparedRequest>, Error> {
        self.check()?;
        self.operations
            .chunks(MAX_OPERATIONS_PER_REQUEST)
            .map(|chunk| {
                PreparedRequest::post(
                    self.db.path(MODIFY),
                    MODIFY,
                    S::SCOPE,
                    &self.body(chunk.to_vec()),
                )
            })
            .collect()
    }

    /// Sends the batch. Per-operation failures are entries of the report. A request that
    /// fails as a whole (auth, bad request, retries exhausted) makes this `Err`: the plain
    /// error when nothing was answered, else [`Error::BatchIncomplete`] with the results of
    /// the requests that were answered and the indices of the operations whose fate is
    /// unknown. Send those again with [`as_resend`](Self::as_resend).
    ///
    /// Requests of a large batch overlap (up to [`requests_in_flight`](Self::requests_in_flight)
    /// at once) unless two operations name the same record, in which case they go one after
    /// another so the server applies them in order. Results are in operation order either way.
    pub async fn send(self) -> Result<ModifyReport, Error> {
        use futures_util::StreamExt as _;
        use std::sync::atomic::{AtomicBool, Ordering};
        self.check()?;
        let in_flight = if self.names_are_unique() {
            self.in_flight.max(1)
        } else {
            1
        };
        // After one request fails for good, requests not yet started are not sent.
        let stopped = AtomicBool::new(false);
        // Every request of the batch waits within one deadline.
        let call = CallStart::now();
        let this = &self;
        // The futures are built up front: mapping inside the stream trips a higher-ranked
        // lifetime check that makes `send()` unusable in `tokio::spawn`.
        let requests: Vec<_> = self
            .operations
            .chunks(MAX_OPERATIONS_PER_REQUEST)
            .map(|chunk| {
                let stopped = &stopped;
                async move {
                    if stopped.load(Ordering::Relaxed) {
                        return None;
                    }
                    let outcome = this.send_chunk(chunk, call).await;
                    if outcome.is_err() {
                        stopped.store(true, Ordering::Relaxed);
                    }
                    Some(outcome)
                }
            })
            .collect();
        let chunks: Vec<Option<Result<Vec<_>, Error>>> = futures_util::stream::iter(requests)
            .buffered(in_flight)
            .collect()
            .await;
        if chunks.iter().all(|c| matches!(c, Some(Ok(_)))) {
            return Ok(ModifyReport {
                results: chunks.into_iter().flatten().flatten().flatten().collect(),
            });
        }
        let mut completed = Vec::new();
        let mut not_completed = Vec::new();
        let mut source = None;
        let mut index = 0;
        for (chunk, outcome) in self
            .operations
            .chunks(MAX_OPERATIONS_PER_REQUEST)
            .zip(chunks)
        {
            let range = index..index + chunk.len();
            index = range.end;
            match outcome {
                Some(Ok(results)) => completed.extend(range.zip(results)),
                Some(Err(error)) => {
                    source.get_or_insert(error);
                    not_completed.extend(range);
                }
                None => not_completed.extend(range),
            }
        }
        let source = source.unwrap_or_else(|| {
            Error::unexpected(
                MODIFY,
                0,
                "a batch request neither finished nor failed",
                b"",
            )
        });
        if completed.is_empty() {
            return Err(source);
        }
        Err(Error::BatchIncomplete {
            completed,
            not_completed,
            source: Box::new(source),
        })
    }

    /// How many `records/modify` requests of one batch may be on the wire at once (default
    /// 4). `1` sends them strictly one after another.
    pub fn requests_in_flight(mut self, requests: usize) -> Self {
        self.in_flight = requests.max(1);
        self
    }

    fn names_are_unique(&self) -> bool {
        let mut seen = std::collections::HashSet::with_capacity(self.operations.len());
        self.operations
            .iter()
            .filter_map(|op| op.record.record_name.as_deref())
            .all(|name| seen.insert(name))
    }
}

/// Zone identity ignores the response-only `zoneType`.
fn same_zone(a: &ZoneId, b: &ZoneId) -> bool {
    a.zone_name == b.zone_name && a.owner_record_name == b.owner_record_name
}
