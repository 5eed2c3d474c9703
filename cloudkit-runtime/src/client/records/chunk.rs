//! Sending one request of a batch: sent through the modify endpoints' shared loop (halves,
//! per-item re-sends), then `EXISTS`/`CONFLICT` answers are handed to verification; results
//! come back in operation order.
//! One concept with batch.rs, verify.rs: one batch type, sent a request at a time here.

use super::super::database::Scope;
use super::super::error::{Error, ServerFailure};
use super::super::operations::{ModifyEndpoint, Sent, send_operations};
use super::super::request::PreparedRequest;
use super::super::retry::CallStart;
use super::super::transport::Transport;
use super::batch::ModifyRecords;
use super::endpoints::MODIFY;
use super::outcome::RecordOutcome;
use super::verify::Verification;
use cloudkit_wire::ws::{
    RecordEntry, RecordOperation, RecordOperationType, RecordsResponse,
    ServerError as WireServerError, ServerErrorCode,
};

impl<S: Scope> ModifyEndpoint for ModifyRecords<S> {
    type Operation = RecordOperation;
    type Item = RecordEntry;
    type Response = RecordsResponse;
    const ENDPOINT: &'static str = MODIFY;

    fn transport(&self) -> &Transport {
        &self.db.client.transport
    }

    fn request(&self, operations: Vec<RecordOperation>) -> Result<PreparedRequest, Error> {
        PreparedRequest::post(
            self.db.path(MODIFY),
            MODIFY,
            S::SCOPE,
            &self.body(operations),
        )
    }

    fn items(response: RecordsResponse) -> Vec<Result<RecordEntry, WireServerError>> {
        response.records
    }

    fn atomic(&self) -> bool {
        self.atomic
    }
}

impl<S: Scope> ModifyRecords<S> {
    pub(super) async fn send_chunk(
        &self,
        chunk: &[RecordOperation],
        call: CallStart,
    ) -> Result<Vec<Result<RecordOutcome, ServerFailure>>, Error> {
        let Sent {
            results: answers,
            maybe_applied,
        } = send_operations(self, chunk, self.resend, call).await?;
        let mut results: Vec<Option<Result<RecordOutcome, ServerFailure>>> =
            vec![None; chunk.len()];
        let mut to_verify: Vec<Verification> = Vec::new();
        for (i, (operation, answer)) in chunk.iter().zip(answers).enumerate() {
            let outcome = match answer {
                Ok(entry) => Classified::Done(Ok(outcome_of(operation, entry))),
                Err(failure) => classify_failure(
                    operation,
                    failure,
                    maybe_applied.get(i).copied().unwrap_or(false),
                ),
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
