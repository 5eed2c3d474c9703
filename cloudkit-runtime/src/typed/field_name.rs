//! How queries name a field ([`FieldName`]), and the marker trait generated for each field
//! ([`FieldMarker`]): what the index traits and queries need to know of a field.

use cloudkit_wire::ws::{self as wire, FieldRef};

/// How a filter or sort names a field: `fieldName` for custom fields, `systemFieldName` for
/// system fields (given here by schema name, e.g. `___createTime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldName {
    /// A custom field, by its schema name.
    Field(&'static str),
    /// A system field, by its schema name (`___recordID`, `___createTime`, …).
    System(&'static str),
}

impl FieldName {
    /// The wire form (`fieldName` / `systemFieldName`).
    pub fn to_field_ref(self) -> FieldRef {
        match self {
            FieldName::Field(name) => FieldRef::Field(name.to_owned()),
            FieldName::System(name) => match wire::SystemField::from_schema_name(name) {
                Some(system) => FieldRef::System(system),
                // Generated code only names system fields the wire knows; keep the name.
                None => FieldRef::Field(name.to_owned()),
            },
        }
    }
}

/// Implemented by generated per-field marker types; carries the field's name and where the
/// schema defines it.
pub trait FieldMarker: 'static {
    /// The field's name.
    const NAME: FieldName;
    /// `FILE:LINE:COL` of the field's definition in the schema (for system fields that the
    /// schema does not declare: the record type's).
    const DEFINED_AT: &'static str;
}
