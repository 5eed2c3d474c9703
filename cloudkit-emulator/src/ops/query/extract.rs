//! What a query reads from a stored record: custom fields extracted by SQLite, system fields
//! from the row.

use cloudkit_schema::{FieldType, ScalarType, SystemField};
use cloudkit_wire::ws::{FieldValue, Value};
use rusqlite::types::Value as SqlValue;

use crate::storage::{Candidate, json_path, native_scalar};

/// How a field a query reads is taken out of the stored JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Extract {
    /// The field's name.
    pub name: String,
    /// The JSON path handed to SQLite.
    pub path: String,
    /// `Some` when SQLite yields the scalar itself (a number or text), `None` when it yields
    /// the field value dictionary as JSON text.
    pub(super) scalar: Option<ScalarType>,
    /// Whether the store keeps an index on the path (see `LiveSchema::index_paths`).
    pub(super) indexed: bool,
}

impl Extract {
    /// How field `name` of this type is read.
    pub(super) fn new(name: &str, field_type: FieldType) -> Extract {
        let scalar = native_scalar(field_type);
        let path = json_path(name, scalar);
        Extract {
            name: name.to_owned(),
            path,
            scalar,
            indexed: false,
        }
    }

    /// The value SQLite extracted, as a field value the comparators understand. Reference
    /// and bytes scalars come out as their record name and base64 text, which compare the same.
    pub(super) fn decode(&self, raw: &SqlValue) -> Option<Value> {
        match (self.scalar, raw) {
            (_, SqlValue::Null) => None,
            (None, SqlValue::Text(t)) => {
                serde_json::from_str::<FieldValue>(t).ok().map(|f| f.value)
            }
            (Some(ScalarType::Timestamp), SqlValue::Integer(i)) => {
                Some(Value::Timestamp(cloudkit_wire::Timestamp::from_millis(*i)))
            }
            (Some(ScalarType::Double), SqlValue::Integer(i)) => Some(Value::Double(*i as f64)),
            (Some(_), SqlValue::Integer(i)) => Some(Value::Int64(*i)),
            (Some(_), SqlValue::Real(f)) => Some(Value::Double(*f)),
            (Some(_), SqlValue::Text(t)) => Some(Value::String(t.clone())),
            _ => None,
        }
    }
}

/// A query candidate with the fields the query reads decoded.
#[derive(Debug)]
pub struct LoadedRecord {
    /// The candidate row.
    pub candidate: Candidate,
    values: Vec<Option<Value>>,
}

impl LoadedRecord {
    /// Decodes the extracted fields of a candidate.
    pub fn new(candidate: Candidate, extracts: &[Extract]) -> LoadedRecord {
        let values = candidate
            .fields
            .iter()
            .zip(extracts)
            .map(|(raw, x)| x.decode(raw))
            .collect();
        LoadedRecord { candidate, values }
    }
}

/// What a filter or sort reads: a custom field or a system field.
#[derive(Debug, Clone)]
pub(super) enum Target {
    /// A custom field: its index in [`PreparedQuery::extracts`].
    Field(usize),
    /// A system field.
    System(SystemField),
}

impl Target {
    /// The value read from a record, if it has one.
    pub(super) fn value(&self, r: &LoadedRecord) -> Option<Value> {
        let s = &r.candidate;
        match self {
            Target::Field(i) => r.values.get(*i).cloned().flatten(),
            Target::System(sf) => Some(match sf {
                SystemField::RecordId => Value::String(s.record_name.clone()),
                SystemField::CreatedBy => Value::String(s.created.user_record_name.clone()),
                SystemField::ModifiedBy => Value::String(s.modified.user_record_name.clone()),
                SystemField::CreateTime => {
                    Value::Timestamp(cloudkit_wire::Timestamp::from_millis(s.created.timestamp))
                }
                SystemField::ModTime => {
                    Value::Timestamp(cloudkit_wire::Timestamp::from_millis(s.modified.timestamp))
                }
                // `___etag` has no wire name, so no filter or sort reaches it.
                SystemField::Etag => return None,
            }),
        }
    }
}
