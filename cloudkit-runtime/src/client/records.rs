//! Saving, looking up and deleting records: one at a time, or in batches of any size.
//!
//! Batches are split into requests of at most [`MAX_OPERATIONS_PER_REQUEST`] operations; the
//! report holds one result per operation, in the order they were added, failed ones included.
//!
//! Retrying never duplicates or loses a record. Records carry client-chosen names (a UUID is
//! generated here when a new record has none), so a retried `create` cannot make a second
//! record. A `create` answered `EXISTS` counts as done when the server holds exactly the
//! fields that were sent (so re-sending a batch is safe); an `update`/`replace` answered
//! `CONFLICT` counts as done only when an earlier attempt of this call may have been applied
//! (its answer was lost) and the server holds exactly the fields sent. Otherwise a stale
//! change tag stays a `CONFLICT` error, with the server's record attached; an `EXISTS` with
//! other content stays an error, with the server's record attached too.

use std::collections::HashMap;

use super::database::{Database, Scope};
use super::error::{Error, ServerFailure};
use super::request::PreparedRequest;
use cloudkit_wire::ws::{
    LookupRecordsRequest, ModifyRecordsRequest, Record, RecordEntry, RecordLookup, RecordOperation,
    RecordOperationType, RecordsResponse, ServerError as WireServerError, ServerErrorCode,
    TypedRecordsResponse, ZoneId,
};
use cloudkit_wire::{CloudKitRecord, DecodeError};

/// CloudKit's limit of operations in one `records/modify` request.
pub const MAX_OPERATIONS_PER_REQUEST: usize = 200;

pub(crate) const MODIFY: &str = "records/modify";
pub(crate) const LOOKUP: &str = "records/lookup";

/// What happened to one operation of a batch.
#[derive(Clone, Debug, PartialEq)]
pub enum RecordOutcome {
    /// The record as saved by the server (new change tag, timestamps).
    Saved(Box<Record>),
    /// The record is gone.
    Deleted {
        /// Its name.
        record_name: String,
    },
}

impl RecordOutcome {
    /// The record name.
    pub fn record_name(&self) -> Option<&str> {
        match self {
            RecordOutcome::Saved(r) => r.record_name.as_deref(),
            RecordOutcome::Deleted { record_name } => Some(record_name),
        }
    }

    /// Decodes a saved record into `T`; `None` for deletes.
    pub fn decode<T: CloudKitRecord>(&self) -> Option<Result<T, Error>> {
        match self {
            RecordOutcome::Saved(r) => Some(decode_record((**r).clone())),
            RecordOutcome::Deleted { .. } => None,
        }
    }
}

/// The result of a batch: one entry per operation, in the order the operations were added.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModifyReport {
    /// One result per operation.
    pub results: Vec<Result<RecordOutcome, ServerFailure>>,
}

impl ModifyReport {
    /// Whether every operation succeeded.
    pub fn is_success(&self) -> bool {
        self.results.iter().all(Result::is_ok)
    }

    /// The failed operations with their index in the batch.
    pub fn failures(&self) -> impl Iterator<Item = (usize, &ServerFailure)> {
        self.results
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.as_ref().err().map(|e| (i, e)))
    }

    /// The outcomes if all succeeded, else the first failure.
    pub fn into_result(self) -> Result<Vec<RecordOutcome>, Error> {
        self.results
            .into_iter()
            .map(|r| r.map_err(Error::from))
            .collect()
    }
}

pub(crate) fn decode_record<T: CloudKitRecord>(record: Record) -> Result<T, Error> {
    let record_name = record.record_name.clone().unwrap_or_default();
    T::from_record(record).map_err(|e| Error::RecordDecode {
        record_name,
        message: e.to_string(),
    })
}

/// A record that did not decode into its Rust type (errors name the record themselves).
pub(crate) fn decode_failure(e: DecodeError) -> Error {
    Error::RecordDecode {
        record_name: e.record_name().unwrap_or_default().to_owned(),
        message: e.to_string(),
    }
}

/// A new record needs a name chosen here, so a retried create is recognisable.
fn ensure_record_name(record: &mut Record) {
    if record.record_name.as_deref().is_none_or(str::is_empty) {
        record.record_name = Some(uuid::Uuid::new_v4().to_string());
    }
}

/// Builds a batch of record operations. Start with [`Database::modify`].
#[must_use = "a batch does nothing until `send` is awaited"]
pub struct ModifyRecords<S: Scope> {
    db: Database<S>,
    operations: Vec<RecordOperation>,
    zone_id: Option<ZoneId>,
    /// Zones the records themselves name (their system fields); lifted to the request-level
    /// `zoneID`, the documented place.
    record_zones: Vec<ZoneId>,
    atomic: bool,
    desired_keys: Option<Vec<String>>,
    in_flight: usize,
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
    fn effective_zone(&self) -> Result<Option<ZoneId>, Error> {
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

    fn body(&self, operations: Vec<RecordOperation>) -> ModifyRecordsRequest {
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
    /// unknown. Sending those again is safe for creates (see the module docs).
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
                    let outcome = this.send_chunk(chunk).await;
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

    async fn send_chunk(
        &self,
        chunk: &[RecordOperation],
    ) -> Result<Vec<Result<RecordOutcome, ServerFailure>>, Error> {
        let transport = &self.db.client.transport;
        let policy = &transport.retry;
        let mut results: Vec<Option<Result<RecordOutcome, ServerFailure>>> =
            vec![None; chunk.len()];
        // Operations that may have been applied by an earlier attempt whose answer we lost.
        let mut maybe_applied = vec![false; chunk.len()];
        let mut to_verify: Vec<Verification> = Vec::new();
        let mut pending: Vec<usize> = (0..chunk.len()).collect();
        let mut round = 1u32;
        loop {
            let operations: Vec<RecordOperation> = pending
                .iter()
                .filter_map(|&i| chunk.get(i).cloned())
                .collect();
            let request = PreparedRequest::post(
                self.db.path(MODIFY),
                MODIFY,
                S::SCOPE,
                &self.body(operations),
            )?;
            let reply = transport.reply::<RecordsResponse>(&request).await?;
            if reply.attempts > 1 {
                for &i in &pending {
                    if let Some(flag) = maybe_applied.get_mut(i) {
                        *flag = true;
                    }
                }
            }
            let response = reply.response;
            if response.records.len() != pending.len() {
                return Err(Error::count_mismatch(
                    MODIFY,
                    "operations",
                    response.records.len(),
                    pending.len(),
                    &reply.body,
                ));
            }
            let mut retry_next = Vec::new();
            let mut longest_retry_after: Option<f64> = None;
            let any_transient = response
                .records
                .iter()
                .any(|r| r.as_ref().is_err_and(WireServerError::is_retryable));
            // In an atomic batch, one real failure sinks all; resending the rest would apply
            // them without it.
            let atomic_blocked = self.atomic
                && response.records.iter().any(|r| {
                    r.as_ref().is_err_and(|e| {
                        !e.is_retryable() && e.code() != Some(&ServerErrorCode::AtomicError)
                    })
                });
            for (&i, item) in pending.iter().zip(response.records) {
                let Some(operation) = chunk.get(i) else {
                    continue;
                };
                let outcome = match item {
                    Ok(entry) => Classified::Done(Ok(outcome_of(operation, entry))),
                    Err(dict) => {
                        let failure = ServerFailure::new(MODIFY, None, dict);
                        let may_retry = policy.allows_another(round)
                            && !atomic_blocked
                            && (failure.is_transient()
                                // Atomic: the whole batch failed because of a transient sibling.
                                || (self.atomic
                                    && any_transient
                                    && failure.code() == ServerErrorCode::AtomicError));
                        if may_retry {
                            longest_retry_after = match (longest_retry_after, failure.retry_after())
                            {
                                (Some(a), Some(b)) => Some(a.max(b)),
                                (a, b) => a.or(b),
                            };
                            retry_next.push(i);
                            continue;
                        }
                        classify_failure(
                            operation,
                            failure,
                            maybe_applied.get(i).copied().unwrap_or(false),
                        )
                    }
                };
                match outcome {
                    Classified::Done(result) => {
                        if let Some(slot) = results.get_mut(i) {
                            *slot = Some(result);
                        }
                    }
                    Classified::Verify {
                        failure,
                        may_succeed,
                    } => to_verify.push(Verification {
                        index: i,
                        failure,
                        may_succeed,
                    }),
                }
            }
            if retry_next.is_empty() {
                break;
            }
            // A per-item transient error means that item was not applied; only a lost
            // answer to the resend (counted above via `attempts`) makes it "maybe applied".
            tokio::time::sleep(policy.delay(round, longest_retry_after)).await;
            pending = retry_next;
            round += 1;
        }
        self.verify(chunk, to_verify, &mut results).await?;
        Ok(results
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|| {
                    Err(ServerFailure::new(
                        MODIFY,
                        None,
                        WireServerError::new(
                            ServerErrorCode::Other("UNKNOWN".to_owned()),
                            "no result for this operation",
                        ),
                    ))
                })
            })
            .collect())
    }

    /// Resolves `EXISTS`/`CONFLICT` answers: a retried write whose content is on the server
    /// succeeded; anything else stays an error, with the server's record attached.
    async fn verify(
        &self,
        chunk: &[RecordOperation],
        to_verify: Vec<Verification>,
        results: &mut [Option<Result<RecordOutcome, ServerFailure>>],
    ) -> Result<(), Error> {
        if to_verify.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = to_verify
            .iter()
            .filter_map(|v| chunk.get(v.index)?.record.record_name.clone())
            .collect();
        // If the lookup itself fails, the answers stay what the server said (EXISTS/CONFLICT)
        // rather than sinking the whole report.
        let found = match lookup_records(&self.db, &names, self.effective_zone()?).await {
            Ok(found) => found,
            Err(error) => {
                tracing::warn!(%error, "could not look up records after EXISTS/CONFLICT");
                HashMap::new()
            }
        };
        for Verification {
            index,
            mut failure,
            may_succeed,
        } in to_verify
        {
            let Some(operation) = chunk.get(index) else {
                continue;
            };
            let server = operation
                .record
                .record_name
                .as_ref()
                .and_then(|n| found.get(n))
                .cloned();
            let outcome = match server {
                Some(server) if may_succeed && retried_write_landed(operation, &server) => {
                    Ok(RecordOutcome::Saved(Box::new(server)))
                }
                Some(server) => {
                    failure.server_record = Some(Box::new(server));
                    Err(failure)
                }
                None => Err(failure),
            };
            if let Some(slot) = results.get_mut(index) {
                *slot = Some(outcome);
            }
        }
        Ok(())
    }
}

/// An `EXISTS`/`CONFLICT` answer to look into.
struct Verification {
    index: usize,
    failure: ServerFailure,
    /// The operation may have been applied by an attempt whose answer was lost.
    may_succeed: bool,
}

/// Zone identity ignores the response-only `zoneType`.
fn same_zone(a: &ZoneId, b: &ZoneId) -> bool {
    a.zone_name == b.zone_name && a.owner_record_name == b.owner_record_name
}

enum Classified {
    Done(Result<RecordOutcome, ServerFailure>),
    Verify {
        failure: ServerFailure,
        may_succeed: bool,
    },
}

fn outcome_of(operation: &RecordOperation, entry: RecordEntry) -> RecordOutcome {
    match entry {
        RecordEntry::Tombstone(t) => RecordOutcome::Deleted {
            record_name: t.record_name,
        },
        RecordEntry::Record(r) if operation.operation_type.is_delete() => RecordOutcome::Deleted {
            record_name: r
                .record_name
                .or_else(|| operation.record.record_name.clone())
                .unwrap_or_default(),
        },
        RecordEntry::Record(r) => RecordOutcome::Saved(Box::new(r)),
    }
}

fn classify_failure(
    operation: &RecordOperation,
    failure: ServerFailure,
    maybe_applied: bool,
) -> Classified {
    use RecordOperationType as Op;
    let code = failure.code();
    match (operation.operation_type, code) {
        // A delete that may have landed before: the record is gone either way.
        (Op::Delete | Op::ForceDelete, ServerErrorCode::NotFound) if maybe_applied => {
            Classified::Done(Ok(RecordOutcome::Deleted {
                record_name: operation.record.record_name.clone().unwrap_or_default(),
            }))
        }
        // Creates are idempotent: the record already holding exactly what was sent (a lost
        // answer, or the caller re-sending a batch that failed half way) is a success.
        (Op::Create, ServerErrorCode::Exists) => Classified::Verify {
            failure,
            may_succeed: true,
        },
        (Op::Update | Op::Replace, ServerErrorCode::Conflict) if maybe_applied => {
            Classified::Verify {
                failure,
                may_succeed: true,
            }
        }
        // A genuine conflict: attach the server's record so the caller can merge.
        (_, ServerErrorCode::Conflict) => Classified::Verify {
            failure,
            may_succeed: false,
        },
        _ => Classified::Done(Err(failure)),
    }
}

/// Whether the server's record holds exactly what `operation` wrote.
fn retried_write_landed(operation: &RecordOperation, server: &Record) -> bool {
    let sent = &operation.record;
    if sent.record_type.is_some() && sent.record_type != server.record_type {
        return false;
    }
    let fields_match = sent.fields.iter().all(|(name, value)| {
        server
            .fields
            .get(name)
            .is_some_and(|s| s.value == value.value)
    });
    match operation.operation_type {
        // Everything not sent must be absent too.
        RecordOperationType::Create | RecordOperationType::Replace => {
            fields_match
                && server
                    .fields
                    .iter()
                    .all(|(name, v)| sent.fields.get(name).is_some() || v.value.is_null())
        }
        _ => fields_match,
    }
}

pub(crate) async fn lookup_records<S: Scope>(
    db: &Database<S>,
    names: &[String],
    zone_id: Option<ZoneId>,
) -> Result<HashMap<String, Record>, Error> {
    let mut found = HashMap::new();
    for chunk in names.chunks(MAX_OPERATIONS_PER_REQUEST) {
        let request = lookup_request(db, chunk, zone_id.clone(), None)?;
        let response: RecordsResponse = db.client.transport.call(&request).await?;
        for entry in response.records.into_iter().flatten() {
            if let RecordEntry::Record(record) = entry
                && let Some(name) = record.record_name.clone()
            {
                found.insert(name, record);
            }
        }
    }
    Ok(found)
}

pub(crate) fn lookup_request<S: Scope>(
    db: &Database<S>,
    names: &[String],
    zone_id: Option<ZoneId>,
    desired_keys: Option<Vec<String>>,
) -> Result<PreparedRequest, Error> {
    let body = LookupRecordsRequest {
        records: names.iter().map(RecordLookup::new).collect(),
        zone_id,
        desired_keys,
        numbers_as_strings: None,
        asset_privacy_mask_type: None,
    };
    PreparedRequest::post(db.path(LOOKUP), LOOKUP, S::SCOPE, &body)
}

impl<S: Scope> Database<S> {
    /// Starts a batch of record operations.
    pub fn modify(&self) -> ModifyRecords<S> {
        ModifyRecords::new(self.clone())
    }

    /// Saves one record (in the zone its system fields name, else the default zone). Fields
    /// the record leaves out (`None`) are not sent and keep their value on the server; use
    /// [`ModifyRecords::replace`] to clear them. `create` when it has no change tag (a UUID name
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
        let wire = record.to_record();
        let operation_type = if wire.record_change_tag.is_some() {
            RecordOperationType::Update
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

    /// Fetches one record by name from the default zone. A missing record is an
    /// [`Error::Server`] with `NOT_FOUND` ([`Error::is_not_found`]).
    pub async fn lookup<T: CloudKitRecord>(
        &self,
        record_name: impl Into<String>,
    ) -> Result<T, Error> {
        self.lookup_in(record_name, None).await
    }

    /// Like [`lookup`](Self::lookup), in a given zone.
    pub async fn lookup_in<T: CloudKitRecord>(
        &self,
        record_name: impl Into<String>,
        zone_id: Option<ZoneId>,
    ) -> Result<T, Error> {
        let names = [record_name.into()];
        let mut results = self.lookup_many::<T>(&names, zone_id).await?;
        results.pop().unwrap_or_else(|| {
            Err(Error::unexpected(
                LOOKUP,
                200,
                "empty result for one record",
                b"",
            ))
        })
    }

    /// The `records/lookup` request for `record_names` (at most 200).
    pub fn prepare_lookup(
        &self,
        record_names: &[String],
        zone_id: Option<ZoneId>,
        desired_keys: Option<Vec<String>>,
    ) -> Result<PreparedRequest, Error> {
        lookup_request(self, record_names, zone_id, desired_keys)
    }

    /// Fetches several records by name; one result per name, in order.
    pub async fn lookup_many<T: CloudKitRecord>(
        &self,
        record_names: &[String],
        zone_id: Option<ZoneId>,
    ) -> Result<Vec<Result<T, Error>>, Error> {
        let mut out = Vec::with_capacity(record_names.len());
        for chunk in record_names.chunks(MAX_OPERATIONS_PER_REQUEST) {
            let request = lookup_request(self, chunk, zone_id.clone(), None)?;
            let reply = self
                .client
                .transport
                .call_with(&request, TypedRecordsResponse::<T>::from_slice)
                .await?;
            let response = reply.response;
            if response.records.len() != chunk.len() {
                return Err(Error::count_mismatch(
                    LOOKUP,
                    "names",
                    response.records.len(),
                    chunk.len(),
                    &reply.body,
                ));
            }
            out.extend(response.records.into_iter().map(|item| {
                match item {
                    Ok(RecordEntry::Record(decoded)) => decoded.map_err(decode_failure),
                    Ok(RecordEntry::Tombstone(t)) => Err(ServerFailure::new(
                        LOOKUP,
                        None,
                        WireServerError::new(ServerErrorCode::NotFound, "record was deleted")
                            .for_record(t.record_name),
                    )
                    .into()),
                    Err(dict) => Err(ServerFailure::new(LOOKUP, None, dict).into()),
                }
            }));
        }
        Ok(out)
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
