//! Verifying retried writes: an `EXISTS`/`CONFLICT` answer to a write whose content is on the
//! server counts as done; otherwise the server's record is attached to the error.
//! One concept with batch.rs, chunk.rs: one batch type, its answers checked here.

use std::collections::HashMap;

use super::super::database::Scope;
use super::super::error::{Error, ServerFailure};
use super::batch::ModifyRecords;
use super::lookup::lookup_records;
use super::outcome::RecordOutcome;
use cloudkit_wire::ws::{Record, RecordOperation, RecordOperationType};

impl<S: Scope> ModifyRecords<S> {
    /// Resolves `EXISTS`/`CONFLICT` answers: a retried write whose content is on the server
    /// succeeded; anything else stays an error, with the server's record attached.
    pub(super) async fn verify(
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
pub(super) struct Verification {
    pub(super) index: usize,
    pub(super) failure: ServerFailure,
    /// The operation may have been applied by an attempt whose answer was lost.
    pub(super) may_succeed: bool,
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
