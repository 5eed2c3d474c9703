//! Sort keys: a record's position in a sorted result, and the comparisons filters make on
//! values (numbers numerically, strings by code point, token search, distances).

use std::cmp::Ordering;

use base64::Engine as _;
use cloudkit_wire::Location;
use cloudkit_wire::ws::Value;
use serde::{Deserialize, Serialize};

/// One component of a record's position in a sorted result, comparable across types the way
/// CloudKit's indexes compare them (numbers numerically, strings by code point).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SortKey {
    /// No value; sorts after every value.
    Null,
    /// An integer (INT64, TIMESTAMP in milliseconds).
    Int(i64),
    /// A float (DOUBLE, distances).
    Float(f64),
    /// Text (STRING, record names of references, base64 of BYTES).
    Text(String),
}

impl SortKey {
    fn rank(&self) -> u8 {
        match self {
            SortKey::Int(_) | SortKey::Float(_) => 0,
            SortKey::Text(_) => 1,
            SortKey::Null => 2,
        }
    }

    /// A total order: numbers (mixed int/float compared by value), then text, then null.
    pub fn compare(&self, other: &SortKey) -> Ordering {
        match (self, other) {
            (SortKey::Int(a), SortKey::Int(b)) => a.cmp(b),
            (SortKey::Int(a), SortKey::Float(b)) => (*a as f64).total_cmp(b),
            (SortKey::Float(a), SortKey::Int(b)) => a.total_cmp(&(*b as f64)),
            (SortKey::Float(a), SortKey::Float(b)) => a.total_cmp(b),
            (SortKey::Text(a), SortKey::Text(b)) => a.cmp(b),
            (a, b) => a.rank().cmp(&b.rank()),
        }
    }

    /// Whether two keys are equal values (null equals nothing, itself included).
    pub(super) fn matches(&self, other: &SortKey) -> bool {
        *self != SortKey::Null && self.compare(other) == Ordering::Equal
    }
}

/// The key of a scalar value, if it has an order.
pub(super) fn scalar_key(v: &Value) -> Option<SortKey> {
    Some(match v {
        Value::String(s) => SortKey::Text(s.clone()),
        Value::Int64(i) => SortKey::Int(*i),
        Value::Double(d) => SortKey::Float(*d),
        Value::Timestamp(t) => SortKey::Int(t.as_millis()),
        Value::Boolean(b) => SortKey::Int(i64::from(*b)),
        Value::Reference(r) => SortKey::Text(r.record_name.clone()),
        Value::Bytes(b) | Value::EncryptedBytes(b) => {
            SortKey::Text(base64::engine::general_purpose::STANDARD.encode(b))
        }
        _ => return None,
    })
}

/// The elements of a list value as keys (locations excluded).
pub(super) fn list_keys(v: &Value) -> Option<Vec<SortKey>> {
    Some(match v {
        Value::StringList(xs) => xs.iter().cloned().map(SortKey::Text).collect(),
        Value::Int64List(xs) => xs.iter().copied().map(SortKey::Int).collect(),
        Value::DoubleList(xs) => xs.iter().copied().map(SortKey::Float).collect(),
        Value::TimestampList(xs) => xs.iter().map(|t| SortKey::Int(t.as_millis())).collect(),
        Value::BooleanList(xs) => xs.iter().map(|b| SortKey::Int(i64::from(*b))).collect(),
        Value::ReferenceList(xs) => xs
            .iter()
            .map(|r| SortKey::Text(r.record_name.clone()))
            .collect(),
        Value::BytesList(xs) => xs
            .iter()
            .map(|b| SortKey::Text(base64::engine::general_purpose::STANDARD.encode(b)))
            .collect(),
        _ => return None,
    })
}

/// Lower-cased words of a text, split at anything that is not a letter or digit.
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Great-circle distance in metres (haversine, mean Earth radius).
pub fn distance_m(a: &Location, b: &Location) -> f64 {
    const R: f64 = 6_371_008.8;
    let (la1, la2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let dla = (b.latitude - a.latitude).to_radians();
    let dlo = (b.longitude - a.longitude).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// Whether text key `hay` starts with text key `prefix`.
pub(super) fn starts_with(hay: &SortKey, prefix: &SortKey) -> bool {
    matches!((hay, prefix), (SortKey::Text(h), SortKey::Text(p)) if h.starts_with(p.as_str()))
}
