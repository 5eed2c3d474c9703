//! Running a prepared query in Rust: matching records against filters and ordering them.

use std::cmp::Ordering;

use cloudkit_wire::ws::{Comparator, Value};

use super::extract::LoadedRecord;
use super::prepare::{PreparedFilter, PreparedQuery};
use super::sort_key::{SortKey, distance_m, list_keys, scalar_key, starts_with, tokens};

/// Whether sorted `keys` hold a key equal to `key` (null equals nothing).
fn contains(keys: &[SortKey], key: &SortKey) -> bool {
    *key != SortKey::Null && keys.binary_search_by(|k| k.compare(key)).is_ok()
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
                C::In => match (scalar_key(left), &self.list) {
                    (Some(a), Some(set)) => contains(set, &a),
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
                C::ListContainsAny => match (list_keys(left), &self.list) {
                    (Some(xs), Some(ys)) => xs.iter().any(|a| contains(ys, a)),
                    _ => false,
                },
                C::ListContainsAll => match (list_keys(left), &self.list) {
                    (Some(mut xs), Some(ys)) => {
                        xs.sort_by(SortKey::compare);
                        ys.iter().all(|b| contains(&xs, b))
                    }
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

impl PreparedQuery {
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
