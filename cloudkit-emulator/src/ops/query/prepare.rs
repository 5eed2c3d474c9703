//! Checking a query against the schema's indexes (web-services spec §4.10–4.12, §7): the
//! record type exists, each filtered or sorted field has the index its comparator needs, and
//! each operand has the field's type.

use cloudkit_schema::{ElementType, FieldType, Indexes, RecordType, ScalarType, SystemField};
use cloudkit_wire::Location;
use cloudkit_wire::ws::{self as wire, Comparator, FieldRef, FieldValue, Query, Value};

use super::extract::{Extract, Target};
use super::sort_key::{SortKey, list_keys};
use crate::error::ServerError;
use crate::ops::limits::{MAX_FILTERS, MAX_LIST_VALUES, MAX_SORTS};
use crate::schema::{LiveSchema, coerce};
use crate::storage::is_plain_name;

/// One filter, checked against the schema.
#[derive(Debug, Clone)]
pub(super) struct PreparedFilter {
    pub(super) target: Target,
    pub(super) comparator: Comparator,
    pub(super) value: Value,
    /// The keys of a list operand, sorted once so that each record is matched by binary search.
    pub(super) list: Option<Vec<SortKey>>,
    pub(super) distance: f64,
}

/// One sort descriptor, checked against the schema.
#[derive(Debug, Clone)]
pub(super) struct PreparedSort {
    pub(super) target: Target,
    pub(super) ascending: bool,
    pub(super) relative: Option<Location>,
}

/// A query checked against the schema, ready to run.
#[derive(Debug, Clone)]
pub struct PreparedQuery {
    /// The record type queried.
    pub record_type: String,
    /// The custom fields filters and sorts read, in the order [`Candidate::fields`] holds them.
    pub extracts: Vec<Extract>,
    pub(super) filters: Vec<PreparedFilter>,
    pub(super) sorts: Vec<PreparedSort>,
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
    if query.filter_by.len() > MAX_FILTERS {
        return Err(ServerError::bad_request(format!(
            "too many filters in one query: {}, the limit is {MAX_FILTERS}",
            query.filter_by.len()
        )));
    }
    if query.sort_by.len() > MAX_SORTS {
        return Err(ServerError::bad_request(format!(
            "too many sort descriptors in one query: {}, the limit is {MAX_SORTS}",
            query.sort_by.len()
        )));
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
        // CloudKit refuses an untyped IN / NOT_IN list rather than inferring its type (spec
        // §4.11, pitfall 13); the list needs its `*_LIST` type.
        if matches!(filter.comparator, Comparator::In | Comparator::NotIn)
            && matches!(filter.field_value.value, Value::Untyped(_))
        {
            return Err(ServerError::bad_request(format!(
                "BadRequestException: Unexpected input: the {} value for field '{name}' needs its list type, e.g. INT64_LIST",
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
        let list = list_keys(&value).map(|mut keys| {
            keys.sort_by(SortKey::compare);
            keys
        });
        if let Some(keys) = &list
            && keys.len() > MAX_LIST_VALUES
        {
            return Err(ServerError::bad_request(format!(
                "too many values in the {} filter on field '{name}': {}, the limit is {MAX_LIST_VALUES}",
                filter.comparator,
                keys.len()
            )));
        }
        filters.push(PreparedFilter {
            target,
            comparator: filter.comparator,
            value,
            list,
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
    let indexed = schema.index_paths();
    for x in &mut field_names {
        x.indexed = indexed.contains(&x.path);
    }
    Ok(PreparedQuery {
        record_type: query.record_type.clone(),
        extracts: field_names,
        filters,
        sorts,
    })
}
