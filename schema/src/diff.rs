//! Schema diff: what changes between two versions of a container schema, and whether
//! CloudKit's production environment would accept the new version over the old (spec §13).
//!
//! Changes are named the way CloudKit's tools talk about them: record types, fields, indexes,
//! grants and roles are added, removed or changed. Each [`Change`] knows whether deploying it
//! to production would be refused ([`Change::production_blocker`]) and whether it deserves a
//! warning even though it is allowed ([`Change::production_caution`]).
//!
//! The six system fields count as present in every record type whether or not a file writes
//! them out, so a file that omits them differs from one that declares them only by the
//! indexes the declarations carry. Likewise the `Users` record type exists in every
//! container (spec §8.2): a file that leaves it out is compared as if it declared `Users`
//! with only its system fields and `roles`, so only fields an app added to `Users` (and
//! index options) can differ.
//!
//! ```
//! use cloudkit_schema::diff::diff;
//! use cloudkit_schema::Schema;
//!
//! let unchanged = diff(&Schema::default(), &Schema::default());
//! assert!(unchanged.is_empty());
//! assert!(unchanged.is_deployable());
//! ```

mod change;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

pub use change::{Blocker, Caution, Change, IndexKind, Retype, SchemaDiff};

use crate::model::{
    ElementType, Field, FieldType, Indexes, RecordType, ScalarType, Schema, SystemField,
};

/// Every change that turns `old` into `new`, in the order described on [`SchemaDiff`].
///
/// Both schemas should have passed the checks; on a schema with duplicate names, the first
/// record type, field or role of each name is compared and the rest are ignored.
pub fn diff(old: &Schema, new: &Schema) -> SchemaDiff {
    let mut changes = Vec::new();

    let old_roles: BTreeSet<&str> = old.roles.iter().map(|r| r.name.as_str()).collect();
    let new_roles: BTreeSet<&str> = new.roles.iter().map(|r| r.name.as_str()).collect();
    for role in old_roles.union(&new_roles) {
        match (old_roles.contains(role), new_roles.contains(role)) {
            (true, false) => changes.push(Change::RoleRemoved {
                role: (*role).to_owned(),
            }),
            (false, true) => changes.push(Change::RoleAdded {
                role: (*role).to_owned(),
            }),
            _ => {}
        }
    }

    let type_names: BTreeSet<&str> = old
        .record_types
        .iter()
        .chain(&new.record_types)
        .map(|r| r.name.as_str())
        .collect();
    for name in type_names {
        match (old.record_type(name), new.record_type(name)) {
            (Some(before), None) if name == USERS => {
                diff_record_type(before, &implicit_users(before), &mut changes);
            }
            (None, Some(after)) if name == USERS => {
                diff_record_type(&implicit_users(after), after, &mut changes);
            }
            (Some(_), None) => changes.push(Change::RecordTypeRemoved {
                record_type: name.to_owned(),
            }),
            (None, Some(_)) => changes.push(Change::RecordTypeAdded {
                record_type: name.to_owned(),
            }),
            (Some(before), Some(after)) => diff_record_type(before, after, &mut changes),
            (None, None) => {}
        }
    }

    SchemaDiff { changes }
}

/// The record type CloudKit creates in every container (spec §8.2).
const USERS: &str = "Users";

/// What a file that leaves `Users` out says about it: the type exists with its system
/// fields and its system-managed `roles` field, and nothing about its grants. The grants
/// are copied from `declared` so that leaving the type out never reads as a grant change
/// *(unconfirmed: what an import does with the grants of an omitted `Users`)*.
fn implicit_users(declared: &RecordType) -> RecordType {
    let roles = declared
        .field(USERS_ROLES)
        .filter(|f| f.field_type == users_roles_type())
        .map(|f| Field {
            // The file that omits `Users` cannot have written index options on `roles`.
            indexes: Indexes::default(),
            declared: false,
            repeated_options: Vec::new(),
            ..f.clone()
        });
    RecordType {
        name: declared.name.clone(),
        fields: roles.into_iter().collect(),
        grants: declared.grants.clone(),
        span: declared.span,
    }
}

/// The system-managed field of `Users` that holds custom-role memberships.
const USERS_ROLES: &str = "roles";

fn users_roles_type() -> FieldType {
    FieldType::List(ElementType::plain(ScalarType::Int64))
}

/// A field as the diff sees it: declared, or one of the system fields a file left implicit.
struct FieldView {
    field_type: FieldType,
    indexes: Indexes,
}

impl FieldView {
    fn of(record_type: &RecordType, name: &str) -> Option<FieldView> {
        if let Some(field) = record_type.field(name) {
            return Some(FieldView::from(field));
        }
        // A parser may or may not materialise implicit system fields; either way they exist.
        SystemField::from_schema_name(name).map(|system| FieldView {
            field_type: system.field_type(),
            indexes: Indexes::default(),
        })
    }
}

impl From<&Field> for FieldView {
    fn from(field: &Field) -> Self {
        FieldView {
            field_type: field.field_type,
            indexes: field.indexes,
        }
    }
}

fn diff_record_type(old: &RecordType, new: &RecordType, changes: &mut Vec<Change>) {
    let record_type = old.name.as_str();
    let field_names: BTreeSet<&str> = old
        .fields
        .iter()
        .chain(&new.fields)
        .map(|f| f.name.as_str())
        .collect();

    for name in field_names {
        let field = || name.to_owned();
        let rt = || record_type.to_owned();
        match (FieldView::of(old, name), FieldView::of(new, name)) {
            (Some(before), None) => changes.push(Change::FieldRemoved {
                record_type: rt(),
                field: field(),
                field_type: before.field_type,
            }),
            (None, Some(after)) => changes.push(Change::FieldAdded {
                record_type: rt(),
                field: field(),
                field_type: after.field_type,
                indexes: IndexKind::ALL
                    .into_iter()
                    .filter(|index| index.is_set_in(&after.indexes))
                    .collect(),
            }),
            (Some(before), Some(after)) => {
                if before.field_type != after.field_type {
                    changes.push(Change::FieldRetyped {
                        record_type: rt(),
                        field: field(),
                        old: before.field_type,
                        new: after.field_type,
                        reason: retype_reason(name, before.field_type, after.field_type),
                    });
                }
                for index in IndexKind::ALL {
                    match (
                        index.is_set_in(&before.indexes),
                        index.is_set_in(&after.indexes),
                    ) {
                        (false, true) => changes.push(Change::IndexAdded {
                            record_type: rt(),
                            field: field(),
                            index,
                        }),
                        (true, false) => changes.push(Change::IndexRemoved {
                            record_type: rt(),
                            field: field(),
                            index,
                        }),
                        _ => {}
                    }
                }
            }
            (None, None) => {}
        }
    }

    let roles: BTreeSet<&str> = old
        .grants
        .iter()
        .chain(&new.grants)
        .map(|g| g.role.as_str())
        .collect();
    for role in roles {
        let before = old.permissions_for(role);
        let after = new.permissions_for(role);
        if before != after {
            changes.push(Change::GrantChanged {
                record_type: record_type.to_owned(),
                role: role.to_owned(),
                old: before,
                new: after,
            });
        }
    }
}

fn retype_reason(field: &str, old: FieldType, new: FieldType) -> Retype {
    if SystemField::from_schema_name(field).is_some() {
        return Retype::SystemField;
    }
    let same_shape = old.is_list() == new.is_list();
    let (before, after): (ElementType, ElementType) = (old.element(), new.element());
    if same_shape && before.scalar == after.scalar && before.encrypted != after.encrypted {
        return Retype::EncryptionToggled;
    }
    match (before.scalar, after.scalar) {
        (ScalarType::Number(None), ScalarType::Number(Some(_)))
            if same_shape && before.encrypted == after.encrypted =>
        {
            Retype::PreferenceSet
        }
        (ScalarType::Number(_), ScalarType::Number(_))
            if same_shape && before.encrypted == after.encrypted =>
        {
            Retype::PreferenceChanged
        }
        _ => Retype::TypeChanged,
    }
}
