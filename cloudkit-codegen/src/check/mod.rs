//! Stage 2: compare the struct with the schema and decide what to generate.
//!
//! Every problem is recorded in the [`Ctxt`] at the span it is about (the field, the attribute
//! value) and names the schema file and `line:col` of the definition it was compared with.
//! What survives becomes a [`RecordPlan`], which the generate stage turns into tokens without
//! looking at the schema again.

mod type_fit;

use std::collections::HashMap;
use std::path::PathBuf;

use cloudkit_schema::{FieldType, NumberPreference, RecordType, ScalarType, SystemField};
use proc_macro2::Span;
use syn::{Ident, Type, Visibility};

use crate::ctxt::Ctxt;
use crate::input::Container;
use crate::naming::{marker_ident, method_ident, unique_ident};
use crate::schema_file::LoadedSchema;
use crate::suggest::did_you_mean;

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
    /// `FILE:LINE:COL` of the definition.
    pub location: String,
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
    /// One per queryable-in-principle schema field, system fields included.
    pub accessors: Vec<Accessor>,
}

/// Checks `container` against `schema`. Returns `None` when nothing sensible can be generated
/// (the errors are in `cx`).
pub fn check(
    cx: &Ctxt,
    container: Container,
    schema: &LoadedSchema,
    schema_span: Span,
) -> Option<RecordPlan> {
    let (record_name, record_span) = container.record_type_name();
    let Some(record) = schema.schema.record_type(&record_name) else {
        let mut message = format!(
            "record type `{record_name}` is not defined in `{}`",
            schema.display
        );
        let names = schema.schema.record_types.iter().map(|r| r.name.as_str());
        if let Some(hint) = did_you_mean(&record_name, names) {
            let at = schema
                .schema
                .record_type(hint)
                .map(|r| schema.location(r.name.span))
                .unwrap_or_default();
            message.push_str(&format!("\nhelp: did you mean `{hint}` (defined at {at})?"));
        } else {
            let all: Vec<&str> = schema
                .schema
                .record_types
                .iter()
                .map(|r| r.name.as_str())
                .collect();
            message.push_str(&format!("\nnote: the schema defines: {}", all.join(", ")));
        }
        if container.record_type.is_none() {
            message.push_str(
                "\nhelp: the record type defaults to the struct's name; set another with `#[cloudkit(record_type = \"Name\")]`",
            );
        }
        cx.error_at(record_span, message);
        return None;
    };
    let record_loc = schema.location(record.name.span);

    let mut stored = Vec::new();
    let mut system: Option<Ident> = None;
    let mut skipped = Vec::new();
    let mut mapped: HashMap<String, Ident> = HashMap::new();
    let mut method_for: HashMap<String, Ident> = HashMap::new();

    for field in container.fields {
        if field.skip.is_some() {
            skipped.push(field.ident);
            continue;
        }
        if let Some(span) = field.system {
            if !type_fit::is_system_fields(&field.ty) {
                cx.error_spanned_by(
                    &field.ty,
                    "a `#[cloudkit(system)]` field must have type `SystemFields` (record name, change tag, zone, created and modified)",
                );
            } else if let Some(first) = &system {
                cx.error_at(
                    span,
                    format!(
                        "more than one `#[cloudkit(system)]` field: `{first}` already holds the system fields"
                    ),
                );
            } else {
                system = Some(field.ident);
            }
            continue;
        }
        let (name, name_span) = field.schema_name();
        let Some(schema_field) = record.field(&name) else {
            let message = if type_fit::is_system_fields(&field.ty) {
                format!(
                    "`{}` has type `SystemFields` but no `#[cloudkit(system)]`, so it is read as a schema field `{name}`, which record type `{}` (defined at {record_loc}) does not have\nhelp: mark it `#[cloudkit(system)]`",
                    field.ident, record.name
                )
            } else {
                unknown_field_message(&name, record, schema, &record_loc)
            };
            cx.error_at(name_span, message);
            continue;
        };
        if schema_field.system_field().is_some() {
            cx.error_at(
                name_span,
                format!(
                    "`{name}` is a system field of `{record_name}` ({}); system fields arrive as record metadata, not in `fields`\nhelp: hold them in one `#[cloudkit(system)] meta: SystemFields` field",
                    schema.location(schema_field.name.span),
                ),
            );
            continue;
        }
        if let Some(previous) = mapped.get(&name) {
            cx.error_at(
                name_span,
                format!(
                    "schema field `{name}` ({}) is already mapped by Rust field `{previous}`; each schema field maps to one Rust field",
                    schema.location(schema_field.name.span),
                ),
            );
            continue;
        }
        let location = schema.location(schema_field.name.span);
        if let Some(problem) = type_fit::check(&field.ty, schema_field.field_type) {
            cx.error_spanned_by(
                &field.ty,
                format!(
                    "Rust type `{}` does not fit schema field `{name}`, which is `{}` at {location}\nhelp: {problem}",
                    type_fit::display(&field.ty),
                    schema_field.field_type,
                ),
            );
            continue;
        }
        mapped.insert(name.clone(), field.ident.clone());
        method_for.insert(name.clone(), field.ident.clone());
        stored.push(StoredField {
            ident: field.ident,
            ty: field.ty,
            kind: Kind::of(schema_field.field_type),
            encrypted: schema_field.field_type.is_encrypted(),
            name,
        });
    }

    let accessors = accessors(record, schema, &method_for);
    Some(RecordPlan {
        ident: container.ident,
        vis: container.vis,
        krate: container
            .krate
            .unwrap_or_else(|| syn::parse_quote!(::cloudkit_runtime)),
        record_type: record_name,
        location: record_loc,
        schema_display: schema.display.clone(),
        schema_abs: schema.abs_path.clone(),
        include_schema: false,
        schema_span,
        stored,
        system,
        skipped,
        accessors,
    })
}

fn unknown_field_message(
    name: &str,
    record: &RecordType,
    schema: &LoadedSchema,
    record_loc: &str,
) -> String {
    let mut message = format!(
        "record type `{}` (defined at {record_loc}) has no field `{name}`",
        record.name
    );
    let names = record.user_fields().map(|f| f.name.as_str());
    if let Some(hint) = did_you_mean(name, names) {
        let at = record
            .field(hint)
            .map(|f| schema.location(f.name.span))
            .unwrap_or_default();
        message.push_str(&format!("\nhelp: did you mean `{hint}` (defined at {at})?"));
        message.push_str(&format!(
            " Rename the Rust field, or add `#[cloudkit(rename = \"{hint}\")]`"
        ));
    } else {
        let all: Vec<&str> = record.user_fields().map(|f| f.name.as_str()).collect();
        if all.is_empty() {
            message.push_str("\nnote: it has no custom fields");
        } else {
            message.push_str(&format!("\nnote: its fields are: {}", all.join(", ")));
        }
        message.push_str(
            "\nhelp: add the field to the schema, map it with `#[cloudkit(rename = \"…\")]`, or leave it out of CloudKit with `#[cloudkit(skip)]`",
        );
    }
    message
}

fn accessors(
    record: &RecordType,
    schema: &LoadedSchema,
    method_for: &HashMap<String, Ident>,
) -> Vec<Accessor> {
    let mut out = Vec::new();
    // The user named the struct's fields: those accessor names win every clash.
    let mut methods_taken: Vec<String> = method_for.values().map(Ident::to_string).collect();
    let mut markers_taken: Vec<String> = Vec::new();
    let system = [
        (SystemField::RecordId, "record_name"),
        (SystemField::CreateTime, "created_at"),
        (SystemField::CreatedBy, "created_by"),
        (SystemField::ModTime, "modified_at"),
        (SystemField::ModifiedBy, "modified_by"),
    ];
    for (system_field, method) in system {
        // `wire_name` is `None` for fields that cannot be queried (`___etag`).
        let (Some(field), Some(_)) = (
            record.field(system_field.schema_name()),
            system_field.wire_name(),
        ) else {
            continue;
        };
        let method = if methods_taken.iter().any(|m| m == method) {
            unique_ident(&format!("system_{method}"), &mut methods_taken)
        } else {
            unique_ident(method, &mut methods_taken)
        };
        let marker = marker_ident(field.name.as_str(), &mut markers_taken);
        out.push(accessor(
            field,
            schema,
            method,
            marker,
            WireName::System(system_field.schema_name()),
        ));
    }
    for field in record.user_fields() {
        let method = match method_for.get(field.name.as_str()) {
            Some(ident) => ident.clone(),
            None => method_ident(field.name.as_str(), &mut methods_taken),
        };
        let marker = marker_ident(field.name.as_str(), &mut markers_taken);
        out.push(accessor(
            field,
            schema,
            method,
            marker,
            WireName::Field(field.name.value.clone()),
        ));
    }
    out
}

fn accessor(
    field: &cloudkit_schema::Field,
    schema: &LoadedSchema,
    method: Ident,
    marker: Ident,
    wire_name: WireName,
) -> Accessor {
    let mut definition = format!("{} {}", field.name, field.field_type);
    for (on, word) in [
        (field.indexes.is_queryable(), "QUERYABLE"),
        (field.indexes.is_searchable(), "SEARCHABLE"),
        (field.indexes.is_sortable(), "SORTABLE"),
    ] {
        if on {
            definition.push(' ');
            definition.push_str(word);
        }
    }
    if !field.declared {
        definition.push_str(" (implicit: not declared, so no indexes)");
    }
    Accessor {
        method,
        marker,
        wire_name,
        kind: Kind::of(field.field_type),
        queryable: field.indexes.is_queryable(),
        sortable: field.indexes.is_sortable(),
        searchable: field.indexes.is_searchable(),
        encrypted: field.field_type.is_encrypted(),
        definition,
        location: schema.location(field.name.span),
    }
}
