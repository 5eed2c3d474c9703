//! v1 records: the `Record` object, record results, and the bodies of createRecord, getRecord,
//! updateRecord and lookupRecords (spec §4.8, §5.1, §5.4).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::field_value::FieldValue;
use super::reference::{ForRecord, NullableReference, ZoneId};
use super::share::{ShareParticipant, StableUrl};

/// Field name to value; sorted, so bodies are stable.
pub type Fields = BTreeMap<String, FieldValue>;

/// Who changed a record and when. `timestamp` is ISO-8601 text; a number is refused, as
/// CKTool JS refuses it (spec §5.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeMetadata {
    /// When, ISO-8601 (e.g. `2024-01-01T12:00:00.000Z`).
    pub timestamp: String,
    /// The user record name of whoever made the change.
    pub user_record_name: String,
    /// The device (note `deviceId`; CKWS: `deviceID`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
}

/// A record as the v1 API returns it (`CKDBRecord`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    /// The name within its zone.
    pub record_name: String,
    /// The record type.
    pub record_type: String,
    /// The opaque version tag; pass it to updateRecord.
    pub record_change_tag: String,
    /// The fields returned (may be empty).
    pub fields: Fields,
    /// Creation.
    pub created: ChangeMetadata,
    /// Last modification.
    pub modified: ChangeMetadata,
    /// System fields the caller asked for (inferred meaning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_system_fields: Option<Fields>,
    /// The record's zone (note `zone`; CKWS: `zoneID`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<ZoneId>,
    /// Sharing id (note `shortGuid`; CKWS: `shortGUID`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_guid: Option<String>,
    /// The share this record belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<NullableReference>,
    /// The parent record (hierarchical sharing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<NullableReference>,
    /// A share's public permission: `NONE`, `READ_ONLY`, `READ_WRITE`, `UNKNOWN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_permission: Option<String>,
    /// A share's participants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<ShareParticipant>>,
    /// A share's owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<ShareParticipant>,
    /// The caller as a participant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_user_participant: Option<ShareParticipant>,
    /// A share's URL parts (Apple marks them internal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stable_url: Option<StableUrl>,
}

/// One entry of lookupRecords and queryRecordChanges: a union on `type`, matched exactly
/// (spec §5.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum RecordResult {
    /// The record exists (lookup) or was created or changed (changes).
    #[serde(rename_all = "camelCase")]
    Existing {
        /// Its name.
        record_name: String,
        /// The record.
        record: Box<Record>,
    },
    /// The record was deleted (changes; inferred also for lookup).
    #[serde(rename_all = "camelCase")]
    Deleted {
        /// Its name.
        record_name: String,
    },
    /// This record failed; the rest of the answer stands.
    #[serde(rename_all = "camelCase")]
    Error {
        /// Its name, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        record_name: Option<String>,
        /// A CKWS-like code, e.g. `NOT_FOUND` (inferred).
        error_code: String,
        /// Human-readable text.
        message: String,
    },
}

impl RecordResult {
    /// The record, for an `existing` result.
    pub fn record(&self) -> Option<&Record> {
        match self {
            RecordResult::Existing { record, .. } => Some(record),
            _ => None,
        }
    }
}

/// The answer of createRecord (201), getRecord and updateRecord (200).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordResponse {
    /// The record.
    pub record: Record,
}

/// The body of createRecord. Sharing keys are left out unless set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateRecordRequest {
    /// The name; the server picks a UUID when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_name: Option<String>,
    /// The record type.
    pub record_type: String,
    /// The values; fields not given are null.
    pub fields: Fields,
    /// The sharing keys (`createShortGuid`, `share`, `parent`, `forRecord`,
    /// `publicPermission`, `participants`), at this level of the JSON.
    #[serde(flatten)]
    pub sharing: RecordSharing,
}

impl CreateRecordRequest {
    /// A record of `record_type` with `fields`, named by the server.
    pub fn new(record_type: impl Into<String>, fields: Fields) -> Self {
        Self {
            record_type: record_type.into(),
            fields,
            ..Self::default()
        }
    }

    /// The same request with a chosen name.
    pub fn named(mut self, record_name: impl Into<String>) -> Self {
        self.record_name = Some(record_name.into());
        self
    }
}

/// The sharing keys createRecord and updateRecord both take (spec §4.8), all optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordSharing {
    /// Also make a short GUID (for sharing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_short_guid: Option<bool>,
    /// The share reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<NullableReference>,
    /// The parent record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<NullableReference>,
    /// On a share record: the root being shared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_record: Option<ForRecord>,
    /// A share's public permission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_permission: Option<String>,
    /// A share's participants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<ShareParticipant>>,
}

/// The body of updateRecord (`ModifyRecordRequest`). Whether absent fields are kept or cleared
/// is not documented (spec §4.8); send every field to be sure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModifyRecordRequest {
    /// The record type.
    pub record_type: String,
    /// The tag of the version last seen; required unless the call is forced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_change_tag: Option<String>,
    /// The values.
    pub fields: Fields,
    /// The sharing keys (`createShortGuid`, `share`, `parent`, `forRecord`,
    /// `publicPermission`, `participants`), at this level of the JSON.
    #[serde(flatten)]
    pub sharing: RecordSharing,
}

impl ModifyRecordRequest {
    /// An update of `record` (type and change tag kept) to `fields`.
    pub fn of(record: &Record, fields: Fields) -> Self {
        Self {
            record_type: record.record_type.clone(),
            record_change_tag: Some(record.record_change_tag.clone()),
            fields,
            ..Self::default()
        }
    }
}

/// The body of lookupRecords.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LookupRecordsRequest {
    /// The names, all in the path's zone.
    pub record_names: Vec<String>,
    /// Absent: every field; `[]`: metadata only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_fields: Option<Vec<String>>,
}

/// The answer of lookupRecords: one result per name (inferred: in request order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LookupRecordsResponse {
    /// The results.
    pub record_results: Vec<RecordResult>,
}
