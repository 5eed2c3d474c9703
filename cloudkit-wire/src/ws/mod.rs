//! The JSON dialect of CloudKit Web Services, as typed Rust values.
//!
//! One set of types serves both directions: every request and response body serializes and
//! deserializes, so the client and the emulator share them. Decoding is permissive (unknown keys
//! are ignored, unknown type tags and error codes are kept, nothing panics); encoding writes
//! exactly the keys CloudKit expects, omitting absent optional keys.
//!
//! Response arrays whose elements may be errors (`records`, `zones`, `subscriptions`, `users`,
//! `results`, `tokens`, `assets`) are `Vec<Result<T, ServerError>>`: an element is an error
//! if and only if it has `serverErrorCode` or `extensionErrorCode`, and no element is dropped.
//!
//! Choices where the reference is silent or unsure:
//! - `retryAfter` is read as seconds (any JSON number) and written as an integer when whole.
//! - `users/caller` responses are written in both documented shapes at once; see
//!   [`CallerResponse`].
//! - A `records` element with `deleted: true`, a `recordName`, and neither `recordType` nor
//!   fields is a [`Tombstone`]; a bare `{"recordName"}` delete echo is a [`Record`].
//! - Timestamps accept integral JSON floats, numeric strings and RFC 3339 strings on read.
//! - BYTES accept unpadded and URL-safe base64 on read; output is standard, padded.
//! - DOUBLE accepts numeric strings on read, like INT64 (`numbersAsStrings` coverage is
//!   unconfirmed).

mod asset;
mod changes;
mod error;
mod fields;
pub(crate) mod item;
mod notification;
mod operation;
mod path;
mod query;
mod record;
mod share;
mod short_guid;
mod subscription;
mod token;
mod typed_records;
mod user;
mod value;
mod zone;

pub use crate::asset::Asset;
pub use crate::location::Location;
pub use crate::reference::{Reference, ReferenceAction};
pub use crate::timestamp::Timestamp;
pub use crate::zone::ZoneId;
pub use asset::{
    AssetFieldRef, AssetRereferenceRequest, AssetRereferenceResponse, AssetUploadRequest,
    AssetUploadResponse, AssetUploadToken, AssetUploadUrl, UploadedFile,
};
pub use changes::{
    DatabaseChangesRequest, DatabaseChangesResponse, ZoneChanges, ZoneChangesRequest,
    ZoneChangesRequestZone, ZoneChangesResponse,
};
pub use error::{ErrorDictionary, ServerError, ServerErrorCode};
pub use fields::{Fields, FieldsIntoIter};
pub use notification::{
    Alert, AlertDictionary, Aps, CloudKitPayload, DatabaseNotification, Notification,
    QueryNotification, ZoneNotification,
};
pub use operation::{
    LookupRecordsRequest, ModifyRecordsRequest, QueryRecordsRequest, QueryRecordsResponse,
    RecordChangesRequest, RecordChangesResponse, RecordLookup, RecordOperation,
    RecordOperationType, RecordsResponse,
};
pub use path::{DatabaseScope, Environment, UnknownDatabaseScope, UnknownEnvironment};
pub use query::{Comparator, FieldRef, Filter, Query, Sort, SystemField};
pub(crate) use record::AnyRecordElement;
pub use record::{
    Record, RecordEntry, RecordResult, RecordStamp, Tombstone, TypedRecordResult,
    decode_record_element,
};
pub use share::{
    AcceptanceStatus, ForRecord, Participant, ParticipantType, Permission, SHARE_RECORD_TYPE,
};
pub use short_guid::{
    PotentialMatch, ShortGuid, ShortGuidResult, ShortGuidsRequest, ShortGuidsResponse,
};
pub use subscription::{
    FiresOn, LookupSubscriptionsRequest, ModifySubscriptionsRequest, NotificationInfo,
    Subscription, SubscriptionLookup, SubscriptionOperation, SubscriptionOperationType,
    SubscriptionType, SubscriptionsResponse,
};
pub use token::{ApnsEnvironment, TokenCreateRequest, TokenCreateResponse, TokenRegisterRequest};
pub use typed_records::{AsRecord, TypedRecordsResponse};
pub use user::{
    CallerResponse, CurrentUserResponse, DiscoverRequest, DiscoverResponse, LookupInfo,
    NameComponents, User, UserIdentity, UsersLookupRequest, UsersLookupResponse,
};
pub(crate) use value::{
    B64, B64List, BytesIn, DoubleIn, ExactTag, FieldKey, FieldValueSeed, Int64In, Scratch,
};
pub use value::{FieldValue, RawJson, Value, WireType};
pub use zone::{
    Zone, ZoneOperation, ZoneOperationType, ZonesChangesRequest, ZonesChangesResponse,
    ZonesLookupRequest, ZonesModifyRequest, ZonesResponse,
};
