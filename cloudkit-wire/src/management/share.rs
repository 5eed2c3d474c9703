//! The sharing objects a v1 record may carry (spec §5.5). Enum-valued keys (participant type,
//! acceptance status, permission) are kept as the server's strings: CKTool JS reads them in
//! any casing, and a string keeps whatever casing arrived.

use serde::{Deserialize, Serialize};

/// One participant of a share (`ShareParticipant`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareParticipant {
    /// The participant's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<String>,
    /// Who it is (required).
    pub user_identity: UserIdentity,
    /// `OWNER`, `ADMINISTRATOR`, `USER`, `PUBLIC_USER` or `UNKNOWN`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub participant_type: Option<String>,
    /// `INVITED`, `ACCEPTED`, `REMOVED`, `UNSUBSCRIBED` or `UNKNOWN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance_status: Option<String>,
    /// `NONE`, `READ_ONLY`, `READ_WRITE` or `UNKNOWN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
}

/// A user as a share names them (`UserIdentity`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIdentity {
    /// The user record name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_record_name: Option<String>,
    /// The user's name parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_components: Option<UserNameComponents>,
    /// How the user was looked up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_info: Option<UserIdentityLookupInfo>,
}

/// How a user was found (`UserIdentityLookupInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIdentityLookupInfo {
    /// By user record name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_record_name: Option<String>,
    /// By email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    /// By phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

/// A user's name parts (`UserNameComponents`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserNameComponents {
    /// Given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Middle name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// Prefix, e.g. `Dr.`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_prefix: Option<String>,
    /// Suffix, e.g. `Jr.`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_suffix: Option<String>,
    /// Nickname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// Phonetic spelling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phonetic_representation: Option<String>,
}

/// A share's URL parts (`StableUrl`); Apple marks every key internal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StableUrl {
    /// Routing key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_key: Option<String>,
    /// Hash of the short token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_token_hash: Option<String>,
    /// The protected full token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protected_full_token: Option<String>,
    /// The encrypted public sharing key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted_public_sharing_key: Option<String>,
    /// The host name shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub displayed_hostname: Option<String>,
}
