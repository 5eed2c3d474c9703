//! `users/caller`, `users/current`, `users/discover` and `users/lookup/{email,id}` (spec
//! §3.22–3.27), answered from the emulator's [`Directory`](crate::directory::Directory).
//!
//! Discovery answers only discoverable users other than unknown ones: a lookup info that
//! matches nobody (or a user who is not discoverable) is left out of `users/discover`, as
//! CloudKit returns identities only for the users it found; the legacy `users/lookup/*`
//! endpoints answer such an element with a per-item `NOT_FOUND` instead.

use cloudkit_wire::ws::{
    CallerResponse, DiscoverRequest, DiscoverResponse, LookupInfo, NameComponents, User,
    UserIdentity, UsersLookupRequest, UsersLookupResponse,
};

use super::context::Ctx;
use super::limits::check_count;
use crate::auth::Caller;
use crate::directory::TestUser;
use crate::error::item_error;
use crate::error::{ServerError, ServerErrorCode};

fn signed_in<'c>(ctx: &'c Ctx<'_>) -> Result<(&'c str, Option<TestUser>), ServerError> {
    let name = ctx
        .user_record_name()
        .ok_or_else(|| crate::auth::authentication_required(&ctx.shared.sign_in_url()))?;
    let known = match ctx.caller {
        Caller::User(u) => ctx.shared.directory.by_name(&u.name).cloned(),
        _ => None,
    };
    Ok((name, known))
}

fn given_name(caller: &Caller) -> Option<String> {
    match caller {
        Caller::User(u) => Some(u.name.clone()),
        _ => None,
    }
}

/// `users/caller`: the signed-in user's identity (sent in both shapes CloudKit clients read).
pub fn caller(ctx: &Ctx<'_>) -> Result<CallerResponse, ServerError> {
    let (name, known) = signed_in(ctx)?;
    let identity = match known {
        Some(user) => user.identity(Some(LookupInfo::email(user.email.clone()))),
        None => UserIdentity {
            user_record_name: Some(name.to_owned()),
            lookup_info: None,
            name_components: given_name(ctx.caller).map(|g| NameComponents {
                given_name: Some(g),
                ..NameComponents::default()
            }),
        },
    };
    Ok(CallerResponse { identity })
}

/// `users/current`: the legacy user dictionary.
pub fn current(ctx: &Ctx<'_>) -> Result<User, ServerError> {
    let (name, known) = signed_in(ctx)?;
    Ok(match known {
        Some(user) => user.legacy(false),
        None => User {
            user_record_name: Some(name.to_owned()),
            first_name: given_name(ctx.caller),
            last_name: None,
            email_address: None,
        },
    })
}

/// Discovery needs a signed-in user: server-to-server keys are refused (spec §3.25).
fn discovering_user(ctx: &Ctx<'_>) -> Result<(), ServerError> {
    match ctx.caller {
        Caller::User(_) => Ok(()),
        Caller::ServerKey { .. } => Err(ServerError::new(
            ServerErrorCode::AuthenticationFailed,
            "user discovery needs a signed-in user; server-to-server keys cannot discover users",
        )),
        Caller::Anonymous => Err(crate::auth::authentication_required(
            &ctx.shared.sign_in_url(),
        )),
    }
}

fn check_lookup_info(info: &LookupInfo) -> Result<(), ServerError> {
    let given = [
        info.email_address.is_some(),
        info.phone_number.is_some(),
        info.user_record_name.is_some(),
    ]
    .into_iter()
    .filter(|b| *b)
    .count();
    if given != 1 {
        return Err(ServerError::bad_request(
            "each lookup info needs exactly one of emailAddress, phoneNumber, userRecordName",
        ));
    }
    Ok(())
}

/// `users/discover`: with a body, the discoverable users the lookup infos name; without one
/// (GET), every discoverable user.
pub fn discover(
    ctx: &Ctx<'_>,
    request: Option<DiscoverRequest>,
) -> Result<DiscoverResponse, ServerError> {
    discovering_user(ctx)?;
    let directory = &ctx.shared.directory;
    let users = match request {
        None => directory
            .users()
            .iter()
            .filter(|u| u.discoverable)
            .map(|u| Ok(u.identity(Some(LookupInfo::email(u.email.clone())))))
            .collect(),
        Some(request) => {
            check_count("lookup infos", request.lookup_infos.len())?;
            for info in &request.lookup_infos {
                check_lookup_info(info)?;
            }
            request
                .lookup_infos
                .into_iter()
                .filter_map(|info| {
                    let user = directory.find(&info).filter(|u| u.discoverable)?;
                    Some(Ok(user.identity(Some(info))))
                })
                .collect()
        }
    };
    Ok(DiscoverResponse { users })
}

/// `users/lookup/email` (`by_email`) and `users/lookup/id`: legacy user dictionaries, one per
/// element, `NOT_FOUND` for users that do not exist or are not discoverable.
pub fn lookup(
    ctx: &Ctx<'_>,
    request: UsersLookupRequest,
    by_email: bool,
) -> Result<UsersLookupResponse, ServerError> {
    discovering_user(ctx)?;
    check_count("users", request.users.len())?;
    let directory = &ctx.shared.directory;
    let mut users = Vec::with_capacity(request.users.len());
    for info in request.users {
        let key = if by_email {
            info.email_address.clone()
        } else {
            info.user_record_name.clone()
        };
        let Some(key) = key else {
            let wanted = if by_email {
                "emailAddress"
            } else {
                "userRecordName"
            };
            return Err(ServerError::bad_request(format!(
                "each element of users needs {wanted}"
            )));
        };
        let lookup = if by_email {
            LookupInfo::email(key.clone())
        } else {
            LookupInfo::user_record_name(key.clone())
        };
        match directory.find(&lookup).filter(|u| u.discoverable) {
            Some(user) => users.push(Ok(user.legacy(by_email))),
            None => users.push(Err(item_error(&ServerError::new(
                ServerErrorCode::NotFound,
                format!("no discoverable user '{key}'"),
            )))),
        }
    }
    Ok(UsersLookupResponse { users })
}

/// The body of `users/lookup/contacts`: CloudKit documents no keys (spec §3.28), so any are
/// ignored; it must still be a JSON object.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ContactsRequest {}

/// `users/lookup/contacts`: the users in the caller's address book. CloudKit matches them
/// against contacts a device uploaded; a web session has none to offer, and neither has an
/// emulator test user, so the answer is the documented shape with no users, never an error
/// that a client would retry.
pub fn lookup_contacts(
    ctx: &Ctx<'_>,
    _request: ContactsRequest,
) -> Result<UsersLookupResponse, ServerError> {
    discovering_user(ctx)?;
    Ok(UsersLookupResponse { users: Vec::new() })
}
