//! Query evaluation: checking a query against the schema's indexes, then matching, sorting and
//! keying records (web-services spec §4.10–4.12, §7).

use std::cmp::Ordering;

use base64::Engine as _;
use cloudkit_schema::{ElementType, FieldType, Indexes, RecordType, ScalarType, SystemField};
use cloudkit_wire::ws::{Comparator, FieldRef, FieldValue, Query, Value};
use cloudkit_wire::{Location, ws as wire};
use serde::{Deserialize, Serialize};

use crate::error::ServerError;
use crate::schema::{LiveSchema, coerce};
use rusqlite::types::Value as SqlValue;

use crate::storage::{Candidate, Condition, ConditionOp, is_plain_name, json_path, native_scalar};

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

    fn matches(&self, other: &SortKey) -> bool {
        *self != SortKey::Null && self.compare(other) == Ordering::Equal
    }
}

/// The key of a scalar value, if it has an order.
fn scalar_key(v: &Value) -> Option<SortKey> {
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
fn list_keys(v: &Value) -> Option<Vec<SortKey>> {
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

/// How a field a query reads is taken out of the stored JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Extract {
    /// The field's name.
    pub name: String,
    /// The JSON path handed to SQLite.
    pub path: String,
    /// `Some` when SQLite yields the scalar itself (a number or text), `None` when it yields
    /// the field value dictionary as JSON text.
    scalar: Option<ScalarType>,
}

impl Extract {
    fn new(name: &str, field_type: FieldType) -> Extract {
        let scalar = native_scalar(field_type);
        let path = json_path(name, scalar);
        Extract {
            name: name.to_owned(),
            path,
            scalar,
        }
    }

    /// The value SQLite extracted, as a field value the comparators understand. Reference
    /// and bytes scalars come out as their record name and base64 text, which compare the same.
    fn decode(&self, raw: &SqlValue) -> Option<Value> {
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

#[derive(Debug, Clone)]
enum Target {
    /// A custom field: its index in [`PreparedQuery::extracts`].
    Field(usize),
    System(SystemField),
}

impl Target {
    fn value(&self, r: &LoadedRecord) -> Option<Value> {
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

#[derive(Debug, Clone)]
struct PreparedFilter {
    target: Target,
    comparator: Comparator,
    value: Value,
    distance: f64,
}

#[derive(Debug, Clone)]
struct PreparedSort {
    target: Target,
    ascending: bool,
    relative: Option<Location>,
}

/// A query checked against the schema, ready to run.
#[derive(Debug, Clone)]
pub struct PreparedQuery {
    /// The record type queried.
    pub record_type: String,
    /// The custom fields filters and sorts read, in the order [`Candidate::fields`] holds them.
    pub extracts: Vec<Extract>,
    filters: Vec<PreparedFilter>,
    sorts: Vec<PreparedSort>,
}

fn not_marked(field: &str, what: &str) -> ServerError {
    ServerError::bad_request(format!("Field '{field}' is not marked {what}"))
}

/// How a comparator uses the field: which index, whether the field must be a list, and the
/// type its `fieldValue` takes.
fn comparator_needs(c: Comparator) -> (fn(&Indexes) -> bool, &'static str, Option<bool>) {
    use Comparator as C;
    match c {
        C::LessThan | C::LessThanOrEquals | C::GreaterThan | C::GreaterThanOrEquals => {
            (Indexes::is_sortable, "sortable", Some(false))
        }
        C::ContainsAllTokens | C::ContainsAnyTokens => (Indexes::is_searchable, "searchable", None),
        C::ListContains
        | C::NotListContains
        | C::ListContainsAny
        | C::NotListContainsAny
        | C::ListContainsAll
        | C::NotListContainsAll
        | C::ListMemberBeginsWith
        | C::NotListMemberBeginsWith => (Indexes::is_queryable, "queryable", Some(true)),
        _ => (Indexes::is_queryable, "queryable", Some(false)),
    }
}

/// The type a filter's `fieldValue` must have for a field of `field_type`.
fn operand_type(c: Comparator, field_type: FieldType) -> FieldType {
    let e = ElementType::plain(field_type.element().scalar);
    match c {
        Comparator::ContainsAllTokens
        | Comparator::ContainsAnyTokens
        | Comparator::BeginsWith
        | Comparator::NotBeginsWith
        | Comparator::ListMemberBeginsWith
        | Comparator::NotListMemberBeginsWith => {
            FieldType::Element(ElementType::plain(ScalarType::String))
        }
        c if c.takes_list_value() => FieldType::List(e),
        _ => FieldType::Element(e),
    }
}

fn system_field(field: &wire::SystemField) -> Result<SystemField, ServerError> {
    let sf = match field {
        wire::SystemField::RecordName => SystemField::RecordId,
        wire::SystemField::CreatedUserRecordName => SystemField::CreatedBy,
        wire::SystemField::CreatedTimestamp => SystemField::CreateTime,
        wire::SystemField::ModifiedTimestamp => SystemField::ModTime,
        wire::SystemField::ModifiedUserRecordName => SystemField::ModifiedBy,
        other => {
            return Err(ServerError::bad_request(format!(
                "system field '{}' cannot be queried here",
                other.as_str()
            )));
        }
    };
    Ok(sf)
}

fn lookup_field<'r>(
    rt: &'r RecordType,
    field: &FieldRef,
    field_names: &mut Vec<Extract>,
) -> Result<(Target, &'r cloudkit_schema::Field, String), ServerError> {
    match field {
        FieldRef::Field(name) => {
            if let Some(sf) = SystemField::from_schema_name(name) {
                let f = rt
                    .field(sf.schema_name())
                    .ok_or_else(|| unknown_field(rt, name))?;
                return Ok((Target::System(sf), f, name.clone()));
            }
            let f = rt.field(name).ok_or_else(|| unknown_field(rt, name))?;
            if !is_plain_name(name) {
                return Err(ServerError::bad_request(format!(
                    "field name '{name}' cannot be queried"
                )));
            }
            let at = match field_names.iter().position(|x| x.name == *name) {
                Some(at) => at,
                None => {
                    field_names.push(Extract::new(name, f.field_type));
                    field_names.len() - 1
                }
            };
            Ok((Target::Field(at), f, name.clone()))
        }
        FieldRef::System(s) => {
            let sf = system_field(s)?;
            let f = rt
                .field(sf.schema_name())
                .ok_or_else(|| unknown_field(rt, s.as_str()))?;
            Ok((Target::System(sf), f, s.as_str().to_owned()))
        }
    }
}

fn unknown_field(rt: &RecordType, name: &str) -> ServerError {
    ServerError::bad_request(format!("Unknown field '{name}' in record type {}", rt.name))
}

/// Coerces a filter operand; system reference fields also take plain record names.
fn operand(
    name: &str,
    value: &FieldValue,
    ty: FieldType,
    system: bool,
) -> Result<Value, ServerError> {
    let first = coerce(name, value.clone(), ty);
    match first {
        Ok(v) => Ok(v.value),
        Err(e) if system && ty.element().scalar == ScalarType::Reference => {
            let as_string = FieldType::Element(ElementType::plain(ScalarType::String));
            let ty = if ty.is_list() {
                FieldType::List(ElementType::plain(ScalarType::String))
            } else {
                as_string
            };
            coerce(name, value.clone(), ty)
                .map(|v| v.value)
                .map_err(|_| e)
        }
        Err(e) => Err(e),
    }
}

/// Checks a query against the schema: the type exists, every filtered field is QUERYABLE (or
/// SORTABLE for ordering comparators, SEARCHABLE for token search), every sorted field
/// SORTABLE, and every operand has the field's type.
pub fn prepare(schema: &LiveSchema, query: &Query) -> Result<PreparedQuery, ServerError> {
    let rt = schema.record_type(&query.record_type).ok_or_else(|| {
        ServerError::bad_request(format!("Did not find record type: {}", query.record_type))
    })?;
    if query.filter_by.is_empty() {
        let indexed = rt
            .field(SystemField::RecordId.schema_name())
            .is_some_and(|f| f.indexes.is_queryable());
        if !indexed {
            return Err(not_marked("recordName", "queryable"));
        }
    }
    let mut field_names = Vec::new();
    let mut filters = Vec::with_capacity(query.filter_by.len());
    for filter in &query.filter_by {
        let (target, field, name) = lookup_field(rt, &filter.field, &mut field_names)?;
        let ft = field.field_type;
        if ft.is_encrypted() {
            return Err(ServerError::bad_request(format!(
                "Field '{name}' has a value type of ENCRYPTED_{} and cannot be queried using filter type {}",
                ft.element().scalar,
                filter.comparator
            )));
        }
        let (has_index, index_name, wants_list) = comparator_needs(filter.comparator);
        if !has_index(&field.indexes) {
            return Err(not_marked(&name, index_name));
        }
        if let Some(list) = wants_list
            && list != ft.is_list()
        {
            return Err(ServerError::bad_request(format!(
                "comparator {} cannot be used on field '{name}' of type {ft}",
                filter.comparator
            )));
        }
        let scalar = ft.element().scalar;
        let ok_for_type = match filter.comparator {
            Comparator::Near => scalar == ScalarType::Location,
            Comparator::BeginsWith
            | Comparator::NotBeginsWith
            | Comparator::ContainsAllTokens
            | Comparator::ContainsAnyTokens
            | Comparator::ListMemberBeginsWith
            | Comparator::NotListMemberBeginsWith => scalar == ScalarType::String,
            Comparator::LessThan
            | Comparator::LessThanOrEquals
            | Comparator::GreaterThan
            | Comparator::GreaterThanOrEquals => scalar.is_ordered() || scalar == ScalarType::Bytes,
            _ => !matches!(scalar, ScalarType::Asset | ScalarType::Location),
        };
        if !ok_for_type {
            return Err(ServerError::bad_request(format!(
                "comparator {} cannot be used on field '{name}' of type {ft}",
                filter.comparator
            )));
        }
        let value = operand(
            &name,
            &filter.field_value,
            operand_type(filter.comparator, ft),
            matches!(target, Target::System(_)),
        )?;
        let distance = match (filter.comparator, filter.distance) {
            (Comparator::Near, Some(d)) if d.is_finite() && d >= 0.0 => d,
            (Comparator::Near, _) => {
                return Err(ServerError::bad_request(
                    "NEAR needs a non-negative distance in metres",
                ));
            }
            _ => 0.0,
        };
        filters.push(PreparedFilter {
            target,
            comparator: filter.comparator,
            value,
            distance,
        });
    }
    let mut sorts = Vec::with_capacity(query.sort_by.len());
    for sort in &query.sort_by {
        let (target, field, name) = lookup_field(rt, &sort.field, &mut field_names)?;
        if !field.indexes.is_sortable() {
            return Err(not_marked(&name, "sortable"));
        }
        if field.field_type.is_list() {
            return Err(ServerError::bad_request(format!(
                "list field '{name}' cannot be sorted"
            )));
        }
        let relative = match (&sort.relative_location, field.field_type.element().scalar) {
            (Some(v), ScalarType::Location) => match operand(&name, v, field.field_type, false)? {
                Value::Location(l) => Some(l),
                _ => {
                    return Err(ServerError::bad_request(
                        "relativeLocation must be a LOCATION",
                    ));
                }
            },
            (None, ScalarType::Location) => {
                return Err(ServerError::bad_request(format!(
                    "sorting by location field '{name}' needs relativeLocation"
                )));
            }
            (Some(_), _) => {
                return Err(ServerError::bad_request(
                    "relativeLocation is only for LOCATION fields",
                ));
            }
            (None, _) => None,
        };
        sorts.push(PreparedSort {
            target,
            ascending: sort.ascending.unwrap_or(true),
            relative: relative.map(|l| *l),
        });
    }
    Ok(PreparedQuery {
        record_type: query.record_type.clone(),
        extracts: field_names,
        filters,
        sorts,
    })
}

fn starts_with(hay: &SortKey, prefix: &SortKey) -> bool {
    matches!((hay, prefix), (SortKey::Text(h), SortKey::Text(p)) if h.starts_with(p.as_str()))
}

impl PreparedFilter {
    fn matches(&self, r: &LoadedRecord) -> bool {
        use Comparator as C;
        let left = self.target.value(r).filter(|v| !v.is_null());
        let right = &self.value;
        let positive = |c: C| -> bool {
            let Some(left) = &left else { return false };
            match c {
                C::Equals => match (scalar_key(left), scalar_key(right)) {
                    (Some(a), Some(b)) => a.matches(&b),
                    _ => false,
                },
                C::LessThan | C::LessThanOrEquals | C::GreaterThan | C::GreaterThanOrEquals => {
                    let (Some(a), Some(b)) = (scalar_key(left), scalar_key(right)) else {
                        return false;
                    };
                    let o = a.compare(&b);
                    match c {
                        C::LessThan => o == Ordering::Less,
                        C::LessThanOrEquals => o != Ordering::Greater,
                        C::GreaterThan => o == Ordering::Greater,
                        _ => o != Ordering::Less,
                    }
                }
                C::In => match (scalar_key(left), list_keys(right)) {
                    (Some(a), Some(set)) => set.iter().any(|b| a.matches(b)),
                    _ => false,
                },
                C::BeginsWith => match (scalar_key(left), scalar_key(right)) {
                    (Some(a), Some(b)) => starts_with(&a, &b),
                    _ => false,
                },
                C::ContainsAllTokens | C::ContainsAnyTokens => {
                    let text = match left {
                        Value::String(s) => s.clone(),
                        Value::StringList(xs) => xs.join(" "),
                        _ => return false,
                    };
                    let have = tokens(&text);
                    let Value::String(want) = right else {
                        return false;
                    };
                    let want = tokens(want);
                    if c == C::ContainsAllTokens {
                        !want.is_empty() && want.iter().all(|w| have.contains(w))
                    } else {
                        want.iter().any(|w| have.contains(w))
                    }
                }
                C::Near => match (left, right) {
                    (Value::Location(a), Value::Location(b)) => distance_m(a, b) <= self.distance,
                    _ => false,
                },
                C::ListContains => match (list_keys(left), scalar_key(right)) {
                    (Some(xs), Some(b)) => xs.iter().any(|a| a.matches(&b)),
                    _ => false,
                },
                C::ListContainsAny => match (list_keys(left), list_keys(right)) {
                    (Some(xs), Some(ys)) => ys.iter().any(|b| xs.iter().any(|a| a.matches(b))),
                    _ => false,
                },
                C::ListContainsAll => match (list_keys(left), list_keys(right)) {
                    (Some(xs), Some(ys)) => ys.iter().all(|b| xs.iter().any(|a| a.matches(b))),
                    _ => false,
                },
                C::ListMemberBeginsWith => match (list_keys(left), scalar_key(right)) {
                    (Some(xs), Some(b)) => xs.iter().any(|a| starts_with(a, &b)),
                    _ => false,
                },
                _ => false,
            }
        };
        match self.comparator {
            C::NotEquals => !positive(C::Equals),
            C::NotIn => !positive(C::In),
            C::NotBeginsWith => !positive(C::BeginsWith),
            C::NotListContains => !positive(C::ListContains),
            C::NotListContainsAny => !positive(C::ListContainsAny),
            C::NotListContainsAll => !positive(C::ListContainsAll),
            C::NotListMemberBeginsWith => !positive(C::ListMemberBeginsWith),
            c => positive(c),
        }
    }
}

/// The keyset of a row answered in SQL, in the form [`PreparedQuery::sort_key`] gives.
pub fn row_key(row: &crate::storage::PageRow, sorted: bool) -> Vec<SortKey> {
    let mut key = Vec::with_capacity(3);
    if sorted {
        key.push(match &row.sort_value {
            SqlValue::Integer(i) => SortKey::Int(*i),
            SqlValue::Real(f) => SortKey::Float(*f),
            SqlValue::Text(t) => SortKey::Text(t.clone()),
            _ => SortKey::Null,
        });
    }
    key.push(SortKey::Text(row.zone_name.clone()));
    key.push(SortKey::Text(row.record_name.clone()));
    key
}

/// The SQL cursor for a keyset from a continuation marker.
pub fn page_cursor(
    key: &[SortKey],
    sorted: bool,
) -> Result<crate::storage::PageCursor, ServerError> {
    let bad = || ServerError::bad_request("invalid continuationMarker: it does not fit this query");
    let (value, rest) = if sorted {
        let (first, rest) = key.split_first().ok_or_else(bad)?;
        let v = match first {
            SortKey::Int(i) => SqlValue::Integer(*i),
            SortKey::Float(f) => SqlValue::Real(*f),
            SortKey::Text(t) => SqlValue::Text(t.clone()),
            SortKey::Null => SqlValue::Null,
        };
        (v, rest)
    } else {
        (SqlValue::Null, key)
    };
    match rest {
        [SortKey::Text(zone_name), SortKey::Text(record_name)] => Ok(crate::storage::PageCursor {
            sort_value: value,
            zone_name: zone_name.clone(),
            record_name: record_name.clone(),
        }),
        _ => Err(bad()),
    }
}

/// A query SQLite can answer on its own, page and order included: every filter is a
/// [`Condition`], and there is at most one sort, on a scalar field or a timestamp column.
#[derive(Debug, Clone)]
pub struct SqlPlan {
    /// The filters.
    pub conditions: Vec<Condition>,
    /// The sort: SQL expression of the key and direction; `None` sorts by zone and name only.
    pub order: Option<(String, bool)>,
    /// The field index to scan, when the sort is on an indexed field.
    pub index: Option<String>,
}

impl PreparedQuery {
    /// The plan for answering this query in SQL, when it is simple enough; `None` means the
    /// general path (decode, filter, sort in Rust), which gives the same answers.
    pub fn sql_plan(&self) -> Option<SqlPlan> {
        let conditions = self.conditions();
        if conditions.len() != self.filters.len() || self.sorts.len() > 1 {
            return None;
        }
        let mut index = None;
        let order = match self.sorts.first() {
            None => None,
            Some(sort) if sort.relative.is_some() => return None,
            Some(sort) => {
                let expr = match &sort.target {
                    Target::Field(i) => {
                        let x = self.extracts.get(*i)?;
                        x.scalar?;
                        // Sorting needs SORTABLE, and every sortable scalar field has an index.
                        index = Some(crate::storage::field_index_name(&x.path));
                        format!("json_extract(fields, '{}')", x.path)
                    }
                    Target::System(SystemField::CreateTime) => "created_ts".to_owned(),
                    Target::System(SystemField::ModTime) => "modified_ts".to_owned(),
                    Target::System(_) => return None,
                };
                Some((expr, sort.ascending))
            }
        };
        Some(SqlPlan {
            conditions,
            order,
            index,
        })
    }

    /// Filters SQLite can apply while scanning: ordering and equality comparisons on scalar
    /// fields it extracts natively. SQLite orders numbers before text, as [`SortKey`] does, and
    /// compares text bytewise, as Rust does, so these keep every row the filters keep.
    pub fn conditions(&self) -> Vec<Condition> {
        let mut out = Vec::new();
        for f in &self.filters {
            let Target::Field(i) = f.target else { continue };
            let Some(x) = self.extracts.get(i) else {
                continue;
            };
            if x.scalar.is_none() {
                continue;
            }
            let op = match f.comparator {
                Comparator::Equals => ConditionOp::Eq,
                Comparator::LessThan => ConditionOp::Lt,
                Comparator::LessThanOrEquals => ConditionOp::Le,
                Comparator::GreaterThan => ConditionOp::Gt,
                Comparator::GreaterThanOrEquals => ConditionOp::Ge,
                _ => continue,
            };
            let value = match scalar_key(&f.value) {
                Some(SortKey::Int(i)) => SqlValue::Integer(i),
                Some(SortKey::Float(v)) if v.is_finite() => SqlValue::Real(v),
                Some(SortKey::Text(t)) => SqlValue::Text(t),
                _ => continue,
            };
            out.push(Condition {
                path: x.path.clone(),
                op,
                value,
            });
        }
        out
    }

    /// Whether the record passes every filter.
    pub fn matches(&self, r: &LoadedRecord) -> bool {
        self.filters.iter().all(|f| f.matches(r))
    }

    /// The record's sort key: one component per sort descriptor, then zone and record name so
    /// that the order is total.
    pub fn sort_key(&self, r: &LoadedRecord) -> Vec<SortKey> {
        let mut key = Vec::with_capacity(self.sorts.len() + 2);
        for s in &self.sorts {
            let v = s.target.value(r);
            let k = match (&s.relative, v) {
                (Some(origin), Some(Value::Location(l))) => SortKey::Float(distance_m(origin, &l)),
                (_, Some(v)) => scalar_key(&v).unwrap_or(SortKey::Null),
                (_, None) => SortKey::Null,
            };
            key.push(k);
        }
        key.push(SortKey::Text(r.candidate.zone_name.clone()));
        key.push(SortKey::Text(r.candidate.record_name.clone()));
        key
    }

    /// Compares two sort keys in result order (descending sorts reversed; nulls last).
    pub fn compare(&self, a: &[SortKey], b: &[SortKey]) -> Ordering {
        for (i, (x, y)) in a.iter().zip(b.iter()).enumerate() {
            let ascending = self.sorts.get(i).is_none_or(|s| s.ascending);
            let o = match (x, y) {
                (SortKey::Null, SortKey::Null) => Ordering::Equal,
                (SortKey::Null, _) => Ordering::Greater,
                (_, SortKey::Null) => Ordering::Less,
                _ if ascending => x.compare(y),
                _ => y.compare(x),
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.len().cmp(&b.len())
    }
}

#[cfg(test)]
mod tests;
