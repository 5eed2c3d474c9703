//! How values meet the schema: the field type a wire type adds, the wire type a field is
//! sent with, the type of a value sent without one, and a value brought into a field's form.

use cloudkit_schema::{ElementType, FieldType, ScalarType};
use cloudkit_wire::ws::{FieldValue, RawJson, Value, WireType};

use crate::error::ServerError;

/// The schema field type a wire type tag stands for, when a new field is added.
pub fn field_type_of(tag: WireType, encrypted: bool) -> Option<FieldType> {
    let scalar = |t: WireType| -> Option<ScalarType> {
        Some(match t {
            WireType::String => ScalarType::String,
            WireType::Int64 | WireType::Boolean => ScalarType::Int64,
            WireType::Double => ScalarType::Double,
            WireType::Timestamp => ScalarType::Timestamp,
            WireType::Bytes | WireType::EncryptedBytes => ScalarType::Bytes,
            WireType::Reference => ScalarType::Reference,
            WireType::AssetId | WireType::Asset => ScalarType::Asset,
            WireType::Location => ScalarType::Location,
            _ => return None,
        })
    };
    let encrypted = encrypted || tag == WireType::EncryptedBytes;
    if let Some(element) = tag.element_type() {
        let s = scalar(element)?;
        return Some(FieldType::List(ElementType {
            scalar: s,
            encrypted,
        }));
    }
    let s = scalar(tag)?;
    Some(FieldType::Element(ElementType {
        scalar: s,
        encrypted,
    }))
}

/// The wire type a value of this schema type is stored and sent with.
pub fn wire_type_of(field_type: FieldType) -> Option<WireType> {
    WireType::from_wire(field_type.wire_type())
}

/// Guesses the type of a value sent without `type`, from its JSON shape alone (spec §4.5): a
/// number with a fraction is DOUBLE, another number INT64, a string STRING, an object with
/// `latitude`/`longitude` LOCATION, with `recordName` REFERENCE, with `fileChecksum` or
/// `receipt` ASSETID; an array is the list of its first element's type.
pub fn infer_wire_type(raw: &RawJson) -> Option<WireType> {
    let value: serde_json::Value = raw.parse().ok()?;
    fn scalar(v: &serde_json::Value) -> Option<WireType> {
        Some(match v {
            serde_json::Value::String(_) => WireType::String,
            serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => WireType::Int64,
            serde_json::Value::Number(_) => WireType::Double,
            serde_json::Value::Bool(_) => WireType::Int64,
            serde_json::Value::Object(o)
                if o.contains_key("latitude") && o.contains_key("longitude") =>
            {
                WireType::Location
            }
            serde_json::Value::Object(o) if o.contains_key("recordName") => WireType::Reference,
            serde_json::Value::Object(o)
                if o.contains_key("fileChecksum") || o.contains_key("receipt") =>
            {
                WireType::AssetId
            }
            _ => return None,
        })
    }
    match &value {
        serde_json::Value::Array(items) => match items.first() {
            Some(first) => scalar(first)?.list_type(),
            None => Some(WireType::StringList),
        },
        other => scalar(other),
    }
}

/// Decodes a value sent without `type` as `tag`.
fn decode_as(raw: &RawJson, tag: WireType) -> Option<Value> {
    // Booleans have no schema type; CloudKit stores them as INT64 0/1.
    let text = match (raw.get().trim(), tag) {
        ("true", WireType::Int64) => "1",
        ("false", WireType::Int64) => "0",
        (t, _) => t,
    };
    let dict = format!(r#"{{"value":{text},"type":"{}"}}"#, tag.as_str());
    serde_json::from_str::<FieldValue>(&dict)
        .ok()
        .map(|f| f.value)
}

/// Whether an untyped value is a JSON number (or list of them) for a TIMESTAMP field. CloudKit
/// takes an untyped number as INT64 and refuses it there ("Invalid value, expected type
/// TIMESTAMP.", spec §4.5 and §5.4); milliseconds need `type`. An untyped ISO-8601 string (a
/// JavaScript `Date`) can only be a time and is still read as one.
fn number_for_timestamp(raw: &RawJson, expected: WireType) -> bool {
    matches!(expected, WireType::Timestamp | WireType::TimestampList)
        && matches!(
            infer_wire_type(raw),
            Some(WireType::Int64 | WireType::Double | WireType::Int64List | WireType::DoubleList)
        )
}

fn expected_type_error(field_name: &str, expected: &str) -> ServerError {
    ServerError::bad_request(format!(
        "Invalid value for field '{field_name}', expected type {expected}."
    ))
}

/// Whether a typed value fits a field of this schema type.
fn fits(value_tag: WireType, field_type: FieldType) -> bool {
    let Some(expected) = wire_type_of(field_type) else {
        return false;
    };
    if value_tag == expected {
        return true;
    }
    match (value_tag, field_type.element().scalar) {
        (WireType::Asset, ScalarType::Asset) if !field_type.is_list() => true,
        (WireType::Int64 | WireType::Double, ScalarType::Number(_)) if !field_type.is_list() => {
            true
        }
        (WireType::Int64List | WireType::DoubleList, ScalarType::Number(_)) => field_type.is_list(),
        // Empty lists may come back as UNKNOWN_LIST; accept them for any list.
        (WireType::UnknownList, _) => field_type.is_list(),
        _ => false,
    }
}

/// Brings a value into the stored form for a field of `field_type`: an untyped value is decoded
/// as the field's type, a typed one must already have it.
pub fn coerce(
    field_name: &str,
    value: FieldValue,
    field_type: FieldType,
) -> Result<FieldValue, ServerError> {
    let encrypted = field_type.is_encrypted();
    if value.is_encrypted && !encrypted {
        return Err(ServerError::bad_request(
            "Attempt to save encrypted data in non encrypted field type",
        ));
    }
    let expected =
        wire_type_of(field_type).ok_or_else(|| expected_type_error(field_name, "a known type"))?;
    let typed = match value.value {
        Value::Null(_) => Value::Null(Some(expected)),
        Value::Untyped(raw) if number_for_timestamp(&raw, expected) => {
            return Err(ServerError::bad_request(format!(
                "Invalid value, expected type {}.",
                expected.as_str()
            )));
        }
        Value::Untyped(raw) => decode_as(&raw, expected)
            .ok_or_else(|| expected_type_error(field_name, expected.as_str()))?,
        Value::Other { type_tag, .. } => {
            return Err(ServerError::bad_request(format!(
                "BadRequestException: Unexpected input: unknown type `{type_tag}` for field '{field_name}'"
            )));
        }
        Value::Boolean(b) if expected == WireType::Int64 => Value::Int64(i64::from(b)),
        Value::BooleanList(bs) if expected == WireType::Int64List => {
            Value::Int64List(bs.into_iter().map(i64::from).collect())
        }
        other => {
            let tag = other.wire_type().unwrap_or(WireType::UnknownList);
            if !fits(tag, field_type) {
                return Err(ServerError::bad_request(format!(
                    "invalid attempt to set value type {tag} for field '{field_name}', defined to be: {}",
                    expected.as_str()
                )));
            }
            other
        }
    };
    Ok(FieldValue {
        value: typed,
        is_encrypted: encrypted,
    })
}
