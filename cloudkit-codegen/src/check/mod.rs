//! Stage 2: compare the struct with the schema and decide what to generate.
//!
//! Every problem is recorded in the [`Ctxt`] at the span it is about (the field, the attribute
//! value) and names the schema file and `line:col` of the definition it was compared with.
//! What survives becomes a [`RecordPlan`], which the generate stage turns into tokens without
//! looking at the schema again.

mod accessors;
mod field_name;
mod plan;
mod record_type;
mod reference_target;
mod type_fit;

use std::collections::HashMap;

use cloudkit_schema::RecordType;
use proc_macro2::Span;
use syn::Ident;

use crate::ctxt::Ctxt;
use crate::input::Container;
use crate::naming::core_data;
use crate::schema_file::LoadedSchema;

pub use plan::{Accessor, EntityName, Kind, RecordPlan, StoredField, WireName};

/// Checks `container` against `schema`. Returns `None` when nothing sensible can be generated
/// (the errors are in `cx`).
pub fn check(
    cx: &Ctxt,
    container: Container,
    schema: &LoadedSchema,
    schema_span: Span,
) -> Option<RecordPlan> {
    let record = record_type::find(cx, &container, schema)?;
    let record_name = record.name.value.clone();
    let record_loc = schema.location(record.name.span);

    let mut stored = Vec::new();
    let mut system: Option<Ident> = None;
    let mut skipped = Vec::new();
    let mut mapped: HashMap<String, Ident> = HashMap::new();
    let mut method_for: HashMap<String, Ident> = HashMap::new();
    let naming = container.naming();
    let target = field_name::Target {
        record,
        schema,
        location: &record_loc,
        naming,
    };

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
        let Some((schema_field, name_span)) = field_name::resolve(cx, &field, &target) else {
            continue;
        };
        let name = schema_field.name.value.clone();
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

    let entity_name = naming
        .core_data
        .then(|| entity_name(record, &mapped))
        .flatten();
    let mut accessors = accessors::plan(record, schema, &method_for, naming);
    for accessor in &mut accessors {
        if let Some(field) = stored.iter().find(|f| f.name == accessor.schema_name) {
            accessor.target = reference_target::of(&field.ty);
        }
    }
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
        entity_name,
        accessors,
    })
}

/// What a `core_data` struct writes to `CD_entityName` when no Rust field holds it: the
/// entity, so that Core Data can import records written from Rust.
fn entity_name(record: &RecordType, mapped: &HashMap<String, Ident>) -> Option<EntityName> {
    let field = record.field(core_data::ENTITY_NAME_FIELD)?;
    let plain_string =
        Kind::of(field.field_type) == Kind::String && !field.field_type.is_encrypted();
    if mapped.contains_key(core_data::ENTITY_NAME_FIELD) || !plain_string {
        return None;
    }
    Some(EntityName {
        field: field.name.value.clone(),
        entity: core_data::strip_prefix(record.name.as_str())?.to_owned(),
    })
}
