//! Public-database permissions from the schema's grants (`_world`, `_icloud`, `_creator`).
//!
//! Private databases belong to their user, who may do anything in them. Custom roles have no
//! members in the emulator yet (assigning users to roles is a later piece).

use cloudkit_schema::{BuiltinRole, Permissions};

use crate::auth::Caller;
use crate::error::{ServerError, ServerErrorCode};
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

/// One of the three permissions a grant gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `READ`.
    Read,
    /// `CREATE`.
    Create,
    /// `WRITE`.
    Write,
}

impl Access {
    fn held(self, p: Permissions) -> bool {
        match self {
            Access::Read => p.read,
            Access::Create => p.create,
            Access::Write => p.write,
        }
    }

    fn keyword(self) -> &'static str {
        match self {
            Access::Read => "READ",
            Access::Create => "CREATE",
            Access::Write => "WRITE",
        }
    }
}

/// ACCESS_DENIED for a public-database record of `record_type` that `caller` may not
/// `access`, naming the roles the caller holds, the roles that have the permission, and where
/// the grants are written, so the fix (sign in, or a `GRANT` in the schema) is plain.
pub fn access_denied(
    access: Access,
    schema: &LiveSchema,
    record_type: &str,
    caller: &Caller,
    creator: Option<&str>,
) -> ServerError {
    let user = caller.user_record_name();
    let mut held = vec![BuiltinRole::World.name()];
    if let Some(me) = user {
        held.push(BuiltinRole::ICloud.name());
        if creator == Some(me) {
            held.push(BuiltinRole::Creator.name());
        }
    }
    let (granted, origin): (Vec<String>, String) = match schema.record_type(record_type) {
        Some(rt) => {
            let mut roles: Vec<String> = Vec::new();
            for g in rt.grants.iter().filter(|g| access.held(g.permissions)) {
                if !roles.contains(&g.role.value) {
                    roles.push(g.role.value.clone());
                }
            }
            let origin = match schema.declared_at(record_type) {
                Some(place) => format!("grants of RECORD TYPE {record_type} at {place}"),
                None => format!("grants of record type {record_type}, grown just in time"),
            };
            (roles, origin)
        }
        None => (
            JUST_IN_TIME
                .iter()
                .filter(|(_, p)| access.held(*p))
                .map(|(r, _)| r.name().to_owned())
                .collect(),
            "the grants CloudKit gives a record type created just in time".to_owned(),
        ),
    };
    let subject = match access {
        Access::Write => "write access denied for this record".to_owned(),
        Access::Create => format!("create access denied for record type {record_type}"),
        Access::Read => format!("read access denied for record type {record_type}"),
    };
    let keyword = access.keyword();
    let who = if granted.is_empty() {
        format!("no role has {keyword}")
    } else {
        format!("{keyword} is granted to {}", granted.join(", "))
    };
    let creator_note = if granted.iter().any(|r| r == BuiltinRole::Creator.name())
        && !held.contains(&BuiltinRole::Creator.name())
    {
        " (_creator is the user who created the record)"
    } else {
        ""
    };
    let fix = if user.is_none() && granted.iter().any(|r| r == BuiltinRole::ICloud.name()) {
        "; sign in".to_owned()
    } else {
        format!(
            "; to allow it, add GRANT {keyword} TO a role the caller holds and deploy the schema"
        )
    };
    ServerError::new(
        ServerErrorCode::AccessDenied,
        format!(
            "{subject}: the caller holds {}; {who}{creator_note} ({origin}){fix}",
            held.join(", ")
        ),
    )
}
