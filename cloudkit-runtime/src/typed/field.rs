//! Typed handles on schema fields: `Note::fields().title()`.

use std::fmt;
use std::marker::PhantomData;

use cloudkit_wire::Location;
use cloudkit_wire::codec::{FieldCodec, kind};
use cloudkit_wire::ws::{self as wire, Comparator, FieldValue, Value};

pub use super::field_name::{FieldMarker, FieldName};
use super::index::{
    Geo, ListOf, Ordered, Queryable, Searchable, SingleValue, Sortable, Text, TextList, Tokenized,
    Unencrypted,
};
use super::query::{Filter, Key, Sort};
use super::value::Accepts;

/// A typed handle on one field of record type `R`, whose values are of codec kind `K`, and
/// whose indexes marker `M` carries.
///
/// Methods exist only where the schema allows them; see [`crate::typed`] for the rules.
pub struct FieldHandle<R, K, M> {
    _marker: PhantomData<Types<R, K, M>>,
}

/// Covariant, `Send + Sync` and owning nothing, whatever the parameters are.
type Types<R, K, M> = fn() -> (R, K, M);

impl<R, K, M> Clone for FieldHandle<R, K, M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R, K, M> Copy for FieldHandle<R, K, M> {}

impl<R, K, M: FieldMarker> fmt::Debug for FieldHandle<R, K, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FieldHandle").field(&M::NAME).finish()
    }
}

impl<R, K, M> Default for FieldHandle<R, K, M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R, K, M> FieldHandle<R, K, M> {
    /// A handle. Generated accessors call this; user code gets handles from `R::fields()`.
    pub const fn new() -> Self {
        FieldHandle {
            _marker: PhantomData,
        }
    }
}

/// Asset fields: where to upload a file for this field.
#[cfg(feature = "client")]
impl<R: cloudkit_wire::CloudKitRecord, M: FieldMarker> FieldHandle<R, kind::Asset, M> {
    /// The upload target for this ASSET field of record `record_name` (default zone; see
    /// [`AssetTarget::in_zone`](crate::client::AssetTarget::in_zone)), for
    /// `Database::upload_asset`. Named from the schema, so no field name is spelled twice.
    pub fn asset_target(self, record_name: &str) -> crate::client::AssetTarget {
        let field = match M::NAME {
            FieldName::Field(name) | FieldName::System(name) => name,
        };
        crate::client::AssetTarget::new(R::RECORD_TYPE, record_name, field)
    }
}

/// Filter values compare by reference identity only: CloudKit wants no `action` there.
fn filter_value(mut value: FieldValue) -> FieldValue {
    match &mut value.value {
        Value::Reference(r) => r.action = None,
        Value::ReferenceList(list) => list.iter_mut().for_each(|r| r.action = None),
        _ => {}
    }
    // Encrypted fields cannot be filtered; the flag never belongs in a filter.
    value.is_encrypted = false;
    value
}

impl<R, K, M: FieldMarker> FieldHandle<R, K, M> {
    /// The field's name on the wire.
    pub fn name(self) -> FieldName {
        M::NAME
    }

    /// Where the schema defines the field (`FILE:LINE:COL`).
    pub fn defined_at(self) -> &'static str {
        M::DEFINED_AT
    }

    /// This field as a desired key of a query (fetch only some fields).
    pub fn key(self) -> Key<R> {
        Key::new(M::NAME)
    }

    fn filter(self, comparator: Comparator, value: FieldValue) -> Filter<R> {
        Filter::from_wire(wire::Filter::new(
            M::NAME.to_field_ref(),
            comparator,
            filter_value(value),
        ))
    }

    /// A filter whose value is a list of `values`, each as a field of kind `E` holds it.
    fn list<V, E>(self, comparator: Comparator, values: impl IntoIterator<Item = V>) -> Filter<R>
    where
        E: Accepts<V>,
    {
        let values: Vec<V> = values.into_iter().collect();
        self.filter(comparator, E::list_value(&values))
    }

    // -- QUERYABLE, single values -------------------------------------------------------

    /// `EQUALS`. Needs QUERYABLE.
    pub fn equals<V>(self, value: V) -> Filter<R>
    where
        K: Accepts<V>,
        M: Unencrypted + Queryable,
        M: SingleValue,
    {
        self.filter(Comparator::Equals, K::field_value(&value))
    }

    /// `NOT_EQUALS`. Needs QUERYABLE.
    pub fn not_equals<V>(self, value: V) -> Filter<R>
    where
        K: Accepts<V>,
        M: Unencrypted + Queryable,
        M: SingleValue,
    {
        self.filter(Comparator::NotEquals, K::field_value(&value))
    }

    /// `IN`: the field equals one of `values` (sent as a typed `*_LIST`). Needs QUERYABLE.
    pub fn is_in<V>(self, values: impl IntoIterator<Item = V>) -> Filter<R>
    where
        M: Unencrypted + Queryable,
        M: SingleValue,
        K: Accepts<V>,
    {
        self.list::<V, K>(Comparator::In, values)
    }

    /// `NOT_IN`. Needs QUERYABLE.
    pub fn not_in<V>(self, values: impl IntoIterator<Item = V>) -> Filter<R>
    where
        M: Unencrypted + Queryable,
        M: SingleValue,
        K: Accepts<V>,
    {
        self.list::<V, K>(Comparator::NotIn, values)
    }

    /// `BEGINS_WITH` on a STRING field. Needs QUERYABLE.
    pub fn begins_with(self, prefix: impl Into<String>) -> Filter<R>
    where
        M: Unencrypted + Queryable,
        M: Text,
    {
        let value = FieldValue::new(Value::String(prefix.into()));
        self.filter(Comparator::BeginsWith, value)
    }

    /// `NOT_BEGINS_WITH` on a STRING field. Needs QUERYABLE.
    pub fn not_begins_with(self, prefix: impl Into<String>) -> Filter<R>
    where
        M: Unencrypted + Queryable,
        M: Text,
    {
        let value = FieldValue::new(Value::String(prefix.into()));
        self.filter(Comparator::NotBeginsWith, value)
    }

    /// `NEAR`: within `distance_meters` of `location`. Needs a QUERYABLE LOCATION field.
    pub fn near(self, location: Location, distance_meters: f64) -> Filter<R>
    where
        M: Unencrypted + Queryable,
        M: Geo,
    {
        let mut filter = wire::Filter::new(
            M::NAME.to_field_ref(),
            Comparator::Near,
            <Location as FieldCodec<kind::Location>>::encode(&location),
        );
        filter.distance = Some(distance_meters);
        Filter::from_wire(filter)
    }

    // -- SORTABLE: ordering ----------------------------------------------------------------

    /// `LESS_THAN`. Needs SORTABLE (the range index) on an ordered type.
    pub fn less_than<V>(self, value: V) -> Filter<R>
    where
        K: Accepts<V>,
        M: Unencrypted + Sortable,
        M: Ordered,
    {
        self.filter(Comparator::LessThan, K::field_value(&value))
    }

    /// `LESS_THAN_OR_EQUALS`. Needs SORTABLE on an ordered type.
    pub fn less_than_or_equals<V>(self, value: V) -> Filter<R>
    where
        K: Accepts<V>,
        M: Unencrypted + Sortable,
        M: Ordered,
    {
        self.filter(Comparator::LessThanOrEquals, K::field_value(&value))
    }

    /// `GREATER_THAN`. Needs SORTABLE on an ordered type.
    pub fn greater_than<V>(self, value: V) -> Filter<R>
    where
        K: Accepts<V>,
        M: Unencrypted + Sortable,
        M: Ordered,
    {
        self.filter(Comparator::GreaterThan, K::field_value(&value))
    }

    /// `GREATER_THAN_OR_EQUALS`. Needs SORTABLE on an ordered type.
    pub fn greater_than_or_equals<V>(self, value: V) -> Filter<R>
    where
        K: Accepts<V>,
        M: Unencrypted + Sortable,
        M: Ordered,
    {
        self.filter(Comparator::GreaterThanOrEquals, K::field_value(&value))
    }

    /// Sorts ascending. Needs SORTABLE.
    pub fn ascending(self) -> Sort<R>
    where
        M: Unencrypted + Sortable,
    {
        Sort::from_wire(wire::Sort::ascending(M::NAME.to_field_ref()))
    }

    /// Sorts descending. Needs SORTABLE.
    pub fn descending(self) -> Sort<R>
    where
        M: Unencrypted + Sortable,
    {
        Sort::from_wire(wire::Sort::descending(M::NAME.to_field_ref()))
    }

    /// Sorts by distance from `location`, nearest first. Needs a SORTABLE LOCATION field.
    pub fn nearest_to(self, location: Location) -> Sort<R>
    where
        M: Unencrypted + Sortable,
        M: Geo,
    {
        let mut sort = wire::Sort::ascending(M::NAME.to_field_ref());
        sort.relative_location = Some(<Location as FieldCodec<kind::Location>>::encode(&location));
        Sort::from_wire(sort)
    }

    // -- SEARCHABLE: tokens ----------------------------------------------------------------

    /// `CONTAINS_ALL_TOKENS`: every space-separated token occurs. Needs SEARCHABLE.
    pub fn contains_all_tokens(self, tokens: impl Into<String>) -> Filter<R>
    where
        M: Unencrypted + Searchable,
        M: Tokenized,
    {
        let value = FieldValue::new(Value::String(tokens.into()));
        self.filter(Comparator::ContainsAllTokens, value)
    }

    /// `CONTAINS_ANY_TOKENS`: some space-separated token occurs. Needs SEARCHABLE.
    pub fn contains_any_tokens(self, tokens: impl Into<String>) -> Filter<R>
    where
        M: Unencrypted + Searchable,
        M: Tokenized,
    {
        let value = FieldValue::new(Value::String(tokens.into()));
        self.filter(Comparator::ContainsAnyTokens, value)
    }

    // -- LIST fields (QUERYABLE) -----------------------------------------------------------

    /// `LIST_CONTAINS`: the list holds `element`. Needs a QUERYABLE LIST.
    pub fn list_contains<V>(self, element: V) -> Filter<R>
    where
        M: Unencrypted + Queryable,
        M: ListOf,
        K: Accepts<V>,
    {
        self.filter(Comparator::ListContains, K::field_value(&element))
    }

    /// `NOT_LIST_CONTAINS`. Needs a QUERYABLE LIST.
    pub fn not_list_contains<V>(self, element: V) -> Filter<R>
    where
        M: Unencrypted + Queryable,
        M: ListOf,
        K: Accepts<V>,
    {
        self.filter(Comparator::NotListContains, K::field_value(&element))
    }

    /// `LIST_CONTAINS_ANY`: the list holds one of `elements`. Needs a QUERYABLE LIST.
    pub fn list_contains_any<V>(self, elements: impl IntoIterator<Item = V>) -> Filter<R>
    where
        M: Unencrypted + Queryable,
        M: ListOf,
        K: Accepts<V>,
    {
        self.list::<V, K>(Comparator::ListContainsAny, elements)
    }

    /// `NOT_LIST_CONTAINS_ANY`. Needs a QUERYABLE LIST.
    pub fn not_list_contains_any<V>(self, elements: impl IntoIterator<Item = V>) -> Filter<R>
    where
        M: Unencrypted + Queryable,
        M: ListOf,
        K: Accepts<V>,
    {
        self.list::<V, K>(Comparator::NotListContainsAny, elements)
    }

    /// `LIST_CONTAINS_ALL`: the list holds every one of `elements`. Needs a QUERYABLE LIST.
    pub fn list_contains_all<V>(self, elements: impl IntoIterator<Item = V>) -> Filter<R>
    where
        M: Unencrypted + Queryable,
        M: ListOf,
        K: Accepts<V>,
    {
        self.list::<V, K>(Comparator::ListContainsAll, elements)
    }

    /// `NOT_LIST_CONTAINS_ALL`. Needs a QUERYABLE LIST.
    pub fn not_list_contains_all<V>(self, elements: impl IntoIterator<Item = V>) -> Filter<R>
    where
        M: Unencrypted + Queryable,
        M: ListOf,
        K: Accepts<V>,
    {
        self.list::<V, K>(Comparator::NotListContainsAll, elements)
    }

    /// `LIST_MEMBER_BEGINS_WITH` on a `LIST<STRING>`. Needs QUERYABLE.
    pub fn list_member_begins_with(self, prefix: impl Into<String>) -> Filter<R>
    where
        M: Unencrypted + Queryable,
        M: TextList,
    {
        let value = FieldValue::new(Value::String(prefix.into()));
        self.filter(Comparator::ListMemberBeginsWith, value)
    }

    /// `NOT_LIST_MEMBER_BEGINS_WITH` on a `LIST<STRING>`. Needs QUERYABLE.
    pub fn not_list_member_begins_with(self, prefix: impl Into<String>) -> Filter<R>
    where
        M: Unencrypted + Queryable,
        M: TextList,
    {
        let value = FieldValue::new(Value::String(prefix.into()));
        self.filter(Comparator::NotListMemberBeginsWith, value)
    }
}
