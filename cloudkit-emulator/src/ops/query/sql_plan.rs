//! Running a prepared query in SQL: the plan for queries simple enough for one indexed
//! statement, and the keyset cursor between a page's rows and continuation markers.

use cloudkit_schema::SystemField;
use cloudkit_wire::ws::Comparator;
use rusqlite::types::Value as SqlValue;

use super::extract::Target;
use super::prepare::PreparedQuery;
use super::sort_key::{SortKey, scalar_key};
use crate::error::ServerError;
use crate::storage::{Condition, ConditionOp, PageCursor, PageRow, field_index_name};

/// The keyset of a row answered in SQL, in the form [`PreparedQuery::sort_key`] gives.
pub fn row_key(row: &PageRow, sorted: bool) -> Vec<SortKey> {
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
pub fn page_cursor(key: &[SortKey], sorted: bool) -> Result<PageCursor, ServerError> {
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
        [SortKey::Text(zone_name), SortKey::Text(record_name)] => Ok(PageCursor {
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
                        // Sorting needs SORTABLE; a sortable field has an index unless the
                        // store's cap left it out, and then SQLite sorts the type's rows.
                        index = x.indexed.then(|| field_index_name(&x.path));
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
}
