//! One line of an export file: a record in the Web Services record dictionary shape,
//! `{"recordName", "recordType", "fields": {NAME: {"value", "type"}}}`, and nothing the server
//! assigns (change tag, created/modified stamps, zone).
//!
//! Why this shape: it is what `records/query` returns and what a `create` operation takes, so
//! a line goes back to the server unchanged; every value carries its `type`, so INT64 and
//! DOUBLE, TIMESTAMP and INT64, REFERENCE and STRING stay apart through a round trip (the
//! management API's v1 shape would do as well, but the data commands speak Web Services);
//! and `jq` reads it.

use cloudkit_runtime::wire::{FieldValue, Record, Value};

/// The exported form of `record`.
pub fn export_form(record: Record) -> Record {
    Record {
        record_name: record.record_name,
        record_type: record.record_type,
        fields: record.fields,
        ..Record::default()
    }
}

/// Whether the server's record holds exactly what the line says: same type, every field
/// of the line with the same value, no other field set. A value the line gives without a
/// `type` is read as the server's type first.
pub fn same_content(line: &Record, server: &Record) -> bool {
    if line.record_type.is_some() && line.record_type != server.record_type {
        return false;
    }
    let sent_match = line
        .fields
        .iter()
        .all(|(name, sent)| same_value(sent, server.fields.get(name)));
    let nothing_else = server
        .fields
        .iter()
        .all(|(name, value)| line.fields.get(name).is_some() || value.value.is_null());
    sent_match && nothing_else
}

fn same_value(sent: &FieldValue, server: Option<&FieldValue>) -> bool {
    let Some(server) = server else {
        return sent.value.is_null();
    };
    match (&sent.value, server.value.wire_type()) {
        (Value::Untyped(_), Some(wire_type)) => sent
            .value
            .clone()
            .with_type(wire_type)
            .is_ok_and(|typed| typed == server.value),
        (sent, _) => *sent == server.value || (sent.is_null() && server.value.is_null()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Record {
        serde_json::from_str(json).expect("record")
    }

    #[test]
    fn the_line_keeps_name_type_and_fields_only() {
        let server = record(
            r#"{"recordName":"a","recordType":"Note","recordChangeTag":"t1",
                "fields":{"n":{"value":1,"type":"INT64"}},
                "created":{"timestamp":1},"zoneID":{"zoneName":"_defaultZone"}}"#,
        );
        assert_eq!(
            serde_json::to_string(&export_form(server)).expect("json"),
            r#"{"recordName":"a","recordType":"Note","fields":{"n":{"value":1,"type":"INT64"}}}"#
        );
    }

    #[test]
    fn content_is_compared_field_by_field_with_types() {
        let server = record(
            r#"{"recordName":"a","recordType":"Note","recordChangeTag":"t",
                "fields":{"n":{"value":1,"type":"INT64"},"s":{"value":"x","type":"STRING"}}}"#,
        );
        let same = record(
            r#"{"recordName":"a","recordType":"Note",
                "fields":{"n":{"value":1,"type":"INT64"},"s":{"value":"x"}}}"#,
        );
        assert!(same_content(&same, &server));
        let fewer = record(
            r#"{"recordName":"a","recordType":"Note","fields":{"n":{"value":1,"type":"INT64"}}}"#,
        );
        assert!(
            !same_content(&fewer, &server),
            "the server has a field the line lacks"
        );
        let other = record(
            r#"{"recordName":"a","recordType":"Note",
                "fields":{"n":{"value":2,"type":"INT64"},"s":{"value":"x","type":"STRING"}}}"#,
        );
        assert!(!same_content(&other, &server));
    }
}
