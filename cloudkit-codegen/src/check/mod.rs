//! Stage 2: compare the struct with the schema and decide what to generate.
//!
//! Every problem is recorded in the [`Ctxt`] at the span it is about (the field, the attribute
//! value) and names the schema file and `line:col` of the definition it was compared with.
//! What survives becomes a [`RecordPlan`], which the generate stage turns into tokens without
//! looking at the schema again.

mod accessors;
mod plan;
mod type_fit;

use std::collections::HashMap;

use cloudkit_schema::RecordType;
use proc_macro2::Span;
use syn::Ident;

use crate::ctxt::Ctxt;
use crate::input::Container;
use crate::schema_file::LoadedSchema;
use crate::suggest::did_you_mean;

pub use plan::{Accessor, Kind, RecordPlan, StoredField, WireName};

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

    let accessors = accessors::plan(record, schema, &method_for);
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
