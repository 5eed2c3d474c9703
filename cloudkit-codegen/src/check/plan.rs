//! The plan: what the check stage decided, and all the generate stage reads.
//!
//! Names and spans come from the struct, types and indexes from the schema; generating from a
//! plan never looks at the schema again.

use std::path::PathBuf;

use cloudkit_schema::{FieldType, NumberPreference, ScalarType};
use proc_macro2::Span;
use syn::{Ident, Type, Visibility};

/// The runtime codec kind a schema type maps to (`cloudkit_runtime::codec::kind::*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `STRING`.
    String,
    /// `INT64`, and `NUMBER PREFERRED AS INT64`.
    Int64,
    /// `DOUBLE`, and `NUMBER` (bare or `PREFERRED AS DOUBLE`).
    Double,
    /// `TIMESTAMP`.
    Timestamp,
    /// `BYTES`.
    Bytes,
    /// `REFERENCE`.
    Reference,
    /// `ASSET`.
    Asset,
    /// `LOCATION`.
    Location,
    /// `LIST<…>`.
    List(Box<Kind>),
}

impl Kind {
    /// The kind for a schema field type.
    pub fn of(field_type: FieldType) -> Kind {
        let element = Kind::of_scalar(field_type.element().scalar);
        if field_type.is_list() {
            Kind::List(Box::new(element))
        } else {
            element
        }
    }

    fn of_scalar(scalar: ScalarType) -> Kind {
        match scalar {
            ScalarType::Asset => Kind::Asset,
            ScalarType::Bytes => Kind::Bytes,
            ScalarType::Double => Kind::Double,
            ScalarType::Int64 => Kind::Int64,
            ScalarType::Location => Kind::Location,
            ScalarType::Reference => Kind::Reference,
            ScalarType::String => Kind::String,
            ScalarType::Timestamp => Kind::Timestamp,
            ScalarType::Number(Some(NumberPreference::Int64)) => Kind::Int64,
            // A bare NUMBER accepts every value as a double (spec §6.2).
            ScalarType::Number(_) => Kind::Double,
        }
    }
}

/// How a filter or sort names a field on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireName {
    /// A custom field: `fieldName`.
    Field(String),
    /// A system field, by schema name (`___createTime`); sent as `systemFieldName`.
    System(&'static str),
}

/// A struct field that is stored in the record's `fields`.
pub struct StoredField {
    /// The Rust field.
    pub ident: Ident,
    /// Its Rust type.
    pub ty: Type,
    /// The schema field name.
    pub name: String,
    /// The codec kind from the schema type.
    pub kind: Kind,
    /// Whether the schema field is `ENCRYPTED`.
    pub encrypted: bool,
}

/// A field every write sets though no Rust field holds it: Core Data's `CD_entityName`.
pub struct EntityName {
    /// The schema field, `CD_entityName`.
    pub field: String,
    /// The value written: the entity, the record type without `CD_`.
    pub entity: String,
}

/// One accessor of `Note::fields()`: a typed handle on a schema field.
#[derive(Debug)]
pub struct Accessor {
    /// The accessor method, e.g. `title`, `created_at`.
    pub method: Ident,
    /// The marker type the handle carries, named after the schema field.
    pub marker: Ident,
    /// How the field is named on the wire.
    pub wire_name: WireName,
    /// The codec kind.
    pub kind: Kind,
    /// `QUERYABLE`.
    pub queryable: bool,
    /// `SORTABLE`.
    pub sortable: bool,
    /// `SEARCHABLE`.
    pub searchable: bool,
    /// `ENCRYPTED`.
    pub encrypted: bool,
    /// The schema definition as text, for docs: `title STRING QUERYABLE`.
    pub definition: String,
    /// The schema field name, e.g. `title`, `___createTime`.
    pub schema_name: String,
    /// The schema type as the schema writes it, e.g. `LIST<STRING>`.
    pub schema_type: String,
    /// Whether the schema declares the field (system fields may be implicit); if not,
    /// [`Accessor::location`] is the record type's.
    pub declared: bool,
    /// `FILE:LINE:COL` of the definition.
    pub location: String,
    /// For a REFERENCE field (or list of them) held as `Reference<T>`: `T`, the record type
    /// its filters compare with.
    pub target: Option<proc_macro2::TokenStream>,
}

/// Everything the generate stage needs for one record struct.
pub struct RecordPlan {
    /// The struct's name.
    pub ident: Ident,
    /// The struct's visibility.
    pub vis: Visibility,
    /// The path of the runtime crate.
    pub krate: syn::Path,
    /// The record type's name.
    pub record_type: String,
    /// `FILE:LINE:COL` of the record type.
    pub location: String,
    /// The schema file path as written.
    pub schema_display: String,
    /// The schema's absolute path, to `include_bytes!`.
    pub schema_abs: Option<PathBuf>,
    /// Whether this expansion emits the `include_bytes!` (once per crate is enough).
    pub include_schema: bool,
    /// Where the schema was named (the `schema = "…"` literal), for generated items that
    /// rustc may point at.
    pub schema_span: Span,
    /// Stored fields, in struct order.
    pub stored: Vec<StoredField>,
    /// The `#[cloudkit(system)]` field.
    pub system: Option<Ident>,
    /// `#[cloudkit(skip)]` fields.
    pub skipped: Vec<Ident>,
    /// Under `core_data`, the entity name written with every record, unless a Rust field
    /// holds it.
    pub entity_name: Option<EntityName>,
    /// One per queryable-in-principle schema field, system fields included.
    pub accessors: Vec<Accessor>,
}
