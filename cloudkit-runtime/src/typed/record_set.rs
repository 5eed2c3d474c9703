//! [`CloudKitRecords`]: an application's record types as one enum, so that a change feed (or
//! any list of records of mixed types) decodes each record into the right variant.

use cloudkit_wire::ws::Record;
use cloudkit_wire::{CloudKitRecord, DecodeError};

/// Several record types under one enum, one tuple variant per type. Usually derived:
///
/// ```
/// use cloudkit_runtime::CloudKitRecords; // the trait and its derive
/// use cloudkit_runtime::wire::Record;
/// # use cloudkit_runtime::{CloudKitRecord, DecodeError};
/// # #[derive(Debug)] struct Note; #[derive(Debug)] struct Folder;
/// # impl CloudKitRecord for Note { const RECORD_TYPE: &'static str = "Note";
/// #   fn to_record(&self) -> Record { Record::new("Note") }
/// #   fn from_record(_: Record) -> Result<Self, DecodeError> { Ok(Note) } }
/// # impl CloudKitRecord for Folder { const RECORD_TYPE: &'static str = "Folder";
/// #   fn to_record(&self) -> Record { Record::new("Folder") }
/// #   fn from_record(_: Record) -> Result<Self, DecodeError> { Ok(Folder) } }
///
/// #[derive(CloudKitRecords, Debug)]
/// enum AppRecord {
///     Note(Note),
///     Folder(Folder),
/// }
///
/// assert_eq!(AppRecord::RECORD_TYPES, ["Note", "Folder"]);
/// let decoded = AppRecord::from_record(Record::new("Folder"));
/// assert!(matches!(decoded, Some(Ok(AppRecord::Folder(_)))));
/// assert!(AppRecord::from_record(Record::new("Photo")).is_none());
/// ```
pub trait CloudKitRecords: Sized {
    /// The record types of the variants, in declaration order (for `desiredRecordTypes`).
    const RECORD_TYPES: &'static [&'static str];

    /// The variant for `record`'s type, decoded; `None` when its type is none of these.
    fn from_record(record: Record) -> Option<Result<Self, DecodeError>>;
}

/// Takes `record` and decodes it as `T` when it is of `T`'s record type, else leaves it;
/// what the derive calls per variant.
#[doc(hidden)]
pub fn decode_if<T: CloudKitRecord>(record: &mut Option<Record>) -> Option<Result<T, DecodeError>> {
    let ours = record
        .as_ref()
        .is_some_and(|r| r.record_type.as_deref() == Some(T::RECORD_TYPE));
    if ours {
        record.take().map(T::from_record)
    } else {
        None
    }
}
