//! Sharing dictionaries and `records/resolve` / `records/accept` (§3.5–3.6, §4.16).

use serde::{Deserialize, Serialize};

use super::error::ServerError;
use super::item;
use super::record::Record;
use super::user::UserIdentity;
use crate::vocabulary::wire_enum;
use crate::zone::ZoneId;

/// Record type of share records (lower-case `k`; `cloudKit.share` is rejected by the server).
pub const SHARE_RECORD_TYPE: &str = "cloudkit.share";

wire_enum! {
    /// Share permission (`publicPermission`, participant `permission`).
    open Permission {
        /// No access.
        None = "NONE",
        /// Read only.
        ReadOnly = "READ_ONLY",
        /// Read and write.
        ReadWrite = "READ_WRITE",
        /// Unknown.
        Unknown = "UNKNOWN",
    }
}

wire_enum! {
    /// Participant `type`; Apple's and CloudKit JS's vocabularies both decode.
    open ParticipantType {
        /// Owner.
        Owner = "OWNER",
        /// Administrator (Apple).
        Administrator = "ADMINISTRATOR",
        /// User (Apple).
        User = "USER",
        /// Private user (CloudKit JS).
        PrivateUser = "PRIVATE_USER",
        /// Public user.
        PublicUser = "PUBLIC_USER",
        /// Unknown.
        Unknown = "UNKNOWN",
    }
}

wire_enum! {
    /// Participant `acceptanceStatus`; Apple's and CloudKit JS's vocabularies both decode.
    open AcceptanceStatus {
        /// Invited (Apple).
        Invited = "INVITED",
        /// Pending (CloudKit JS).
        Pending = "PENDING",
        /// Accepted.
        Accepted = "ACCEPTED",
        /// Removed (Apple).
        Removed = "REMOVED",
        /// Unknown.
        Unknown = "UNKNOWN",
    }
}

/// A share participant dictionary.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    /// Who (requests may send only `lookupInfo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_identity: Option<UserIdentity>,
    /// Permission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<Permission>,
    /// Participant type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub participant_type: Option<ParticipantType>,
    /// Acceptance status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance_status: Option<AcceptanceStatus>,
    /// Server-side participant ID (first-party traffic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<String>,
}

/// `forRecord` on a share record: the root record being shared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ForRecord {
    /// Root record name.
    pub record_name: String,
    /// Root record's change tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_change_tag: Option<String>,
}

/// A ShortGUID dictionary (request side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShortGuid {
    /// The short GUID.
    pub value: String,
    /// Whether to return the root record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub should_fetch_root_record: Option<bool>,
    /// Fields of the root record to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_record_desired_keys: Option<Vec<String>>,
}

/// Body of `records/resolve` and `records/accept`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShortGuidsRequest {
    /// The shares.
    #[serde(rename = "shortGUIDs")]
    pub short_guids: Vec<ShortGuid>,
}

/// One contact suggestion in a ShortGUID result.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PotentialMatch {
    /// Participant ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<String>,
    /// `{"emailAddress", "phoneNumber"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_information: Option<super::user::LookupInfo>,
}

/// A ShortGUID result dictionary.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShortGuidResult {
    /// Container of the share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_identifier: Option<String>,
    /// Environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// `PRIVATE` or `SHARED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_scope: Option<String>,
    /// Zone of the shared records.
    #[serde(rename = "zoneID", default, skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<ZoneId>,
    /// Root record name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_record_name: Option<String>,
    /// Root record, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_record: Option<Record>,
    /// The share record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Record>,
    /// The short GUID.
    #[serde(rename = "shortGUID", default, skip_serializing_if = "Option::is_none")]
    pub short_guid: Option<String>,
    /// Owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_identity: Option<UserIdentity>,
    /// Caller's permission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_permission: Option<Permission>,
    /// Caller's acceptance status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_status: Option<AcceptanceStatus>,
    /// Caller's participant type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_type: Option<ParticipantType>,
    /// Contact suggestions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub potential_match_list: Option<Vec<PotentialMatch>>,
    /// Web page of the share.
    #[serde(
        rename = "webpageURL",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub webpage_url: Option<String>,
}

/// Response of `records/resolve` and `records/accept`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ShortGuidsResponse {
    /// One result (or error) per short GUID.
    #[serde(default, with = "item::results")]
    pub results: Vec<Result<ShortGuidResult, ServerError>>,
}
