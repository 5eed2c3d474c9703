//! Sending one request of a batch: per-item transient errors are resent, `EXISTS`/`CONFLICT`
//! answers are handed to verification, results come back in operation order.
//! One concept with batch.rs, verify.rs: one batch type, sent a request at a time here.

use super::super::database::Scope;
use super::super::error::{Error, ServerFailure};
use super::super::request::PreparedRequest;
use super::super::retry::CallStart;
use super::batch::ModifyRecords;
use super::endpoints::MODIFY;
use super::outcome::RecordOutcome;
use super::split::is_too_large;
use super::verify::Verification;
use cloudkit_wire::ws::{
    RecordEntry, RecordOperation, RecordOperationType, RecordsResponse,
    ServerError as WireServerError, ServerErrorCode,
};

impl<S: Scope> ModifyRecords<S> {
    pub(super) async fn send_chunk(
        &self,
        chunk: &[RecordOperation],
        call: CallStart,
    ) -> Result<Vec<Result<RecordOutcome, ServerFailure>>, Error> {
        let transport = &self.db.client.transport;
        let policy = &transport.retry;
        let mut results: Vec<Option<Result<RecordOutcome, ServerFailure>>> =
            vec![None; chunk.len()];
        // Operations that may have been applied by an earlier attempt whose answer we lost.
        let mut maybe_applied = vec![self.resend; chunk.len()];
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
            let reply = match transport.reply_in::<RecordsResponse>(&request, call).await {
                Ok(reply) => reply,
                // Refused for its size: nothing was applied; send it as two smaller requests.
                Err(error)
                    if round == 1 && !self.atomic && chunk.len() > 1 && is_too_large(&error) =>
                {
                    return self.send_halves(chunk, call).await;
                }
                Err(error) => return Err(error),
            };
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
                        let may_retry = !atomic_blocked
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
                            retry_next.push((i, failure));
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
            let Some(wait) = policy.next_wait(round, longest_retry_after, call.elapsed()) else {
                // Out of time (or the server wants a longer wait than allowed): the transient
                // errors are the answers, each with its retryAfter.
                for (i, failure) in retry_next {
                    if let Some(slot) = results.get_mut(i) {
                        *slot = Some(Err(failure));
                    }
                }
                break;
            };
            // A per-item transient error means that item was not applied; only a lost
            // answer to the resend (counted above via `attempts`) makes it "maybe applied".
            tokio::time::sleep(wait).await;
            pending = retry_next.into_iter().map(|(i, _)| i).collect();
            round += 1;
        }
        self.verify(chunk, to_verify, &mut results, call).await?;
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
        // A create that may have landed before (a lost answer, or a re-send the caller marked
        // with `as_resend`): the record holding exactly what was sent is a success. On a first
        // attempt EXISTS is a genuine clash; in the public database the record may be another
        // user's, so equal content proves nothing.
        (Op::Create, ServerErrorCode::Exists) => Classified::Verify {
            failure,
            may_succeed: maybe_applied,
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
