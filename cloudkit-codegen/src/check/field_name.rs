//! Which schema field each Rust field maps to: its `rename`, or else the struct's naming rule
//! (see `crate::naming`), with the errors for a field that maps to none or to several.

use cloudkit_schema::{Field, RecordType};
use proc_macro2::Span;

use crate::ctxt::Ctxt;
use crate::input::InputField;
use crate::naming::{Naming, Resolution, core_data, words};
use crate::schema_file::LoadedSchema;
use crate::suggest::did_you_mean;

use super::type_fit;

/// The record a struct maps, with what messages about its fields need.
pub struct Target<'r> {
    /// The record type.
    pub record: &'r RecordType,
    /// Its schema.
    pub schema: &'r LoadedSchema,
    /// `FILE:LINE:COL` of its definition.
    pub location: &'r str,
    /// The struct's naming rule.
    pub naming: Naming,
}

/// The schema field `field` maps to and the span to report it at (the `rename` value, or the
/// Rust name); `None` after recording why there is none.
pub fn resolve<'r>(
    cx: &Ctxt,
    field: &InputField,
    target: &Target<'r>,
) -> Option<(&'r Field, Span)> {
    let (name, span) = if let Some(lit) = &field.rename {
        let name = lit.value();
        if let Some(found) = target.record.field(&name) {
            return Some((found, lit.span()));
        }
        (name, lit.span())
    } else {
        let span = field.ident.span();
        match target.naming.resolve(&field.rust_name(), target.record) {
            Resolution::Field(found) => return Some((found, span)),
            Resolution::Ambiguous(candidates) => {
                cx.error_at(span, ambiguous_message(field, &candidates, target));
                return None;
            }
            Resolution::Missing(wanted) => (wanted, span),
        }
    };
    let message = if type_fit::is_system_fields(&field.ty) {
        format!(
            "`{}` has type `SystemFields` but no `#[cloudkit(system)]`, so it is read as a schema field `{name}`, which record type `{}` (defined at {}) does not have\nhelp: mark it `#[cloudkit(system)]`",
            field.ident, target.record.name, target.location
        )
    } else {
        unknown_message(field, &name, target)
    };
    cx.error_at(span, message);
    None
}

fn ambiguous_message(field: &InputField, candidates: &[&Field], target: &Target<'_>) -> String {
    let mut message = format!(
        "Rust field `{}` matches {} fields of record type `{}` (defined at {}); it could be any of them",
        field.rust_name(),
        candidates.len(),
        target.record.name,
        target.location
    );
    for candidate in candidates {
        message.push_str(&format!(
            "\nnote: `{}` is defined at {}",
            candidate.name,
            target.schema.location(candidate.name.span)
        ));
    }
    if let Some(first) = candidates.first() {
        message.push_str(&format!(
            "\nhelp: say which with `#[cloudkit(rename = \"{}\")]`",
            first.name
        ));
    }
    message
}

fn unknown_message(field: &InputField, name: &str, target: &Target<'_>) -> String {
    let record = target.record;
    let naming = target.naming;
    let rust = field.rust_name();
    // Say how the name looked for came from the Rust name, where it is not the Rust name.
    let spelled = match (field.rename.is_some(), naming.rename_all, naming.core_data) {
        (true, ..) => String::new(),
        (false, Some(rule), core_data) => format!(
            " (`{rust}` in {}{})",
            rule.as_str(),
            if core_data { " under `core_data`" } else { "" }
        ),
        (false, None, true) => format!(" (`{rust}` under `core_data`)"),
        (false, None, false) => String::new(),
    };
    let mut message = format!(
        "record type `{}` (defined at {}) has no field `{name}`{spelled}",
        record.name, target.location
    );
    if let Some(hint) = hint(field, name, target) {
        let at = target.schema.location(hint.name.span);
        let hint_name = hint.name.as_str();
        message.push_str(&format!(
            "\nhelp: did you mean `{hint_name}` (defined at {at})?"
        ));
        let inferred = Naming {
            rename_all: None,
            ..naming
        };
        if field.rename.is_some() {
            message.push_str(&format!(
                " `rename` takes the schema's spelling: `#[cloudkit(rename = \"{hint_name}\")]`"
            ));
        } else if naming.rename_all.is_some() {
            message.push_str(&format!(" Add `#[cloudkit(rename = \"{hint_name}\")]`"));
            if inferred.round_trips(&rust, hint, record) {
                message.push_str(&format!(
                    "; without `rename_all`, `{rust}` would find it by its words"
                ));
            }
        } else {
            // The Rust name that would find the field by itself.
            let to = naming.rust_name(hint_name);
            let to = if to == hint_name {
                String::new()
            } else {
                format!(" to `{to}`")
            };
            message.push_str(&format!(
                " Rename the Rust field{to}, or add `#[cloudkit(rename = \"{hint_name}\")]`"
            ));
        }
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

/// The user field `name` most likely meant.
///
/// A `rename` under `core_data` that left out the prefix gets the prefixed field. A name the
/// naming rule inferred is compared by words (`strat_date` with `startDate` as `start_date`);
/// a spelled-out name (`rename`, `rename_all`) letter by letter.
fn hint<'r>(field: &InputField, name: &str, target: &Target<'r>) -> Option<&'r Field> {
    let record = target.record;
    let naming = target.naming;
    if field.rename.is_some()
        && naming.core_data
        && let Some(prefixed) = record.field(&core_data::prefixed(name))
    {
        return Some(prefixed);
    }
    if field.rename.is_some() || naming.rename_all.is_some() {
        let names = record.user_fields().map(|f| f.name.as_str());
        return did_you_mean(name, names).and_then(|hint| record.field(hint));
    }
    let keys: Vec<(String, &Field)> = record
        .user_fields()
        .map(|f| (naming.rust_name(f.name.as_str()), f))
        .collect();
    let key = words::snake_case(&field.rust_name());
    let hint = did_you_mean(&key, keys.iter().map(|(k, _)| k.as_str()))?;
    keys.iter().find(|(k, _)| k == hint).map(|(_, f)| *f)
}
