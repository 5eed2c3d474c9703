//! The schema model: what a `.ckdb` file says, in CloudKit's own words.
//!
//! The parser builds it, the checks read it, the formatter writes it back out, and code
//! generation and the emulator walk it. Every name keeps the span it was read from so that
//! a diagnostic about it, at any later stage, can point at the schema line.

use std::fmt;

/// A point in a schema source. `line` and `column` start at 1; a column counts Unicode scalar
/// values and a tab counts as one (spec §12). `offset` is the byte offset into the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Position {
    /// Byte offset from the start of the source.
    pub offset: usize,
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in Unicode scalar values.
    pub column: u32,
}

/// A range of a schema source: `start` inclusive, `end` exclusive.
///
/// Model items that the file did not write (the implicit system fields) carry the span of
/// the record type name they belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Span {
    /// First position covered.
    pub start: Position,
    /// First position after the covered text.
    pub end: Position,
}

/// A record type, field or role name as written: bare (`title`) or quoted (`"___recordID"`).
///
/// Equality of names is by [`Name::value`] only: `"title"` and `title` are the same name
/// (spec §3.5).
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Name {
    /// The name without quotes.
    pub value: String,
    /// Whether the source wrote it in quotes.
    pub quoted: bool,
    /// Where it was written (quotes included).
    pub span: Span,
}

impl Name {
    /// The name without quotes.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for Name {}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

/// A whole container schema: custom roles and record types, in source order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Schema {
    /// `CREATE ROLE` statements, in source order.
    pub roles: Vec<Role>,
    /// `RECORD TYPE` statements, in source order.
    pub record_types: Vec<RecordType>,
}

impl Schema {
    /// The record type with this exact (case-sensitive) name.
    pub fn record_type(&self, name: &str) -> Option<&RecordType> {
        self.record_types.iter().find(|r| r.name.value == name)
    }

    /// The custom role with this exact name.
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name.value == name)
    }
}

/// A `CREATE ROLE name` statement: a custom security role for the public database.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Role {
    /// The role's name.
    pub name: Name,
    /// The whole statement, `CREATE` to the name.
    pub span: Span,
}

/// A `RECORD TYPE name ( … )` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RecordType {
    /// The record type's name.
    pub name: Name,
    /// Every field of the type: the declared ones in source order, followed by whichever of
    /// the six system fields the file did not declare ([`Field::declared`] is false for those).
    pub fields: Vec<Field>,
    /// `GRANT` clauses in source order; several clauses for one role add up.
    pub grants: Vec<Grant>,
    /// The whole statement, `RECORD` to `)`.
    pub span: Span,
}

impl RecordType {
    /// The field with this exact name, system fields included (`"___recordID"`).
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name.value == name)
    }

    /// The six system fields, declared or implicit.
    pub fn system_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.system_field().is_some())
    }

    /// The fields that are not system fields, in source order.
    pub fn user_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.system_field().is_none())
    }

    /// The permissions all grants to `role` add up to.
    pub fn permissions_for(&self, role: &str) -> Permissions {
        self.grants
            .iter()
            .filter(|g| g.role.value == role)
            .fold(Permissions::default(), |acc, g| acc.union(g.permissions))
    }

    /// Whether any grant exists. A type without grants cannot be used in the public database.
    pub fn is_public(&self) -> bool {
        !self.grants.is_empty()
    }

    /// Whether some role may create records of the type in the public database: a `CREATE`
    /// grant to `"_icloud"`, `"_creator"` or a custom role. `"_world"` does not count: it
    /// includes users who are not signed in, and a record needs a signed-in creator.
    pub fn is_creatable(&self) -> bool {
        self.grants
            .iter()
            .any(|g| g.permissions.create && g.role.value != BuiltinRole::World.name())
    }
}

/// One field of a record type: `name TYPE [QUERYABLE] [SEARCHABLE] [SORTABLE]`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Field {
    /// The field's name.
    pub name: Name,
    /// Its declared type.
    pub field_type: FieldType,
    /// Where the type was written (for implicit system fields: the record type's name).
    pub type_span: Span,
    /// Its index options.
    pub indexes: Indexes,
    /// False for a system field the file did not write out.
    pub declared: bool,
    /// The whole declaration, name to last option.
    pub span: Span,
    /// Index options written more than once (`QUERYABLE QUERYABLE`): the span of every
    /// repetition after the first. They parse as a set; the checks warn about them.
    pub repeated_options: Vec<Span>,
}

impl Field {
    /// Which system field this is, if it is one.
    pub fn system_field(&self) -> Option<SystemField> {
        SystemField::from_schema_name(&self.name.value)
    }
}

/// A field's type: one element, or a list of elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum FieldType {
    /// A single value.
    Element(ElementType),
    /// `LIST<element>`. Lists do not nest.
    List(ElementType),
}

impl FieldType {
    /// The element type, for a list or a single value alike.
    pub fn element(self) -> ElementType {
        match self {
            FieldType::Element(e) | FieldType::List(e) => e,
        }
    }

    /// Whether this is `LIST<…>`.
    pub fn is_list(self) -> bool {
        matches!(self, FieldType::List(_))
    }

    /// Whether values (or list elements) are `ENCRYPTED`.
    pub fn is_encrypted(self) -> bool {
        self.element().encrypted
    }

    /// The `type` tag CloudKit Web Services uses for values of this field, e.g. `STRING`,
    /// `ASSETID`, `REFERENCE_LIST` (web-services spec §4.6).
    ///
    /// A bare `NUMBER` has no fixed tag; this returns `DOUBLE` for it, which accepts every
    /// value. Encrypted fields travel with the plaintext tag and `isEncrypted: true`.
    pub fn wire_type(self) -> &'static str {
        let scalar = self.element().scalar;
        if self.is_list() {
            scalar.wire_list_type()
        } else {
            scalar.wire_type()
        }
    }
}

impl fmt::Display for FieldType {
    /// Writes the type as the schema language spells it, e.g. `LIST<ENCRYPTED STRING>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldType::Element(e) => write!(f, "{e}"),
            FieldType::List(e) => write!(f, "LIST<{e}>"),
        }
    }
}

/// One element type, possibly `ENCRYPTED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ElementType {
    /// The underlying scalar type.
    pub scalar: ScalarType,
    /// `ENCRYPTED` prefix. Only BYTES, STRING, DOUBLE, INT64, LOCATION and TIMESTAMP can be
    /// encrypted; the parser rejects the others.
    pub encrypted: bool,
}

impl ElementType {
    /// A plain (not encrypted) element type.
    pub const fn plain(scalar: ScalarType) -> Self {
        ElementType {
            scalar,
            encrypted: false,
        }
    }
}

impl fmt::Display for ElementType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.encrypted {
            f.write_str("ENCRYPTED ")?;
        }
        write!(f, "{}", self.scalar)
    }
}

/// The scalar types of the schema language (spec §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum ScalarType {
    /// `ASSET`: a file stored apart from the record.
    Asset,
    /// `BYTES`: a small inline blob.
    Bytes,
    /// `DOUBLE`: a 64-bit float.
    Double,
    /// `INT64`: a signed 64-bit integer (also used for booleans).
    Int64,
    /// `LOCATION`: latitude and longitude with optional extras.
    Location,
    /// `REFERENCE`: a pointer to another record.
    Reference,
    /// `STRING`: text.
    String,
    /// `TIMESTAMP`: milliseconds since the Unix epoch on the wire.
    Timestamp,
    /// `NUMBER [PREFERRED AS INT64|DOUBLE]`: a legacy number of unfixed kind.
    Number(Option<NumberPreference>),
}

impl ScalarType {
    /// Whether `ENCRYPTED` may prefix this type.
    pub fn is_encryptable(self) -> bool {
        matches!(
            self,
            ScalarType::Bytes
                | ScalarType::String
                | ScalarType::Double
                | ScalarType::Int64
                | ScalarType::Location
                | ScalarType::Timestamp
        )
    }

    /// Whether values have an order that the ordering comparators and sorts can use.
    pub fn is_ordered(self) -> bool {
        matches!(
            self,
            ScalarType::Int64
                | ScalarType::Double
                | ScalarType::Timestamp
                | ScalarType::String
                | ScalarType::Number(_)
        )
    }

    /// The wire `type` tag of a single value (web-services spec §4.6).
    pub fn wire_type(self) -> &'static str {
        match self {
            ScalarType::Asset => "ASSETID",
            ScalarType::Bytes => "BYTES",
            ScalarType::Double => "DOUBLE",
            ScalarType::Int64 => "INT64",
            ScalarType::Location => "LOCATION",
            ScalarType::Reference => "REFERENCE",
            ScalarType::String => "STRING",
            ScalarType::Timestamp => "TIMESTAMP",
            ScalarType::Number(Some(NumberPreference::Int64)) => "INT64",
            ScalarType::Number(_) => "DOUBLE",
        }
    }

    /// The wire `type` tag of a list of these values, e.g. `STRING_LIST`.
    pub fn wire_list_type(self) -> &'static str {
        match self {
            ScalarType::Asset => "ASSETID_LIST",
            ScalarType::Bytes => "BYTES_LIST",
            ScalarType::Double => "DOUBLE_LIST",
            ScalarType::Int64 => "INT64_LIST",
            ScalarType::Location => "LOCATION_LIST",
            ScalarType::Reference => "REFERENCE_LIST",
            ScalarType::String => "STRING_LIST",
            ScalarType::Timestamp => "TIMESTAMP_LIST",
            ScalarType::Number(Some(NumberPreference::Int64)) => "INT64_LIST",
            ScalarType::Number(_) => "DOUBLE_LIST",
        }
    }
}

impl fmt::Display for ScalarType {
    /// Writes the type keyword as an export spells it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ScalarType::Asset => "ASSET",
            ScalarType::Bytes => "BYTES",
            ScalarType::Double => "DOUBLE",
            ScalarType::Int64 => "INT64",
            ScalarType::Location => "LOCATION",
            ScalarType::Reference => "REFERENCE",
            ScalarType::String => "STRING",
            ScalarType::Timestamp => "TIMESTAMP",
            ScalarType::Number(None) => "NUMBER",
            ScalarType::Number(Some(NumberPreference::Int64)) => "NUMBER PREFERRED AS INT64",
            ScalarType::Number(Some(NumberPreference::Double)) => "NUMBER PREFERRED AS DOUBLE",
        })
    }
}

/// The `PREFERRED AS` choice of a `NUMBER` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum NumberPreference {
    /// `PREFERRED AS INT64`.
    Int64,
    /// `PREFERRED AS DOUBLE`.
    Double,
}

/// The index options of a field. Each is the span of the option keyword, or `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Indexes {
    /// `QUERYABLE`: equality index (EQUALS, NOT_EQUALS, IN, list and reference matching, NEAR).
    pub queryable: Option<Span>,
    /// `SEARCHABLE`: full-text token index (CONTAINS_ALL_TOKENS, CONTAINS_ANY_TOKENS).
    pub searchable: Option<Span>,
    /// `SORTABLE`: range index (ordering comparators and sort descriptors).
    pub sortable: Option<Span>,
}

impl Indexes {
    /// Whether `QUERYABLE` is set.
    pub fn is_queryable(&self) -> bool {
        self.queryable.is_some()
    }

    /// Whether `SEARCHABLE` is set.
    pub fn is_searchable(&self) -> bool {
        self.searchable.is_some()
    }

    /// Whether `SORTABLE` is set.
    pub fn is_sortable(&self) -> bool {
        self.sortable.is_some()
    }

    /// Whether no option is set.
    pub fn is_empty(&self) -> bool {
        !(self.is_queryable() || self.is_searchable() || self.is_sortable())
    }
}

/// A `GRANT perm[, perm…] TO role` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Grant {
    /// The permissions granted.
    pub permissions: Permissions,
    /// The role: a built-in one (`"_world"`, `"_icloud"`, `"_creator"`) or a custom role.
    pub role: Name,
    /// The whole clause, `GRANT` to the role name.
    pub span: Span,
    /// Permissions written more than once in this clause (`READ, READ`): the span of every
    /// repetition after the first. They parse as a set; the checks warn about them.
    pub repeated_permissions: Vec<Span>,
}

/// A set of public-database permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Permissions {
    /// `READ`: fetch and query records of the type.
    pub read: bool,
    /// `CREATE`: create records of the type.
    pub create: bool,
    /// `WRITE`: modify (and delete) existing records of the type.
    pub write: bool,
}

impl Permissions {
    /// Both sets joined.
    pub fn union(self, other: Permissions) -> Permissions {
        Permissions {
            read: self.read || other.read,
            create: self.create || other.create,
            write: self.write || other.write,
        }
    }

    /// Whether no permission is set.
    pub fn is_empty(self) -> bool {
        !(self.read || self.create || self.write)
    }
}

impl fmt::Display for Permissions {
    /// Writes the permissions in export order, `READ, CREATE, WRITE`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = [
            (self.read, "READ"),
            (self.create, "CREATE"),
            (self.write, "WRITE"),
        ];
        let mut first = true;
        for (_, name) in names.iter().filter(|(on, _)| *on) {
            if !first {
                f.write_str(", ")?;
            }
            f.write_str(name)?;
            first = false;
        }
        Ok(())
    }
}

/// The three roles every container has; they are referenced, never declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuiltinRole {
    /// `"_world"`: everyone, signed in or not.
    World,
    /// `"_icloud"`: any signed-in iCloud user.
    ICloud,
    /// `"_creator"`: the user who created the record.
    Creator,
}

impl BuiltinRole {
    /// All three, in export sort order.
    pub const ALL: [BuiltinRole; 3] = [
        BuiltinRole::Creator,
        BuiltinRole::ICloud,
        BuiltinRole::World,
    ];

    /// The role's name as a schema writes it (without quotes), e.g. `_world`.
    pub fn name(self) -> &'static str {
        match self {
            BuiltinRole::World => "_world",
            BuiltinRole::ICloud => "_icloud",
            BuiltinRole::Creator => "_creator",
        }
    }

    /// The built-in role with this name.
    pub fn from_name(name: &str) -> Option<BuiltinRole> {
        BuiltinRole::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// The six system fields every record type has (spec §8.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SystemField {
    /// `"___createTime"`: when the record was created.
    CreateTime,
    /// `"___createdBy"`: the user record that created it.
    CreatedBy,
    /// `"___etag"`: the record change tag.
    Etag,
    /// `"___modTime"`: when the record was last modified.
    ModTime,
    /// `"___modifiedBy"`: the user record that last modified it.
    ModifiedBy,
    /// `"___recordID"`: the record's name (and zone).
    RecordId,
}

impl SystemField {
    /// All six, in export sort order.
    pub const ALL: [SystemField; 6] = [
        SystemField::CreateTime,
        SystemField::CreatedBy,
        SystemField::Etag,
        SystemField::ModTime,
        SystemField::ModifiedBy,
        SystemField::RecordId,
    ];

    /// The field's schema name, e.g. `___createTime`.
    pub fn schema_name(self) -> &'static str {
        match self {
            SystemField::CreateTime => "___createTime",
            SystemField::CreatedBy => "___createdBy",
            SystemField::Etag => "___etag",
            SystemField::ModTime => "___modTime",
            SystemField::ModifiedBy => "___modifiedBy",
            SystemField::RecordId => "___recordID",
        }
    }

    /// The system field with this schema name.
    pub fn from_schema_name(name: &str) -> Option<SystemField> {
        // Called for every field by the checks and the formatter; most names fail here.
        if !name.starts_with("___") {
            return None;
        }
        SystemField::ALL
            .into_iter()
            .find(|f| f.schema_name() == name)
    }

    /// The field's fixed type.
    pub fn field_type(self) -> FieldType {
        FieldType::Element(ElementType::plain(match self {
            SystemField::CreateTime | SystemField::ModTime => ScalarType::Timestamp,
            SystemField::CreatedBy | SystemField::ModifiedBy | SystemField::RecordId => {
                ScalarType::Reference
            }
            SystemField::Etag => ScalarType::String,
        }))
    }

    /// The `systemFieldName` that filters and sorts use for this field on the wire
    /// (web-services spec §7), or `None` for `___etag`, which cannot be queried.
    pub fn wire_name(self) -> Option<&'static str> {
        match self {
            SystemField::CreateTime => Some("createdTimestamp"),
            SystemField::CreatedBy => Some("createdUserRecordName"),
            SystemField::Etag => None,
            SystemField::ModTime => Some("modifiedTimestamp"),
            SystemField::ModifiedBy => Some("modifiedUserRecordName"),
            SystemField::RecordId => Some("recordName"),
        }
    }
}
