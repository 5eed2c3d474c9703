//! `--filter 'field OP value'` and `--sort field[:desc]`, into the query dictionary's
//! `filterBy` and `sortBy`.
//!
//! OP is a symbol (`=`, `==`, `!=`, `<`, `<=`, `>`, `>=`) or any comparator by its CloudKit
//! name, in any case (`BEGINS_WITH`, `list_contains`, `in`). The value follows the rules of
//! `field_value`. A field named `___recordID` (or `recordName`) is the record name, and its
//! value is sent as the REFERENCE CloudKit expects; other `___` names are the other system
//! fields (`___createTime`, `___modTime`, …).

use cloudkit_runtime::Reference;
use cloudkit_runtime::wire::{Comparator, FieldRef, FieldValue, Filter, Sort, SystemField, Value};

use super::field_value::parse_value;

/// Parses one `--filter`.
pub fn parse_filter(text: &str) -> Result<Filter, String> {
    let usage = || format!("expected 'FIELD OP VALUE' (e.g. 'title = Shopping'), got `{text}`");
    let text = text.trim();
    let (field, rest) = text.split_once(char::is_whitespace).ok_or_else(usage)?;
    let rest = rest.trim_start();
    let (op, value) = rest
        .split_once(char::is_whitespace)
        .map_or((rest, ""), |(op, value)| (op, value.trim()));
    if op.is_empty() || value.is_empty() {
        return Err(usage());
    }
    let comparator = comparator(op)?;
    let field = field_ref(field);
    let mut value = parse_value(value)?;
    if field == FieldRef::System(SystemField::RecordName)
        && let Value::Untyped(raw) = &value.value
        && let Ok(name) = serde_json::from_str::<String>(raw.get())
    {
        value = FieldValue::new(Value::Reference(Box::new(Reference::new(name))));
    }
    Ok(Filter::new(field, comparator, value))
}

/// Parses one `--sort field[:desc|:asc]`.
pub fn parse_sort(text: &str) -> Result<Sort, String> {
    let (field, order) = text.rsplit_once(':').unwrap_or((text, "asc"));
    if field.trim().is_empty() {
        return Err(format!("expected FIELD[:desc], got `{text}`"));
    }
    match order {
        "asc" => Ok(Sort::ascending(field_ref(field.trim()))),
        "desc" => Ok(Sort::descending(field_ref(field.trim()))),
        other => Err(format!("sort order must be `asc` or `desc`, got `{other}`")),
    }
}

fn field_ref(name: &str) -> FieldRef {
    if name == "recordName" {
        return FieldRef::System(SystemField::RecordName);
    }
    match SystemField::from_schema_name(name) {
        Some(system) => FieldRef::System(system),
        None => FieldRef::from(name),
    }
}

fn comparator(op: &str) -> Result<Comparator, String> {
    let by_symbol = match op {
        "=" | "==" => Some(Comparator::Equals),
        "!=" => Some(Comparator::NotEquals),
        "<" => Some(Comparator::LessThan),
        "<=" => Some(Comparator::LessThanOrEquals),
        ">" => Some(Comparator::GreaterThan),
        ">=" => Some(Comparator::GreaterThanOrEquals),
        _ => None,
    };
    by_symbol
        .or_else(|| Comparator::from_wire(&op.to_ascii_uppercase()))
        .ok_or_else(|| {
            format!(
                "unknown comparator `{op}`: use =, !=, <, <=, >, >= or a CloudKit comparator \
                 such as BEGINS_WITH, IN, LIST_CONTAINS"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(filter: &Filter) -> String {
        serde_json::to_string(filter).expect("json")
    }

    #[test]
    fn symbols_and_names_both_work() {
        assert_eq!(
            wire(&parse_filter("title = Shopping list").expect("filter")),
            r#"{"fieldName":"title","comparator":"EQUALS","fieldValue":{"value":"Shopping list"}}"#
        );
        assert_eq!(
            wire(&parse_filter("count >= 3").expect("filter")),
            r#"{"fieldName":"count","comparator":"GREATER_THAN_OR_EQUALS","fieldValue":{"value":3}}"#
        );
        assert_eq!(
            parse_filter("title begins_with Sh")
                .expect("filter")
                .comparator,
            Comparator::BeginsWith
        );
        assert_eq!(
            wire(&parse_filter("___recordID = note-1").expect("filter")),
            r#"{"systemFieldName":"recordName","comparator":"EQUALS","fieldValue":{"value":{"recordName":"note-1","action":"NONE"},"type":"REFERENCE"}}"#
        );
    }

    #[test]
    fn bad_filters_and_sorts_are_explained() {
        assert!(parse_filter("title").is_err());
        assert!(parse_filter("title =").is_err());
        assert!(
            parse_filter("title ~ x")
                .expect_err("unknown")
                .contains("BEGINS_WITH")
        );
        assert!(parse_sort("title:up").is_err());
        assert_eq!(
            parse_sort("___modTime:desc").expect("sort"),
            Sort::descending(SystemField::ModifiedTimestamp)
        );
    }
}
