//! Planning the field handles of `Note::fields()`: one accessor per schema field a query can
//! name, system fields included, with its method and marker names and its indexes.

use std::collections::HashMap;

use cloudkit_schema::{RecordType, SystemField};
use syn::Ident;

use crate::naming::{Naming, marker_ident, unique_ident};
use crate::schema_file::LoadedSchema;

use super::plan::{Accessor, Kind, WireName};

/// The accessors of `record`; `method_for` maps schema field names to the Rust fields that
/// hold them, whose names the accessors take. A field no Rust field holds gets the name
/// `naming` would give it in a generated struct.
pub fn plan(
    record: &RecordType,
    schema: &LoadedSchema,
    method_for: &HashMap<String, Ident>,
    naming: Naming,
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
        let marker = marker_ident(
            record.name.as_str(),
            field.name.as_str(),
            &mut markers_taken,
        );
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
            None => unique_ident(&naming.rust_name(field.name.as_str()), &mut methods_taken),
        };
        let marker = marker_ident(
            record.name.as_str(),
            field.name.as_str(),
            &mut markers_taken,
        );
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
        schema_name: field.name.value.clone(),
        schema_type: field.field_type.to_string(),
        declared: field.declared,
        location: schema.location(field.name.span),
        // Set from the Rust field, if the struct holds one (see `reference_target`).
        target: None,
    }
}
