//! Public-database permissions from the schema's grants (`_world`, `_icloud`, `_creator`).
//!
//! Private databases belong to their user, who may do anything in them. Custom roles have no
//! members in the emulator yet (assigning users to roles is a later piece).

use cloudkit_schema::{BuiltinRole, Permissions};

use crate::auth::Caller;
use crate::schema::LiveSchema;
use cloudkit_wire::ws::DatabaseScope;

/// The grants CloudKit gives a record type created just in time.
const JUST_IN_TIME: [(BuiltinRole, Permissions); 3] = [
    (
        BuiltinRole::World,
        Permissions {
            read: true,
            create: false,
            write: false,
        },
    ),
    (
        BuiltinRole::ICloud,
        Permissions {
            read: false,
            create: true,
            write: false,
        },
    ),
    (
        BuiltinRole::Creator,
        Permissions {
            read: false,
            create: false,
            write: true,
        },
    ),
];

/// What `caller` may do with records of `record_type` created by `creator` (`None` for a
/// record that does not exist yet).
pub fn permissions(
    scope: DatabaseScope,
    schema: &LiveSchema,
    record_type: &str,
    caller: &Caller,
    creator: Option<&str>,
) -> Permissions {
    user_permissions(
        scope,
        schema,
        record_type,
        caller.user_record_name(),
        creator,
    )
}

/// What the user `user` (`None`: an anonymous caller) may do with records of `record_type`
/// created by `creator`: the same rules for a subscriber as for a caller.
pub fn user_permissions(
    scope: DatabaseScope,
    schema: &LiveSchema,
    record_type: &str,
    user: Option<&str>,
    creator: Option<&str>,
) -> Permissions {
    if scope != DatabaseScope::Public {
        return Permissions {
            read: true,
            create: true,
            write: true,
        };
    }
    let roles = |role: BuiltinRole| -> Permissions {
        match schema.record_type(record_type) {
            Some(rt) => rt.permissions_for(role.name()),
            None => JUST_IN_TIME
                .iter()
                .find(|(r, _)| *r == role)
                .map_or(Permissions::default(), |(_, p)| *p),
        }
    };
    let mut p = roles(BuiltinRole::World);
    if let Some(me) = user {
        p = p.union(roles(BuiltinRole::ICloud));
        if creator == Some(me) {
            p = p.union(roles(BuiltinRole::Creator));
        }
    }
    p
}
