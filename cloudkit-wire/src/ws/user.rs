//! User dictionaries and the `users/*` endpoints (§3.22–3.28, §4.15).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::ServerError;
use super::item;

/// A lookup info dictionary: one of email address, phone number or user record name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LookupInfo {
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// User record name (`_...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_record_name: Option<String>,
}

impl LookupInfo {
    /// Look up by email address.
    pub fn email(address: impl Into<String>) -> Self {
        LookupInfo {
            email_address: Some(address.into()),
            ..LookupInfo::default()
        }
    }

    /// Look up by user record name.
    pub fn user_record_name(name: impl Into<String>) -> Self {
        LookupInfo {
            user_record_name: Some(name.into()),
            ..LookupInfo::default()
        }
    }
}

/// A name components dictionary.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NameComponents {
    /// E.g. "Dr.".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_prefix: Option<String>,
    /// Given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Middle name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// E.g. "Jr.".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_suffix: Option<String>,
    /// Nickname; Apple spells `nickname` (written), CloudKit JS `nickName` (accepted).
    #[serde(default, alias = "nickName", skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// Phonetic representation (shape undocumented, kept verbatim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phonetic_representation: Option<super::RawJson>,
}

/// A user identity dictionary.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIdentity {
    /// User record name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_record_name: Option<String>,
    /// How the user was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_info: Option<LookupInfo>,
    /// The user's name, if discoverable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_components: Option<NameComponents>,
}

/// A user dictionary of the legacy endpoints (`users/current`, `users/lookup/*`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// User record name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_record_name: Option<String>,
    /// First name (null if unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name (null if unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Email address (only from `users/lookup/email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
}

/// Response of `users/caller`.
///
/// Apple documents `{"users": [identity]}`; CloudKit JS reads the body itself as the identity.
/// Decoding accepts both. Encoding writes both at once (the identity's keys plus a `users`
/// array holding it), so that either kind of client finds what it expects.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CallerResponse {
    /// The caller.
    pub identity: UserIdentity,
}

impl Serialize for CallerResponse {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Both<'a> {
            #[serde(flatten)]
            identity: &'a UserIdentity,
            users: [&'a UserIdentity; 1],
        }
        Both {
            identity: &self.identity,
            users: [&self.identity],
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for CallerResponse {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Either {
            #[serde(default)]
            users: Option<Vec<UserIdentity>>,
            #[serde(default)]
            user_record_name: Option<String>,
            #[serde(default)]
            lookup_info: Option<LookupInfo>,
            #[serde(default)]
            name_components: Option<NameComponents>,
        }
        let either = Either::deserialize(d)?;
        let listed = either.users.and_then(|users| users.into_iter().next());
        let identity = listed.unwrap_or(UserIdentity {
            user_record_name: either.user_record_name,
            lookup_info: either.lookup_info,
            name_components: either.name_components,
        });
        Ok(CallerResponse { identity })
    }
}

/// Response of `users/current` (legacy): the user dictionary itself.
pub type CurrentUserResponse = User;

/// Body of `POST users/discover`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscoverRequest {
    /// Who to look up.
    pub lookup_infos: Vec<LookupInfo>,
}

/// Response of `users/discover` (GET and POST).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DiscoverResponse {
    /// One identity (or error) per lookup.
    #[serde(default, with = "item::results")]
    pub users: Vec<Result<UserIdentity, ServerError>>,
}

/// Body of `users/lookup/email` and `users/lookup/id` (deprecated endpoints).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct UsersLookupRequest {
    /// `{"emailAddress"}` or `{"userRecordName"}` per user.
    pub users: Vec<LookupInfo>,
}

/// Response of `users/lookup/*` (deprecated endpoints).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct UsersLookupResponse {
    /// One user (or error) per lookup.
    #[serde(default, with = "item::results")]
    pub users: Vec<Result<User, ServerError>>,
}
