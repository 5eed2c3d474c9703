//! Field values typed on the command line, and field values shown in a table cell.
//!
//! On the command line a value is JSON when it parses as JSON (`3`, `true`, `["a","b"]`,
//! `"3"`), else the text itself (`Hello world`), and is sent without a `type`: the server
//! types it from the schema, as it does for CloudKit JS. A full field dictionary
//! (`{"value": 3, "type": "INT64"}`) is sent as it is.

use cloudkit_runtime::wire::{FieldValue, Fields, Value};

/// A value from the command line or a `--json` object member.
pub fn parse_value(text: &str) -> Result<FieldValue, String> {
    let json = serde_json::from_str::<serde_json::Value>(text)
        .unwrap_or_else(|_| serde_json::Value::String(text.to_owned()));
    from_json(json)
}

/// A JSON value: a field dictionary when it is an object with a `value` member, else the
/// value itself, untyped.
pub fn from_json(json: serde_json::Value) -> Result<FieldValue, String> {
    let dictionary = match json {
        serde_json::Value::Object(map) if map.contains_key("value") => {
            serde_json::Value::Object(map)
        }
        other => serde_json::json!({ "value": other }),
    };
    serde_json::from_value(dictionary).map_err(|e| format!("not a field value: {e}"))
}

/// `name=value` pairs.
pub fn parse_assignments(pairs: &[String]) -> Result<Fields, String> {
    let mut fields = Fields::default();
    for pair in pairs {
        let (name, value) = pair
            .split_once('=')
            .filter(|(name, _)| !name.trim().is_empty())
            .ok_or_else(|| format!("expected NAME=VALUE, got `{pair}`"))?;
        let value = parse_value(value).map_err(|e| format!("field `{name}`: {e}"))?;
        fields.insert(name.trim(), value);
    }
    Ok(fields)
}

/// A JSON object of fields (`{"title": "Hi", "count": {"value": 3, "type": "INT64"}}`).
pub fn parse_object(text: &str) -> Result<Fields, String> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).map_err(|e| format!("--json is not a JSON object: {e}"))?;
    let mut fields = Fields::default();
    for (name, value) in object {
        let value = from_json(value).map_err(|e| format!("field `{name}`: {e}"))?;
        fields.insert(name, value);
    }
    Ok(fields)
}

/// A value for a table cell: text as it is, references by record name, anything else as
/// compact JSON of its `value`.
pub fn cell(field: &FieldValue) -> String {
    match &field.value {
        Value::String(text) => text.clone(),
        Value::Reference(reference) => reference.record_name.clone(),
        // Sent without a type (as typed on the command line): text shows as text.
        Value::Untyped(raw) => {
            serde_json::from_str::<String>(raw.get()).unwrap_or_else(|_| raw.get().to_owned())
        }
        _ => serde_json::to_value(field)
            .ok()
            .and_then(|mut v| v.get_mut("value").map(serde_json::Value::take))
            .map(|v| v.to_string())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_a_string_and_json_is_json() {
        let json =
            |text: &str| serde_json::to_string(&parse_value(text).expect("value")).expect("json");
        assert_eq!(json("Hello world"), r#"{"value":"Hello world"}"#);
        assert_eq!(json("3"), r#"{"value":3}"#);
        assert_eq!(json(r#""3""#), r#"{"value":"3"}"#);
        assert_eq!(
            json(r#"{"value":3,"type":"INT64"}"#),
            r#"{"value":3,"type":"INT64"}"#
        );
    }

    #[test]
    fn assignments_need_a_name() {
        assert!(parse_assignments(&["=x".into()]).is_err());
        assert!(parse_assignments(&["x".into()]).is_err());
        let fields = parse_assignments(&["a=b=c".into()]).expect("fields");
        assert_eq!(cell(fields.get("a").expect("a")), "b=c");
    }
}
