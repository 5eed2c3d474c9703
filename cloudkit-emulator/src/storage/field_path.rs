//! Where a field's value sits in the stored JSON, as SQLite reads (and indexes) it.

use cloudkit_schema::{FieldType, ScalarType};

/// The scalar SQLite yields for a field of this type, `None` when it can only yield the field
/// value dictionary (locations, assets, lists, encrypted fields).
pub fn native_scalar(field_type: FieldType) -> Option<ScalarType> {
    match field_type {
        FieldType::Element(e) if !e.encrypted => match e.scalar {
            s @ (ScalarType::Int64
            | ScalarType::Double
            | ScalarType::Timestamp
            | ScalarType::String
            | ScalarType::Bytes
            | ScalarType::Reference
            | ScalarType::Number(_)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// The JSON path of field `name`: its scalar when `scalar` is given, else its dictionary.
pub fn json_path(name: &str, scalar: Option<ScalarType>) -> String {
    match scalar {
        Some(ScalarType::Reference) => format!("$.\"{name}\".value.recordName"),
        Some(_) => format!("$.\"{name}\".value"),
        None => format!("$.\"{name}\""),
    }
}

/// The JSON path of a field's scalar value when SQLite can read it natively (and index it),
/// `None` for locations, assets, lists and encrypted fields.
pub fn scalar_path(name: &str, field_type: FieldType) -> Option<String> {
    native_scalar(field_type).map(|s| json_path(name, Some(s)))
}

/// The name of the index [`Tx::ensure_field_index`](super::Tx::ensure_field_index) keeps for a field path.
pub fn field_index_name(path: &str) -> String {
    let id: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("field{id}")
}

/// Whether a field name can go into a JSON path as is. CloudKit field names are letters,
/// digits and underscores; anything else is never stored by a write.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
