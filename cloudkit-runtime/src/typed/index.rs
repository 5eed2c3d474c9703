//! Marker traits that let a query method exist only where the schema allows it.
//!
//! Generated code implements them for a field's marker type (named after the schema field)
//! exactly as the schema says: the index traits ([`Queryable`], [`Sortable`], [`Searchable`],
//! [`Unencrypted`]) when the field has that index (or is not encrypted), the type traits
//! ([`SingleValue`], [`Ordered`], [`Text`], [`Tokenized`], [`Geo`], [`ListOf`], [`TextList`])
//! when its schema type can do that. Where the field lacks one, the derive still implements
//! the trait, but only where the record struct implements a trait made for that field, which
//! nothing implements: rustc then prints that trait's message, which names the field, its
//! schema `FILE:LINE:COL` and the fix. The messages below are for marker types written by
//! hand.

use super::field_name::FieldMarker;

/// The field has a `QUERYABLE` index. Needed by every comparator except the ordering and
/// token ones.
#[diagnostic::on_unimplemented(
    message = "field `{Self}` is not QUERYABLE in the CloudKit schema",
    label = "this filter needs a QUERYABLE index on `{Self}`",
    note = "add QUERYABLE to `{Self}` in the schema file the `help` above points at, then import the schema with cktool and rebuild"
)]
pub trait Queryable: FieldMarker {}

/// The field has a `SORTABLE` (range) index. Needed by sorts and by the ordering comparators
/// `LESS_THAN`, `LESS_THAN_OR_EQUALS`, `GREATER_THAN`, `GREATER_THAN_OR_EQUALS`.
#[diagnostic::on_unimplemented(
    message = "field `{Self}` is not SORTABLE in the CloudKit schema",
    label = "sorting and ordering comparators need a SORTABLE index on `{Self}`",
    note = "add SORTABLE to `{Self}` in the schema file the `help` above points at, then import the schema with cktool and rebuild"
)]
pub trait Sortable: FieldMarker {}

/// The field has a `SEARCHABLE` (full-text) index. Needed by `CONTAINS_ALL_TOKENS` and
/// `CONTAINS_ANY_TOKENS`.
#[diagnostic::on_unimplemented(
    message = "field `{Self}` is not SEARCHABLE in the CloudKit schema",
    label = "token search needs a SEARCHABLE index on `{Self}`",
    note = "add SEARCHABLE to `{Self}` in the schema file the `help` above points at (only STRING and LIST<STRING> fields can have it), then import the schema with cktool and rebuild"
)]
pub trait Searchable: FieldMarker {}

/// The field is not `ENCRYPTED`. CloudKit cannot filter or sort on encrypted fields.
#[diagnostic::on_unimplemented(
    message = "field `{Self}` is ENCRYPTED: CloudKit cannot filter or sort on it",
    label = "`{Self}` is encrypted in the schema",
    note = "encrypted values are opaque to the server; filter on another field, or make a new unencrypted field (a field cannot change encryption once created)"
)]
pub trait Unencrypted: FieldMarker {}

/// A single value, not a `LIST`. `EQUALS`, `IN` and the other scalar comparators need it.
#[diagnostic::on_unimplemented(
    message = "field `{Self}` is a LIST, and this comparator compares single values",
    label = "`{Self}` is a LIST field",
    note = "for LIST fields use list_contains, list_contains_any, list_contains_all or list_member_begins_with"
)]
pub trait SingleValue: FieldMarker {}

/// Values have an order: INT64, DOUBLE, TIMESTAMP, STRING (and NUMBER).
#[diagnostic::on_unimplemented(
    message = "field `{Self}` has a type without an order, so ordering comparators cannot be used on it",
    label = "needs an INT64, DOUBLE, TIMESTAMP or STRING field",
    note = "LESS_THAN, LESS_THAN_OR_EQUALS, GREATER_THAN and GREATER_THAN_OR_EQUALS compare INT64, DOUBLE, TIMESTAMP and STRING fields"
)]
pub trait Ordered: FieldMarker {}

/// A `STRING` field: `BEGINS_WITH` and `NOT_BEGINS_WITH`.
#[diagnostic::on_unimplemented(
    message = "field `{Self}` is not a STRING field, so it cannot be prefix-matched",
    label = "`{Self}` is not a STRING field",
    note = "for LIST<STRING> fields use list_member_begins_with"
)]
pub trait Text: FieldMarker {}

/// A `STRING` or `LIST<STRING>` field: token search.
#[diagnostic::on_unimplemented(
    message = "field `{Self}` is not a STRING or LIST<STRING> field, so it has no tokens to search",
    label = "`{Self}` is not a text field"
)]
pub trait Tokenized: FieldMarker {}

/// A `LOCATION` field: `NEAR` and distance sorts.
#[diagnostic::on_unimplemented(
    message = "field `{Self}` is not a LOCATION field, so NEAR and distance sorts cannot be used on it",
    label = "`{Self}` is not a LOCATION field"
)]
pub trait Geo: FieldMarker {}

/// A `LIST<…>` field: the `LIST_*` comparators.
#[diagnostic::on_unimplemented(
    message = "field `{Self}` is not a LIST field, so list comparators cannot be used on it",
    label = "`{Self}` is not a LIST field",
    note = "for single values use equals, is_in or begins_with"
)]
pub trait ListOf: FieldMarker {
    /// The element kind.
    type Element;
}

/// A `LIST<STRING>` field: `LIST_MEMBER_BEGINS_WITH`.
#[diagnostic::on_unimplemented(
    message = "field `{Self}` is not a LIST<STRING> field, so its members cannot be prefix-matched",
    label = "`{Self}` is not a LIST<STRING> field"
)]
pub trait TextList: FieldMarker {}
