//! Verifying retried writes: an `EXISTS`/`CONFLICT` answer to a write whose content is on the
//! server counts as done; otherwise the server's record is attached to the error.
//! One concept with batch.rs, chunk.rs: one batch type, its answers checked here.

use std::collections::HashMap;

use super::super::database::Scope;
use super::super::error::{Error, ServerFailure};
use super::super::retry::CallStart;
use super::batch::ModifyRecords;
use super::lookup::lookup_records;
use super::outcome::RecordOutcome;
use cloudkit_wire::Asset;
use cloudkit_wire::ws::{Record, RecordOperation, RecordOperationType, Value};

impl<S: Scope> ModifyRecords<S> {
    /// Resolves `EXISTS`/`CONFLICT` answers: a retried write whose content is on the server
    /// succeeded; anything else stays an error, with the server's record attached.
    pub(super) async fn verify(
        &self,
        chunk: &[RecordOperation],
        to_verify: Vec<Verification>,
        results: &mut [Option<Result<RecordOutcome, ServerFailure>>],
        call: CallStart,
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
        let found = match lookup_records(&self.db, &names, self.effective_zone()?, call).await {
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
pub(super) fn retried_write_landed(operation: &RecordOperation, server: &Record) -> bool {
    let sent = &operation.record;
    if sent.record_type.is_some() && sent.record_type != server.record_type {
        return false;
    }
    let fields_match = sent
        .fields
        .iter()
        .all(|(name, value)| same_value(&value.value, server.fields.get(name).map(|s| &s.value)));
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

/// Whether the server holds `sent`. A null that was sent is a field the server leaves out (or
/// sends as null, with or without its type). An asset is written as an upload receipt and read
/// back as a checksum and a download URL: the same file is the same checksum (and size).
fn same_value(sent: &Value, server: Option<&Value>) -> bool {
    match (sent, server) {
        (sent, None) => sent.is_null(),
        (Value::Null(_), Some(server)) => server.is_null(),
        (Value::AssetId(a) | Value::Asset(a), Some(Value::AssetId(b) | Value::Asset(b))) => {
            same_asset(a, b)
        }
        (Value::AssetIdList(a), Some(Value::AssetIdList(b))) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_asset(a, b))
        }
        (sent, Some(server)) => sent == server,
    }
}

/// The same file: checksums present and equal, and sizes equal where both are given.
fn same_asset(sent: &Asset, server: &Asset) -> bool {
    sent.file_checksum.is_some()
        && sent.file_checksum == server.file_checksum
        && match (sent.size, server.size) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudkit_wire::ws::{FieldValue, WireType};

    fn create(record: Record) -> RecordOperation {
        RecordOperation::new(RecordOperationType::Create, record)
    }

    fn asset(checksum: &str, receipt: Option<&str>, url: Option<&str>) -> Asset {
        Asset {
            file_checksum: Some(checksum.to_owned()),
            size: Some(5),
            receipt: receipt.map(str::to_owned),
            download_url: url.map(str::to_owned),
            ..Asset::default()
        }
    }

    #[test]
    fn a_sent_null_matches_a_missing_or_null_field_only() {
        let sent = create(
            Record::named("Note", "a")
                .with_field("title", FieldValue::from(Value::String("t".into())))
                .with_field(
                    "body",
                    FieldValue::from(Value::Null(Some(WireType::String))),
                ),
        );
        let server = Record::named("Note", "a")
            .with_field("title", FieldValue::from(Value::String("t".into())));
        assert!(retried_write_landed(&sent, &server));
        let with_null = server
            .clone()
            .with_field("body", FieldValue::from(Value::Null(None)));
        assert!(retried_write_landed(&sent, &with_null));
        let with_body = server.with_field("body", FieldValue::from(Value::String("x".into())));
        assert!(!retried_write_landed(&sent, &with_body));
    }

    #[test]
    fn an_asset_matches_by_checksum_not_by_receipt() {
        let sent = create(Record::named("Note", "a").with_field(
            "file",
            FieldValue::from(Value::AssetId(Box::new(asset("c1", Some("r"), None)))),
        ));
        let read_back = |checksum: &str| {
            Record::named("Note", "a").with_field(
                "file",
                FieldValue::from(Value::AssetId(Box::new(asset(
                    checksum,
                    None,
                    Some("http://x/${f}"),
                )))),
            )
        };
        assert!(retried_write_landed(&sent, &read_back("c1")));
        assert!(!retried_write_landed(&sent, &read_back("c2")));
    }
}
