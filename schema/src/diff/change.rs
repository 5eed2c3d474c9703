//! The changes a schema diff is made of, and what CloudKit's production environment says
//! about each.

use std::fmt;

use crate::model::{FieldType, Indexes, Permissions};

/// Every change from one schema to another, in a stable order.
///
/// Role changes come first (by role name); then, record type by record type (by name, in
/// code-point order), the record type's own addition or removal, its field changes (by
/// field name; for one field: addition, removal or type change first, then index changes in
/// the order QUERYABLE, SEARCHABLE, SORTABLE), and last its grant changes (by role name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaDiff {
    pub(super) changes: Vec<Change>,
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
