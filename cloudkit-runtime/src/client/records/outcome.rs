//! What a batch reports: one outcome per operation, and decoding a record into its Rust type.
//! One concept with ../error.rs: a batch stopped part way is an error that carries the
//! outcomes answered so far, and an outcome decodes into an error when the record does not fit.

use super::super::error::{Error, ServerFailure};
use cloudkit_wire::ws::Record;
use cloudkit_wire::{CloudKitRecord, DecodeError};

/// What happened to one operation of a batch.
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
