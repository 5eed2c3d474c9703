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

use std::collections::BTreeSet;
use std::fmt;

use crate::model::{
    ElementType, Field, FieldType, Indexes, Permissions, RecordType, ScalarType, Schema,
    SystemField,
};

/// Every change from one schema to another, in a stable order.
///
/// Role changes come first (by role name); then, record type by record type (by name, in
/// code-point order), the record type's own addition or removal, its field changes (by
/// field name; for one field: addition, removal or type change first, then index changes in
/// the order QUERYABLE, SEARCHABLE, SORTABLE), and last its grant changes (by role name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaDiff {
    changes: Vec<Change>,
}

impl SchemaDiff {
    /// The changes, in the order described on [`SchemaDiff`].
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Whether the two schemas mean the same thing.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The number of changes.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// The changes production would refuse, each with its reason.
    pub fn production_blockers(&self) -> impl Iterator<Item = (&Change, Blocker)> {
        self.changes
            .iter()
            .filter_map(|c| c.production_blocker().map(|b| (c, b)))
    }

    /// Whether production would accept the new schema over the old one.
    pub fn is_deployable(&self) -> bool {
        self.production_blockers().next().is_none()
    }
}

impl<'a> IntoIterator for &'a SchemaDiff {
    type Item = &'a Change;
    type IntoIter = std::slice::Iter<'a, Change>;

    fn into_iter(self) -> Self::IntoIter {
        self.changes.iter()
    }
}

/// One change between two schema versions.
///
/// Names are stored without quotes. Record type, field and role names are compared exactly
/// (case matters, quoting does not; spec §3.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A `CREATE ROLE` that the old schema did not have.
    RoleAdded {
        /// The role's name.
        role: String,
    },
    /// A custom role the new schema no longer declares.
    RoleRemoved {
        /// The role's name.
        role: String,
    },
    /// A record type the old schema did not have. Its fields and grants come with it and
    /// are not listed as separate changes.
    RecordTypeAdded {
        /// The record type's name.
        record_type: String,
    },
    /// A record type the new schema no longer has.
    RecordTypeRemoved {
        /// The record type's name.
        record_type: String,
    },
    /// A field added to a record type that exists on both sides. Its index options come
    /// with it and are not listed as separate changes.
    FieldAdded {
        /// The record type's name.
        record_type: String,
        /// The field's name.
        field: String,
        /// Its type.
        field_type: FieldType,
        /// The index options it is added with.
        indexes: Vec<IndexKind>,
    },
    /// A field removed from a record type that exists on both sides.
    FieldRemoved {
        /// The record type's name.
        record_type: String,
        /// The field's name.
        field: String,
        /// The type it had.
        field_type: FieldType,
    },
    /// A field whose declared type is different.
    FieldRetyped {
        /// The record type's name.
        record_type: String,
        /// The field's name.
        field: String,
        /// The type in the old schema.
        old: FieldType,
        /// The type in the new schema.
        new: FieldType,
        /// What kind of type change it is.
        reason: Retype,
    },
    /// An index option the field did not have before.
    IndexAdded {
        /// The record type's name.
        record_type: String,
        /// The field's name.
        field: String,
        /// Which index.
        index: IndexKind,
    },
    /// An index option the field no longer has.
    IndexRemoved {
        /// The record type's name.
        record_type: String,
        /// The field's name.
        field: String,
        /// Which index.
        index: IndexKind,
    },
    /// Different public-database permissions for one role on one record type. Several
    /// clauses for one role are added up first, so splitting or merging clauses is no change.
    GrantChanged {
        /// The record type's name.
        record_type: String,
        /// The role, built-in (`_world`) or custom.
        role: String,
        /// The permissions before (empty when the role had no grant).
        old: Permissions,
        /// The permissions after (empty when the grant was removed).
        new: Permissions,
    },
}

/// What kind of type change a [`Change::FieldRetyped`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Retype {
    /// A different scalar type or list-ness, e.g. `INT64` to `STRING`.
    TypeChanged,
    /// Only `ENCRYPTED` differs.
    EncryptionToggled,
    /// `NUMBER PREFERRED AS X` became `NUMBER PREFERRED AS Y`, or lost its preference.
    PreferenceChanged,
    /// A bare `NUMBER` gained a `PREFERRED AS`. Recording a first preference is how
    /// CloudKit expects the choice to be made, so it is not treated as a change of a set
    /// preference *(unconfirmed)*.
    PreferenceSet,
    /// One of the six system fields has a different type (a checked schema never does).
    SystemField,
}

/// One of the three index options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndexKind {
    /// `QUERYABLE`.
    Queryable,
    /// `SEARCHABLE`.
    Searchable,
    /// `SORTABLE`.
    Sortable,
}

impl IndexKind {
    /// All three, in the order exports write them.
    pub const ALL: [IndexKind; 3] = [
        IndexKind::Queryable,
        IndexKind::Searchable,
        IndexKind::Sortable,
    ];

    /// The option keyword, e.g. `QUERYABLE`.
    pub fn keyword(self) -> &'static str {
        match self {
            IndexKind::Queryable => "QUERYABLE",
            IndexKind::Searchable => "SEARCHABLE",
            IndexKind::Sortable => "SORTABLE",
        }
    }

    /// Whether `indexes` has this option.
    pub fn is_set_in(self, indexes: &Indexes) -> bool {
        match self {
            IndexKind::Queryable => indexes.is_queryable(),
            IndexKind::Searchable => indexes.is_searchable(),
            IndexKind::Sortable => indexes.is_sortable(),
        }
    }
}

impl fmt::Display for IndexKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// Why production would refuse a change (spec §13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Blocker {
    /// Removing a record type that exists in production loses its records.
    RecordTypeRemoved,
    /// Removing a field that exists in production loses its values.
    FieldRemoved,
    /// Changing the type of an existing field.
    TypeChanged,
    /// Turning encryption on or off for an existing field needs a development reset.
    EncryptionToggled,
    /// A `NUMBER PREFERRED AS` choice cannot change once it is set.
    PreferenceChanged,
    /// A system field's type is fixed.
    SystemFieldType,
}

impl fmt::Display for Blocker {
    /// A sentence fragment saying why, suitable after "production would refuse this: ".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Blocker::RecordTypeRemoved => {
                "removing a record type that exists in production would lose its records"
            }
            Blocker::FieldRemoved => {
                "removing a field that exists in production would lose its values"
            }
            Blocker::TypeChanged => "the type of an existing field cannot change",
            Blocker::EncryptionToggled => {
                "encryption cannot be turned on or off for an existing field"
            }
            Blocker::PreferenceChanged => "a NUMBER's PREFERRED AS cannot change once set",
            Blocker::SystemFieldType => "the type of a system field cannot change",
        })
    }
}

/// Why a change that production accepts may still need care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Caution {
    /// Queries that filter, sort or search on the index fail once it is gone.
    IndexRemoved,
    /// Whether production accepts a first `PREFERRED AS` on a bare `NUMBER` is not known.
    PreferenceSet,
}

impl fmt::Display for Caution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Caution::IndexRemoved => "queries that use this index will fail at run time",
            Caution::PreferenceSet => "setting a first PREFERRED AS is assumed to be allowed",
        })
    }
}

impl Change {
    /// Why production would refuse this change, or `None` when it is allowed.
    pub fn production_blocker(&self) -> Option<Blocker> {
        match self {
            Change::RecordTypeRemoved { .. } => Some(Blocker::RecordTypeRemoved),
            Change::FieldRemoved { .. } => Some(Blocker::FieldRemoved),
            Change::FieldRetyped { reason, .. } => match reason {
                Retype::TypeChanged => Some(Blocker::TypeChanged),
                Retype::EncryptionToggled => Some(Blocker::EncryptionToggled),
                Retype::PreferenceChanged => Some(Blocker::PreferenceChanged),
                Retype::SystemField => Some(Blocker::SystemFieldType),
                Retype::PreferenceSet => None,
            },
            Change::RoleAdded { .. }
            | Change::RoleRemoved { .. }
            | Change::RecordTypeAdded { .. }
            | Change::FieldAdded { .. }
            | Change::IndexAdded { .. }
            | Change::IndexRemoved { .. }
            | Change::GrantChanged { .. } => None,
        }
    }

    /// A caution about an allowed change, or `None`.
    pub fn production_caution(&self) -> Option<Caution> {
        match self {
            Change::IndexRemoved { .. } => Some(Caution::IndexRemoved),
            Change::FieldRetyped {
                reason: Retype::PreferenceSet,
                ..
            } => Some(Caution::PreferenceSet),
            _ => None,
        }
    }

    /// The record type the change belongs to, or `None` for role changes.
    pub fn record_type(&self) -> Option<&str> {
        match self {
            Change::RoleAdded { .. } | Change::RoleRemoved { .. } => None,
            Change::RecordTypeAdded { record_type }
            | Change::RecordTypeRemoved { record_type }
            | Change::FieldAdded { record_type, .. }
            | Change::FieldRemoved { record_type, .. }
            | Change::FieldRetyped { record_type, .. }
            | Change::IndexAdded { record_type, .. }
            | Change::IndexRemoved { record_type, .. }
            | Change::GrantChanged { record_type, .. } => Some(record_type),
        }
    }
}

impl fmt::Display for Change {
    /// One line, e.g. `field Note.title added: STRING` or
    /// `grant to _world on Note changed: READ -> READ, WRITE`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::RoleAdded { role } => write!(f, "role {role} added"),
            Change::RoleRemoved { role } => write!(f, "role {role} removed"),
            Change::RecordTypeAdded { record_type } => {
                write!(f, "record type {record_type} added")
            }
            Change::RecordTypeRemoved { record_type } => {
                write!(f, "record type {record_type} removed")
            }
            Change::FieldAdded {
                record_type,
                field,
                field_type,
                indexes,
            } => {
                write!(f, "field {record_type}.{field} added: {field_type}")?;
                indexes.iter().try_for_each(|index| write!(f, " {index}"))
            }
            Change::FieldRemoved {
                record_type,
                field,
                field_type,
            } => write!(f, "field {record_type}.{field} removed (was {field_type})"),
            Change::FieldRetyped {
                record_type,
                field,
                old,
                new,
                reason,
            } => {
                let (subject, verb) = match reason {
                    Retype::TypeChanged => ("field", "changed type"),
                    Retype::EncryptionToggled if new.is_encrypted() => {
                        ("field", "turned encryption on")
                    }
                    Retype::EncryptionToggled => ("field", "turned encryption off"),
                    Retype::PreferenceChanged => ("field", "changed PREFERRED AS"),
                    Retype::PreferenceSet => ("field", "set PREFERRED AS"),
                    Retype::SystemField => ("system field", "changed type"),
                };
                write!(f, "{subject} {record_type}.{field} {verb}: {old} -> {new}")
            }
            Change::IndexAdded {
                record_type,
                field,
                index,
            } => write!(f, "index {index} added on {record_type}.{field}"),
            Change::IndexRemoved {
                record_type,
                field,
                index,
            } => write!(f, "index {index} removed from {record_type}.{field}"),
            Change::GrantChanged {
                record_type,
                role,
                old,
                new,
            } => write!(
                f,
                "grant to {role} on {record_type} changed: {} -> {}",
                PermissionsOrNone(*old),
                PermissionsOrNone(*new)
            ),
        }
    }
}

/// Writes `none` for an empty permission set, so that a line never ends in a bare arrow.
struct PermissionsOrNone(Permissions);

impl fmt::Display for PermissionsOrNone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("none")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Grant, Name, NumberPreference, Role, Span};

    fn name(value: &str) -> Name {
        Name {
            value: value.to_owned(),
            quoted: value.starts_with('_'),
            span: Span::default(),
        }
    }

    fn plain(scalar: ScalarType) -> FieldType {
        FieldType::Element(ElementType::plain(scalar))
    }

    fn encrypted(scalar: ScalarType) -> FieldType {
        FieldType::Element(ElementType {
            scalar,
            encrypted: true,
        })
    }

    /// A field from `options`, a string of `Q`, `S` (searchable) and `R` (range/sortable).
    fn field(field_name: &str, field_type: FieldType, options: &str) -> Field {
        let on = |c| options.contains(c).then(Span::default);
        Field {
            name: name(field_name),
            field_type,
            type_span: Span::default(),
            indexes: Indexes {
                queryable: on('Q'),
                searchable: on('S'),
                sortable: on('R'),
            },
            declared: true,
            span: Span::default(),
            repeated_options: Vec::new(),
        }
    }

    fn grant(role: &str, read: bool, create: bool, write: bool) -> Grant {
        Grant {
            permissions: Permissions {
                read,
                create,
                write,
            },
            role: name(role),
            span: Span::default(),
            repeated_permissions: Vec::new(),
        }
    }

    fn record_type(type_name: &str, fields: Vec<Field>, grants: Vec<Grant>) -> RecordType {
        RecordType {
            name: name(type_name),
            fields,
            grants,
            span: Span::default(),
        }
    }

    fn schema(roles: &[&str], record_types: Vec<RecordType>) -> Schema {
        Schema {
            roles: roles
                .iter()
                .map(|r| Role {
                    name: name(r),
                    span: Span::default(),
                })
                .collect(),
            record_types,
        }
    }

    fn note(fields: Vec<Field>) -> Schema {
        schema(&[], vec![record_type("Note", fields, vec![])])
    }

    fn lines(d: &SchemaDiff) -> Vec<String> {
        d.changes().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn identical_schemas_have_no_changes() {
        let s = note(vec![field("title", plain(ScalarType::String), "QSR")]);
        let d = diff(&s, &s);
        assert!(d.is_empty());
        assert!(d.is_deployable());
    }

    #[test]
    fn record_type_added_is_allowed() {
        let d = diff(&schema(&[], vec![]), &note(vec![]));
        assert_eq!(lines(&d), ["record type Note added"]);
        assert_eq!(d.changes()[0].production_blocker(), None);
        assert!(d.is_deployable());
    }

    #[test]
    fn record_type_removed_blocks() {
        let d = diff(&note(vec![]), &schema(&[], vec![]));
        assert_eq!(lines(&d), ["record type Note removed"]);
        assert_eq!(
            d.changes()[0].production_blocker(),
            Some(Blocker::RecordTypeRemoved)
        );
        assert!(!d.is_deployable());
    }

    #[test]
    fn field_added_is_allowed_and_removed_blocks() {
        let without = note(vec![]);
        let with = note(vec![field(
            "tags",
            FieldType::List(ElementType::plain(ScalarType::String)),
            "QS",
        )]);
        let added = diff(&without, &with);
        assert_eq!(
            lines(&added),
            ["field Note.tags added: LIST<STRING> QUERYABLE SEARCHABLE"]
        );
        assert_eq!(
            added.len(),
            1,
            "the new field's indexes are not separate changes"
        );
        assert!(added.is_deployable());

        let removed = diff(&with, &without);
        assert_eq!(
            lines(&removed),
            ["field Note.tags removed (was LIST<STRING>)"]
        );
        assert_eq!(
            removed.changes()[0].production_blocker(),
            Some(Blocker::FieldRemoved)
        );
    }

    #[test]
    fn type_change_blocks() {
        let d = diff(
            &note(vec![field("pinned", plain(ScalarType::Int64), "")]),
            &note(vec![field("pinned", plain(ScalarType::String), "")]),
        );
        assert_eq!(
            lines(&d),
            ["field Note.pinned changed type: INT64 -> STRING"]
        );
        assert_eq!(
            d.changes()[0].production_blocker(),
            Some(Blocker::TypeChanged)
        );
    }

    #[test]
    fn list_versus_single_value_is_a_type_change() {
        let d = diff(
            &note(vec![field("tags", plain(ScalarType::String), "")]),
            &note(vec![field(
                "tags",
                FieldType::List(ElementType::plain(ScalarType::String)),
                "",
            )]),
        );
        assert!(matches!(
            d.changes(),
            [Change::FieldRetyped {
                reason: Retype::TypeChanged,
                ..
            }]
        ));
    }

    #[test]
    fn encryption_toggle_blocks_both_ways() {
        let plain_body = note(vec![field("body", plain(ScalarType::String), "")]);
        let secret_body = note(vec![field("body", encrypted(ScalarType::String), "")]);
        let on = diff(&plain_body, &secret_body);
        assert_eq!(
            lines(&on),
            ["field Note.body turned encryption on: STRING -> ENCRYPTED STRING"]
        );
        assert_eq!(
            on.changes()[0].production_blocker(),
            Some(Blocker::EncryptionToggled)
        );
        let off = diff(&secret_body, &plain_body);
        assert_eq!(
            lines(&off),
            ["field Note.body turned encryption off: ENCRYPTED STRING -> STRING"]
        );
        assert!(!off.is_deployable());
    }

    #[test]
    fn encryption_and_scalar_change_together_is_a_type_change() {
        let d = diff(
            &note(vec![field("n", plain(ScalarType::String), "")]),
            &note(vec![field("n", encrypted(ScalarType::Int64), "")]),
        );
        assert_eq!(
            d.changes()[0].production_blocker(),
            Some(Blocker::TypeChanged)
        );
    }

    #[test]
    fn preference_change_blocks_but_first_preference_is_allowed() {
        let number = |p| plain(ScalarType::Number(p));
        let as_int = note(vec![field("n", number(Some(NumberPreference::Int64)), "")]);
        let as_double = note(vec![field("n", number(Some(NumberPreference::Double)), "")]);
        let bare = note(vec![field("n", number(None), "")]);

        let changed = diff(&as_int, &as_double);
        assert_eq!(
            lines(&changed),
            [
                "field Note.n changed PREFERRED AS: NUMBER PREFERRED AS INT64 -> NUMBER PREFERRED AS DOUBLE"
            ]
        );
        assert_eq!(
            changed.changes()[0].production_blocker(),
            Some(Blocker::PreferenceChanged)
        );

        let dropped = diff(&as_int, &bare);
        assert_eq!(
            dropped.changes()[0].production_blocker(),
            Some(Blocker::PreferenceChanged)
        );

        let set = diff(&bare, &as_int);
        assert_eq!(
            lines(&set),
            ["field Note.n set PREFERRED AS: NUMBER -> NUMBER PREFERRED AS INT64"]
        );
        assert_eq!(set.changes()[0].production_blocker(), None);
        assert_eq!(
            set.changes()[0].production_caution(),
            Some(Caution::PreferenceSet)
        );
        assert!(set.is_deployable());
    }

    #[test]
    fn system_field_type_change_blocks() {
        let d = diff(
            &note(vec![field("___etag", plain(ScalarType::String), "")]),
            &note(vec![field("___etag", plain(ScalarType::Int64), "")]),
        );
        assert_eq!(
            lines(&d),
            ["system field Note.___etag changed type: STRING -> INT64"]
        );
        assert_eq!(
            d.changes()[0].production_blocker(),
            Some(Blocker::SystemFieldType)
        );
    }

    #[test]
    fn implicit_system_fields_differ_only_by_indexes() {
        let implicit = note(vec![]);
        let declared = note(vec![
            field("___createTime", plain(ScalarType::Timestamp), "QR"),
            field("___recordID", plain(ScalarType::Reference), "Q"),
            field("___etag", plain(ScalarType::String), ""),
        ]);
        let d = diff(&implicit, &declared);
        assert_eq!(
            lines(&d),
            [
                "index QUERYABLE added on Note.___createTime",
                "index SORTABLE added on Note.___createTime",
                "index QUERYABLE added on Note.___recordID",
            ]
        );
        assert!(d.is_deployable());

        let back = diff(&declared, &implicit);
        assert_eq!(back.len(), 3);
        assert!(
            back.is_deployable(),
            "dropping system-field lines only drops indexes"
        );
        assert!(
            back.changes()
                .iter()
                .all(|c| c.production_caution() == Some(Caution::IndexRemoved))
        );
    }

    #[test]
    fn index_added_is_allowed_and_removed_carries_a_note() {
        let bare = note(vec![field("title", plain(ScalarType::String), "")]);
        let indexed = note(vec![field("title", plain(ScalarType::String), "QSR")]);
        let added = diff(&bare, &indexed);
        assert_eq!(
            lines(&added),
            [
                "index QUERYABLE added on Note.title",
                "index SEARCHABLE added on Note.title",
                "index SORTABLE added on Note.title",
            ]
        );
        assert!(added.is_deployable());
        assert!(
            added
                .changes()
                .iter()
                .all(|c| c.production_caution().is_none())
        );

        let removed = diff(&indexed, &bare);
        assert_eq!(
            removed.changes()[1].to_string(),
            "index SEARCHABLE removed from Note.title"
        );
        assert!(removed.is_deployable());
        assert!(
            removed
                .changes()
                .iter()
                .all(|c| c.production_caution() == Some(Caution::IndexRemoved))
        );
    }

    #[test]
    fn grant_changes_are_allowed_and_split_clauses_add_up() {
        let before = schema(
            &[],
            vec![record_type(
                "Note",
                vec![],
                vec![
                    grant("_icloud", false, true, false),
                    grant("_icloud", false, false, true),
                    grant("_world", true, false, false),
                ],
            )],
        );
        let after = schema(
            &[],
            vec![record_type(
                "Note",
                vec![],
                vec![
                    grant("_creator", false, false, true),
                    grant("_icloud", false, true, true),
                ],
            )],
        );
        let d = diff(&before, &after);
        assert_eq!(
            lines(&d),
            [
                "grant to _creator on Note changed: none -> WRITE",
                "grant to _world on Note changed: READ -> none",
            ]
        );
        assert!(d.is_deployable());
    }

    fn users(extra: Vec<Field>) -> Schema {
        let mut fields = vec![
            field("___recordID", plain(ScalarType::Reference), "Q"),
            field(
                "roles",
                FieldType::List(ElementType::plain(ScalarType::Int64)),
                "",
            ),
        ];
        fields.extend(extra);
        schema(
            &[],
            vec![record_type(
                "Users",
                fields,
                vec![
                    grant("_creator", false, false, true),
                    grant("_world", true, false, false),
                ],
            )],
        )
    }

    #[test]
    fn leaving_users_out_is_not_removing_it() {
        let declared = users(vec![]);
        let omitted = schema(&[], vec![]);
        let d = diff(&declared, &omitted);
        assert_eq!(
            lines(&d),
            ["index QUERYABLE removed from Users.___recordID"]
        );
        assert!(d.is_deployable());
        assert_eq!(
            lines(&diff(&omitted, &declared)),
            ["index QUERYABLE added on Users.___recordID"]
        );
    }

    #[test]
    fn leaving_users_out_still_drops_fields_an_app_added() {
        let declared = users(vec![field("nickname", plain(ScalarType::String), "")]);
        let d = diff(&declared, &schema(&[], vec![]));
        assert_eq!(
            lines(&d),
            [
                "index QUERYABLE removed from Users.___recordID",
                "field Users.nickname removed (was STRING)",
            ]
        );
        assert!(!d.is_deployable());
    }

    /// Every real export, parsed and checked, or `None` when the shared test data is absent.
    fn real_schemas() -> Option<Vec<(String, Schema)>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/testdata/schemas/real");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            println!("skipping: {} is absent", dir.display());
            return None;
        };
        let mut schemas = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "ckdb") {
                let source = std::fs::read_to_string(&path).expect("readable");
                let checked = crate::parse_and_check(&source).expect("real exports are valid");
                schemas.push((path.display().to_string(), checked.schema));
            }
        }
        assert!(!schemas.is_empty());
        Some(schemas)
    }

    #[test]
    fn real_exports_equal_themselves_and_their_canonical_form() {
        let Some(schemas) = real_schemas() else {
            return;
        };
        for (path, schema) in schemas {
            assert!(diff(&schema, &schema).is_empty(), "{path}");
            let formatted = crate::format(&schema);
            let reparsed = crate::parse(&formatted).expect("formatted output parses");
            let d = diff(&schema, &reparsed);
            assert!(d.is_empty(), "{path}: {:?}", lines(&d));
        }
    }

    #[test]
    fn real_exports_without_system_field_lines_only_lose_indexes() {
        let Some(schemas) = real_schemas() else {
            return;
        };
        for (path, schema) in schemas {
            let mut stripped = schema.clone();
            for record_type in &mut stripped.record_types {
                record_type.fields.retain(|f| f.system_field().is_none());
            }
            let d = diff(&schema, &stripped);
            assert!(d.is_deployable(), "{path}");
            for change in &d {
                assert!(
                    matches!(change, Change::IndexRemoved { field, .. } if field.starts_with("___")),
                    "{path}: {change}"
                );
            }
        }
    }

    #[test]
    fn roles_added_and_removed_are_allowed() {
        let d = diff(
            &schema(&["Editors"], vec![]),
            &schema(&["Moderators"], vec![]),
        );
        assert_eq!(lines(&d), ["role Editors removed", "role Moderators added"]);
        assert!(d.is_deployable());
        assert_eq!(d.changes()[0].record_type(), None);
    }

    #[test]
    fn order_is_by_record_type_then_field_regardless_of_source_order() {
        let old = schema(
            &[],
            vec![
                record_type("Zebra", vec![], vec![]),
                record_type(
                    "Apple",
                    vec![
                        field("b", plain(ScalarType::Int64), ""),
                        field("a", plain(ScalarType::Int64), ""),
                    ],
                    vec![],
                ),
            ],
        );
        let new = schema(
            &["Role"],
            vec![
                record_type(
                    "Apple",
                    vec![field("c", plain(ScalarType::Int64), "")],
                    vec![grant("_world", true, false, false)],
                ),
                record_type("Mango", vec![], vec![]),
            ],
        );
        assert_eq!(
            lines(&diff(&old, &new)),
            [
                "role Role added",
                "field Apple.a removed (was INT64)",
                "field Apple.b removed (was INT64)",
                "field Apple.c added: INT64",
                "grant to _world on Apple changed: none -> READ",
                "record type Mango added",
                "record type Zebra removed",
            ]
        );
    }

    #[test]
    fn blockers_are_listed_with_reasons() {
        let d = diff(
            &note(vec![field("a", plain(ScalarType::Int64), "Q")]),
            &note(vec![field("b", plain(ScalarType::Int64), "")]),
        );
        let blockers: Vec<String> = d
            .production_blockers()
            .map(|(c, b)| format!("{c}: {b}"))
            .collect();
        assert_eq!(
            blockers,
            [
                "field Note.a removed (was INT64): removing a field that exists in production would lose its values"
            ]
        );
    }
}
