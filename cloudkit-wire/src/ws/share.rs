//! Sharing dictionaries: the keys of share records (`cloudkit.share`) and their participants
//! (§4.16).

use serde::{Deserialize, Serialize};

use super::user::UserIdentity;
use crate::vocabulary::wire_enum;

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
