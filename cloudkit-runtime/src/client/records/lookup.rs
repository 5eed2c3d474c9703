//! Looking records up by name (`records/lookup`), decoded into their Rust type.

use std::collections::HashMap;

use super::super::database::{Database, Scope};
use super::super::error::{Error, ServerFailure};
use super::super::request::PreparedRequest;
use super::super::retry::CallStart;
use super::endpoints::{LOOKUP, MAX_OPERATIONS_PER_REQUEST};
use super::outcome::decode_failure;
use cloudkit_wire::CloudKitRecord;
use cloudkit_wire::ws::{
    LookupRecordsRequest, Record, RecordEntry, RecordLookup, RecordsResponse,
    ServerError as WireServerError, ServerErrorCode, TypedRecordsResponse, ZoneId,
};

pub(crate) async fn lookup_records<S: Scope>(
    db: &Database<S>,
    names: &[String],
    zone_id: Option<ZoneId>,
    call: CallStart,
) -> Result<HashMap<String, Record>, Error> {
    let mut found = HashMap::new();
    for chunk in names.chunks(MAX_OPERATIONS_PER_REQUEST) {
        let request = lookup_request(db, chunk, zone_id.clone(), None)?;
        let response: RecordsResponse = db.client.transport.call_in(&request, call).await?;
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
        self.lookup_some(record_names, zone_id, None).await
    }

    /// Fetches one record by name with only the fields `keys` name (`desiredKeys`, from
    /// `Note::fields().title().key()`): an `Option` field left out comes back `None`; leaving
    /// out a required (non-`Option`) field is [`Error::RecordDecode`] naming it.
    pub async fn lookup_keys<T: CloudKitRecord>(
        &self,
        record_name: impl Into<String>,
        keys: impl IntoIterator<Item = crate::typed::Key<T>>,
    ) -> Result<T, Error> {
        let names = [record_name.into()];
        let keys = keys
            .into_iter()
            .filter_map(|k| k.desired_key().map(str::to_owned))
            .collect();
        let mut results = self.lookup_some::<T>(&names, None, Some(keys)).await?;
        results.pop().unwrap_or_else(|| {
            Err(Error::unexpected(
                LOOKUP,
                200,
                "empty result for one record",
                b"",
            ))
        })
    }

    async fn lookup_some<T: CloudKitRecord>(
        &self,
        record_names: &[String],
        zone_id: Option<ZoneId>,
        desired_keys: Option<Vec<String>>,
    ) -> Result<Vec<Result<T, Error>>, Error> {
        let mut out = Vec::with_capacity(record_names.len());
        // Every request of the lookup waits within one deadline.
        let call = CallStart::now();
        for chunk in record_names.chunks(MAX_OPERATIONS_PER_REQUEST) {
            let request = lookup_request(self, chunk, zone_id.clone(), desired_keys.clone())?;
            let reply = self
                .client
                .transport
                .call_with(&request, call, TypedRecordsResponse::<T>::from_slice)
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
}
