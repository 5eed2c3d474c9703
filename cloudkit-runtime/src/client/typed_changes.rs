//! A zone's change feed decoded into the application's record enum ([`CloudKitRecords`]):
//! each change is a saved record of one of its types, a deletion, or a record of another type.

use std::pin::Pin;

use futures_core::Stream;
use futures_util::TryStreamExt as _;

use super::changes::{ZoneChanges, ZoneChangesPage};
use super::database::HasChangeFeeds;
use super::error::Error;
use super::records::decode_failure;
use super::sync_token::SyncToken;
use crate::typed::CloudKitRecords;
use cloudkit_wire::ws::{Record, RecordEntry, ZoneId};

/// One change in a typed zone feed.
#[derive(Clone, Debug, PartialEq)]
pub enum Change<E> {
    /// A record of one of `E`'s types was created or changed; here is its current state.
    Saved(E),
    /// A record was deleted. CloudKit's tombstones carry no record type, only the name.
    Deleted(DeletedRecord),
    /// A record of a type `E` does not list, undecoded.
    Other(Box<Record>),
}

/// A deletion in a change feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeletedRecord {
    /// The deleted record's name.
    pub record_name: String,
    /// Its zone, when the server said.
    pub zone_id: Option<ZoneId>,
}

/// One page of a typed `changes/zone` feed.
#[derive(Debug)]
pub struct TypedZoneChangesPage<E> {
    /// The zone.
    pub zone_id: ZoneId,
    /// The changes in server order; a per-record error or a record that does not decode is
    /// kept in place.
    pub changes: Vec<Result<Change<E>, Error>>,
    /// Persist this to resume after this page.
    pub sync_token: Option<SyncToken>,
    /// Whether another page follows (the stream fetches it).
    pub more_coming: bool,
}

/// The pages of a typed zone feed; `Unpin`, so it needs no `pin!`.
pub type TypedZoneChangesStream<E> =
    Pin<Box<dyn Stream<Item = Result<TypedZoneChangesPage<E>, Error>> + Send>>;

impl<S: HasChangeFeeds> ZoneChanges<S> {
    /// The feed with each record decoded into `E`'s variant for its record type.
    pub fn typed<E: CloudKitRecords + Send + 'static>(self) -> TypedZoneChangesStream<E> {
        Box::pin(self.stream().map_ok(decode_page::<E>))
    }
}

fn decode_page<E: CloudKitRecords>(page: ZoneChangesPage) -> TypedZoneChangesPage<E> {
    TypedZoneChangesPage {
        zone_id: page.zone_id,
        changes: page
            .records
            .into_iter()
            .map(|item| match item {
                Ok(entry) => decode_entry(entry),
                Err(failure) => Err(failure.into()),
            })
            .collect(),
        sync_token: page.sync_token,
        more_coming: page.more_coming,
    }
}

fn decode_entry<E: CloudKitRecords>(entry: RecordEntry) -> Result<Change<E>, Error> {
    match entry {
        RecordEntry::Tombstone(t) => Ok(Change::Deleted(DeletedRecord {
            record_name: t.record_name,
            zone_id: t.zone_id,
        })),
        RecordEntry::Record(record) if record.deleted == Some(true) => {
            Ok(Change::Deleted(DeletedRecord {
                record_name: record.record_name.unwrap_or_default(),
                zone_id: record.zone_id,
            }))
        }
        RecordEntry::Record(record) => {
            let ours = record
                .record_type
                .as_deref()
                .is_some_and(|t| E::RECORD_TYPES.contains(&t));
            if !ours {
                return Ok(Change::Other(Box::new(record)));
            }
            match E::from_record(record) {
                Some(decoded) => decoded.map(Change::Saved).map_err(decode_failure),
                None => Err(Error::RecordDecode {
                    record_name: String::new(),
                    message: "no variant took a record of a listed type".to_owned(),
                }),
            }
        }
    }
}
