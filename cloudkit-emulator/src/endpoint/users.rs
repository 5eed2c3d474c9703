//! `users/caller` and `users/current`. Discovery (`users/discover`, `users/lookup/*`) is a
//! later piece.

use cloudkit_runtime::wire::{CallerResponse, NameComponents, User, UserIdentity};

use super::Ctx;
use crate::auth::Caller;
use crate::error::ServerError;

fn given_name(caller: &Caller) -> Option<String> {
    match caller {
        Caller::User(u) => Some(u.name.clone()),
        _ => None,
    }
}

/// `users/caller`: the signed-in user's identity (sent in both shapes CloudKit clients read).
pub fn caller(ctx: &Ctx<'_>) -> Result<CallerResponse, ServerError> {
    let name = ctx
        .user_record_name()
        .ok_or_else(|| crate::auth::authentication_required(&ctx.shared.sign_in_url()))?;
    Ok(CallerResponse {
        identity: UserIdentity {
            user_record_name: Some(name.to_owned()),
            lookup_info: None,
            name_components: given_name(ctx.caller).map(|g| NameComponents {
                given_name: Some(g),
                ..NameComponents::default()
            }),
        },
    })
}

/// `users/current`: the legacy user dictionary.
pub fn current(ctx: &Ctx<'_>) -> Result<User, ServerError> {
    let name = ctx
        .user_record_name()
        .ok_or_else(|| crate::auth::authentication_required(&ctx.shared.sign_in_url()))?;
    Ok(User {
        user_record_name: Some(name.to_owned()),
        first_name: given_name(ctx.caller),
        last_name: None,
        email_address: None,
    })
}
