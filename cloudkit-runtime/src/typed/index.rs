//! Marker traits that let a query method exist only where the schema allows it.
//!
//! Generated code implements the *field* traits ([`Queryable`], [`Sortable`], [`Searchable`],
//! [`Unencrypted`]) for a field's marker type exactly when the schema gives the field that
//! index (or leaves it unencrypted). The *kind* traits ([`SingleValue`], [`Ordered`], [`Text`],
//! [`Tokenized`], [`Geo`], [`ListOf`], [`TextList`]) say what a schema type can do. Calling a
//! method the schema does not allow fails to compile with one of the messages below, naming the
//! field (its marker type is named after the schema field) and what to change.

use crate::codec::kind;

/// The field has a `QUERYABLE` index. Needed by every comparator except the ordering and
/// token ones.
#[diagnostic::on_unimplemented(
    message = "field `{Self}` is not QUERYABLE in the CloudKit schema",
    label = "this filter needs a QUERYABLE index on `{Self}`",
    note = "add QUERYABLE to `{Self}` in the schema file (the `help` below points at it), then re-import the schema with cktool and rebuild"
)]
pub trait Queryable: super::field::FieldMarker {}

/// The field has a `SORTABLE` (range) index. Needed by sorts and by the ordering comparators
/// `LESS_THAN`, `LESS_THAN_OR_EQUALS`, `GREATER_THAN`, `GREATER_THAN_OR_EQUALS`.
#[diagnostic::on_unimplemented(
    message = "field `{Self}` is not SORTABLE in the CloudKit schema",
    label = "sorting and ordering comparators need a SORTABLE index on `{Self}`",
    note = "add SORTABLE to `{Self}` in the schema file (the `help` below points at it), then re-import the schema with cktool and rebuild"
)]
pub trait Sortable: super::field::FieldMarker {}

/// The field has a `SEARCHABLE` (full-text) index. Needed by `CONTAINS_ALL_TOKENS` and
/// `CONTAINS_ANY_TOKENS`.
#[diagnostic::on_unimplemented(
    message = "field `{Self}` is not SEARCHABLE in the CloudKit schema",
    label = "token search needs a SEARCHABLE index on `{Self}`",
    note = "add SEARCHABLE to `{Self}` in the schema file (the `help` below points at it; only STRING and LIST<STRING> fields can have it), then re-import the schema and rebuild"
)]
pub trait Searchable: super::field::FieldMarker {}

/// The field is not `ENCRYPTED`. CloudKit cannot filter or sort on encrypted fields.
#[diagnostic::on_unimplemented(
    message = "field `{Self}` is ENCRYPTED: CloudKit cannot filter or sort on it",
    label = "`{Self}` is encrypted in the schema",
    note = "encrypted values are opaque to the server; filter on another field, or make a new unencrypted field (a field cannot change encryption once created)"
)]
pub trait Unencrypted: super::field::FieldMarker {}

/// A single value, not a `LIST`. `EQUALS`, `IN` and the other scalar comparators need it.
#[diagnostic::on_unimplemented(
    message = "this comparator compares single values, and this field is a `{Self}`",
    label = "the field is a LIST",
    note = "for LIST fields use list_contains, list_contains_any, list_contains_all or list_member_begins_with"
)]
pub trait SingleValue {}

/// Values have an order: INT64, DOUBLE, TIMESTAMP, STRING (and NUMBER).
#[diagnostic::on_unimplemented(
    message = "`{Self}` values have no order, so ordering comparators cannot be used on this field",
    label = "needs an INT64, DOUBLE, TIMESTAMP or STRING field",
    note = "LESS_THAN, LESS_THAN_OR_EQUALS, GREATER_THAN and GREATER_THAN_OR_EQUALS compare INT64, DOUBLE, TIMESTAMP and STRING fields"
)]
pub trait Ordered {}

/// A `STRING` field: `BEGINS_WITH` and `NOT_BEGINS_WITH`.
#[diagnostic::on_unimplemented(
    message = "prefix matching needs a STRING field, and this field is a `{Self}`",
    label = "not a STRING field",
    note = "for LIST<STRING> fields use list_member_begins_with"
)]
pub trait Text {}

/// A `STRING` or `LIST<STRING>` field: token search.
#[diagnostic::on_unimplemented(
    message = "token search needs a STRING or LIST<STRING> field, and this field is a `{Self}`",
    label = "not a text field"
)]
pub trait Tokenized {}

/// A `LOCATION` field: `NEAR` and distance sorts.
#[diagnostic::on_unimplemented(
    message = "NEAR and distance sorts need a LOCATION field, and this field is a `{Self}`",
    label = "not a LOCATION field"
)]
pub trait Geo {}

/// A `LIST<…>` field: the `LIST_*` comparators.
#[diagnostic::on_unimplemented(
    message = "list comparators need a LIST field, and this field is a `{Self}`",
    label = "not a LIST field",
    note = "for single values use equals, is_in or begins_with"
)]
pub trait ListOf {
    /// The element kind.
    type Element;
}

/// A `LIST<STRING>` field: `LIST_MEMBER_BEGINS_WITH`.
#[diagnostic::on_unimplemented(
    message = "member prefix matching needs a LIST<STRING> field, and this field is a `{Self}`",
    label = "not a LIST<STRING> field"
)]
pub trait TextList {}

macro_rules! kinds {
    ($trait:ident for $($kind:ty),*) => { $(impl $trait for $kind {})* };
}

kinds!(SingleValue for kind::String, kind::Int64, kind::Double, kind::Timestamp, kind::Bytes,
    kind::Reference, kind::Asset, kind::Location);
kinds!(Ordered for kind::String, kind::Int64, kind::Double, kind::Timestamp);
kinds!(Text for kind::String);
kinds!(Tokenized for kind::String, kind::List<kind::String>);
kinds!(Geo for kind::Location);
kinds!(TextList for kind::List<kind::String>);

impl<K> ListOf for kind::List<K> {
    type Element = K;
}
