//! Finding the record type a struct maps: `record_type`, or the struct's name (`CD_` and the
//! name under `core_data`), holding `core_data` structs to Core Data's record types.

use cloudkit_schema::RecordType;

use crate::ctxt::Ctxt;
use crate::input::Container;
use crate::naming::core_data;
use crate::schema_file::LoadedSchema;
use crate::suggest::did_you_mean;

/// The record type `container` maps in `schema`; `None` after recording why there is none.
pub fn find<'s>(
    cx: &Ctxt,
    container: &Container,
    schema: &'s LoadedSchema,
) -> Option<&'s RecordType> {
    let (record_name, record_span) = container.record_type_name();
    let core_data = container.core_data.is_some();
    if core_data && core_data::strip_prefix(&record_name).is_none() {
        cx.error_at(record_span, not_core_data_message(&record_name, schema));
        return None;
    }
    if let Some(record) = schema.schema.record_type(&record_name) {
        return Some(record);
    }
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
        message.push_str(if core_data {
            "\nhelp: under `core_data` the record type defaults to `CD_` and the struct's name; set another with `#[cloudkit(record_type = \"CD_Name\")]`"
        } else {
            "\nhelp: the record type defaults to the struct's name; set another with `#[cloudkit(record_type = \"Name\")]`"
        });
    }
    cx.error_at(record_span, message);
    None
}

/// For a `core_data` struct whose `record_type` lacks the `CD_` prefix.
fn not_core_data_message(record_name: &str, schema: &LoadedSchema) -> String {
    let mut message = format!(
        "`core_data` maps the records NSPersistentCloudKitContainer mirrors, whose record types are `CD_` and the entity name; `{record_name}` is not one"
    );
    let prefixed = core_data::prefixed(record_name);
    if let Some(record) = schema.schema.record_type(&prefixed) {
        message.push_str(&format!(
            "\nhelp: write `record_type = \"{prefixed}\"` (defined at {})",
            schema.location(record.name.span)
        ));
    } else if let Some(record) = schema.schema.record_type(record_name) {
        message.push_str(&format!(
            "\nhelp: `{record_name}` (defined at {}) is not mirrored by Core Data; remove `core_data` to map it by its own field names",
            schema.location(record.name.span)
        ));
    } else {
        message.push_str(&format!(
            "\nhelp: name a `CD_` record type of `{}`, or remove `core_data`",
            schema.display
        ));
    }
    message
}
