//! Typed queries: `Note::query().filter(…).sort(…)`, producing the wire query dictionary.

use std::fmt;
use std::marker::PhantomData;

use cloudkit_wire::CloudKitRecord;
use cloudkit_wire::ws as wire;

use super::field_name::FieldName;

/// One condition on records of type `R`, made by a field handle method
/// (`Note::fields().title().begins_with("Shop")`).
pub struct Filter<R> {
    inner: wire::Filter,
    _record: PhantomData<fn() -> R>,
}

impl<R> Filter<R> {
    pub(crate) fn from_wire(inner: wire::Filter) -> Self {
        Filter {
            inner,
            _record: PhantomData,
        }
    }

    /// The wire filter dictionary.
    pub fn into_wire(self) -> wire::Filter {
        self.inner
    }

    /// The wire filter dictionary, borrowed.
    pub fn as_wire(&self) -> &wire::Filter {
        &self.inner
    }
}

impl<R> Clone for Filter<R> {
    fn clone(&self) -> Self {
        Filter::from_wire(self.inner.clone())
    }
}

impl<R> fmt::Debug for Filter<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

/// One sort descriptor for records of type `R` (`Note::fields().title().ascending()`).
pub struct Sort<R> {
    inner: wire::Sort,
    _record: PhantomData<fn() -> R>,
}

impl<R> Sort<R> {
    pub(crate) fn from_wire(inner: wire::Sort) -> Self {
        Sort {
            inner,
            _record: PhantomData,
        }
    }

    /// The wire sort descriptor.
    pub fn into_wire(self) -> wire::Sort {
        self.inner
    }
}

impl<R> Clone for Sort<R> {
    fn clone(&self) -> Self {
        Sort::from_wire(self.inner.clone())
    }
}

impl<R> fmt::Debug for Sort<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

/// A field to fetch (`desiredKeys`), from `Note::fields().title().key()`.
pub struct Key<R> {
    name: FieldName,
    _record: PhantomData<fn() -> R>,
}

impl<R> Key<R> {
    pub(crate) fn new(name: FieldName) -> Self {
        Key {
            name,
            _record: PhantomData,
        }
    }

    /// The `desiredKeys` entry: the schema name of a custom field; `None` for a system field
    /// (system fields always arrive as record metadata).
    pub fn desired_key(&self) -> Option<&'static str> {
        match self.name {
            FieldName::Field(name) => Some(name),
            FieldName::System(_) => None,
        }
    }
}

impl<R> Clone for Key<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Key<R> {}

impl<R> fmt::Debug for Key<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.name.fmt(f)
    }
}

/// A query for records of type `R`: filters (all must match), sorts (in order), and which
/// fields to fetch.
///
/// ```ignore
/// let q = Note::query()
///     .filter(Note::fields().title().begins_with("Shop"))
///     .sort(Note::fields().modified_at().descending());
/// let json = serde_json::to_string(&q.to_wire())?;
/// ```
pub struct Query<R> {
    filters: Vec<wire::Filter>,
    sorts: Vec<wire::Sort>,
    desired_keys: Option<Vec<String>>,
    _record: PhantomData<fn() -> R>,
}

impl<R> Clone for Query<R> {
    fn clone(&self) -> Self {
        Query {
            filters: self.filters.clone(),
            sorts: self.sorts.clone(),
            desired_keys: self.desired_keys.clone(),
            _record: PhantomData,
        }
    }
}

impl<R: CloudKitRecord> fmt::Debug for Query<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Query")
            .field("record_type", &R::RECORD_TYPE)
            .field("filters", &self.filters)
            .field("sorts", &self.sorts)
            .field("desired_keys", &self.desired_keys)
            .finish()
    }
}

impl<R: CloudKitRecord> Default for Query<R> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R: CloudKitRecord> Query<R> {
    /// A query matching every record of type `R` (needs `___recordID` QUERYABLE on the
    /// server).
    pub fn new() -> Self {
        Query {
            filters: Vec::new(),
            sorts: Vec::new(),
            desired_keys: None,
            _record: PhantomData,
        }
    }

    /// Adds a filter; all filters must match.
    #[must_use]
    pub fn filter(mut self, filter: Filter<R>) -> Self {
        self.filters.push(filter.into_wire());
        self
    }

    /// Adds a sort descriptor; earlier sorts take precedence.
    #[must_use]
    pub fn sort(mut self, sort: Sort<R>) -> Self {
        self.sorts.push(sort.into_wire());
        self
    }

    /// Fetches only these fields (`desiredKeys`). System fields always arrive as record
    /// metadata and are left out.
    #[must_use]
    pub fn desired_keys(mut self, keys: impl IntoIterator<Item = Key<R>>) -> Self {
        let names = keys.into_iter().filter_map(|key| match key.name {
            FieldName::Field(name) => Some(name.to_owned()),
            FieldName::System(_) => None,
        });
        self.desired_keys.get_or_insert_with(Vec::new).extend(names);
        self
    }

    /// The `desiredKeys` of the request, if the query restricts them.
    pub fn desired_key_names(&self) -> Option<&[String]> {
        self.desired_keys.as_deref()
    }

    /// The wire query dictionary (`recordType`, `filterBy`, `sortBy`).
    pub fn to_wire(&self) -> wire::Query {
        let mut query = wire::Query::new(R::RECORD_TYPE);
        query.filter_by = self.filters.clone();
        query.sort_by = self.sorts.clone();
        query
    }

    /// The wire query dictionary, consuming the builder.
    pub fn into_wire(self) -> wire::Query {
        let mut query = wire::Query::new(R::RECORD_TYPE);
        query.filter_by = self.filters;
        query.sort_by = self.sorts;
        query
    }
}

/// The wire query dictionary. `desiredKeys` is not part of it: pass the typed query itself to
/// `Database::query` to send them.
impl<R: CloudKitRecord> From<Query<R>> for wire::Query {
    fn from(query: Query<R>) -> Self {
        query.into_wire()
    }
}
