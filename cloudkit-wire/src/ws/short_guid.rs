//! `records/resolve` / `records/accept`: shares looked up by their short GUIDs (§3.5–3.6).

use serde::{Deserialize, Serialize};

use super::error::ServerError;
use super::item;
use super::record::Record;
use super::share::{AcceptanceStatus, ParticipantType, Permission};
use super::user::{LookupInfo, UserIdentity};
use crate::zone::ZoneId;

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
    pub contact_information: Option<LookupInfo>,
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
