//! Query, filter and sort dictionaries (§4.10–4.12, §7).

use serde::{Deserialize, Serialize};

use super::value::FieldValue;
use crate::vocabulary::wire_enum;

wire_enum! {
    /// Filter comparators (the 20 of §4.11 plus the negated list ones).
    closed Comparator {
        /// Equal.
        Equals = "EQUALS",
        /// Not equal.
        NotEquals = "NOT_EQUALS",
        /// Less than.
        LessThan = "LESS_THAN",
        /// Less than or equal.
        LessThanOrEquals = "LESS_THAN_OR_EQUALS",
        /// Greater than.
        GreaterThan = "GREATER_THAN",
        /// Greater than or equal.
        GreaterThanOrEquals = "GREATER_THAN_OR_EQUALS",
        /// Within `distance` metres of a LOCATION.
        Near = "NEAR",
        /// Full-text: all tokens (SEARCHABLE).
        ContainsAllTokens = "CONTAINS_ALL_TOKENS",
        /// Full-text: any token (SEARCHABLE).
        ContainsAnyTokens = "CONTAINS_ANY_TOKENS",
        /// Value is in a `*_LIST` value.
        In = "IN",
        /// Value is not in a `*_LIST` value.
        NotIn = "NOT_IN",
        /// String prefix.
        BeginsWith = "BEGINS_WITH",
        /// Not a string prefix.
        NotBeginsWith = "NOT_BEGINS_WITH",
        /// List field contains one element.
        ListContains = "LIST_CONTAINS",
        /// List field does not contain the element.
        NotListContains = "NOT_LIST_CONTAINS",
        /// List field contains any of a `*_LIST` value.
        ListContainsAny = "LIST_CONTAINS_ANY",
        /// List field contains none of a `*_LIST` value.
        NotListContainsAny = "NOT_LIST_CONTAINS_ANY",
        /// List field contains all of a `*_LIST` value.
        ListContainsAll = "LIST_CONTAINS_ALL",
        /// List field does not contain all of a `*_LIST` value.
        NotListContainsAll = "NOT_LIST_CONTAINS_ALL",
        /// A list member begins with a prefix.
        ListMemberBeginsWith = "LIST_MEMBER_BEGINS_WITH",
        /// No list member begins with the prefix.
        NotListMemberBeginsWith = "NOT_LIST_MEMBER_BEGINS_WITH",
    }
}

impl Comparator {
    /// Whether `fieldValue` must be a `*_LIST` value (IN, NOT_IN, LIST_CONTAINS_ANY/ALL and
    /// their negations).
    pub const fn takes_list_value(self) -> bool {
        matches!(
            self,
            Comparator::In
                | Comparator::NotIn
                | Comparator::ListContainsAny
                | Comparator::NotListContainsAny
                | Comparator::ListContainsAll
                | Comparator::NotListContainsAll
        )
    }
}

wire_enum! {
    /// `systemFieldName` values (§7). Index names in the schema are on the right in comments.
    open SystemField {
        /// `___recordID`.
        RecordName = "recordName",
        /// `___share`.
        Share = "share",
        /// `___parent`.
        Parent = "parent",
        /// `___createdBy`.
        CreatedUserRecordName = "createdUserRecordName",
        /// `___createTime`.
        CreatedTimestamp = "createdTimestamp",
        /// `___modTime`.
        ModifiedTimestamp = "modifiedTimestamp",
        /// `___modifiedBy`.
        ModifiedUserRecordName = "modifiedUserRecordName",
    }
}

impl SystemField {
    /// The system field behind a schema index name such as `___createTime`.
    pub fn from_schema_name(name: &str) -> Option<Self> {
        Some(match name {
            "___recordID" | "___recordId" => SystemField::RecordName,
            "___share" => SystemField::Share,
            "___parent" => SystemField::Parent,
            "___createdBy" => SystemField::CreatedUserRecordName,
            "___createTime" => SystemField::CreatedTimestamp,
            "___modTime" => SystemField::ModifiedTimestamp,
            "___modifiedBy" => SystemField::ModifiedUserRecordName,
            _ => return None,
        })
    }
}

/// The left-hand side of a filter or sort: a custom field or a system field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldRef {
    /// `fieldName`.
    Field(String),
    /// `systemFieldName`.
    System(SystemField),
}

impl From<&str> for FieldRef {
    fn from(name: &str) -> Self {
        FieldRef::Field(name.to_owned())
    }
}

impl From<SystemField> for FieldRef {
    fn from(field: SystemField) -> Self {
        FieldRef::System(field)
    }
}

/// The two ways of naming the field, as they appear on the wire.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FieldKeys {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    system_field_name: Option<SystemField>,
}

impl FieldKeys {
    fn from_ref(field: FieldRef) -> Self {
        match field {
            FieldRef::Field(name) => FieldKeys {
                field_name: Some(name),
                system_field_name: None,
            },
            FieldRef::System(system) => FieldKeys {
                field_name: None,
                system_field_name: Some(system),
            },
        }
    }

    fn into_ref(self) -> Result<FieldRef, &'static str> {
        match (self.field_name, self.system_field_name) {
            (Some(name), None) => Ok(FieldRef::Field(name)),
            (None, Some(system)) => Ok(FieldRef::System(system)),
            (Some(_), Some(_)) => Err("both `fieldName` and `systemFieldName` given"),
            (None, None) => Err("missing `fieldName` or `systemFieldName`"),
        }
    }
}

/// A filter dictionary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "FilterWire", try_from = "FilterWire")]
pub struct Filter {
    /// The comparison.
    pub comparator: Comparator,
    /// Left-hand side.
    pub field: FieldRef,
    /// Right-hand side; list-typed for the comparators of [`Comparator::takes_list_value`].
    pub field_value: FieldValue,
    /// Radius in metres, with `NEAR`.
    pub distance: Option<f64>,
}

impl Filter {
    /// A filter without `distance`.
    pub fn new(field: impl Into<FieldRef>, comparator: Comparator, value: FieldValue) -> Self {
        Filter {
            comparator,
            field: field.into(),
            field_value: value,
            distance: None,
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FilterWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    system_field_name: Option<SystemField>,
    comparator: Comparator,
    field_value: FieldValue,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    distance: Option<f64>,
}

impl From<Filter> for FilterWire {
    fn from(f: Filter) -> Self {
        let keys = FieldKeys::from_ref(f.field);
        FilterWire {
            comparator: f.comparator,
            field_name: keys.field_name,
            system_field_name: keys.system_field_name,
            field_value: f.field_value,
            distance: f.distance,
        }
    }
}

impl TryFrom<FilterWire> for Filter {
    type Error = &'static str;

    fn try_from(w: FilterWire) -> Result<Self, Self::Error> {
        let field = FieldKeys {
            field_name: w.field_name,
            system_field_name: w.system_field_name,
        }
        .into_ref()?;
        Ok(Filter {
            comparator: w.comparator,
            field,
            field_value: w.field_value,
            distance: w.distance,
        })
    }
}

/// A sort descriptor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "SortWire", try_from = "SortWire")]
pub struct Sort {
    /// The field.
    pub field: FieldRef,
    /// `ascending`; absent means ascending on the server.
    pub ascending: Option<bool>,
    /// For LOCATION fields: sort by distance from this LOCATION value.
    pub relative_location: Option<FieldValue>,
}

impl Sort {
    /// Ascending order.
    pub fn ascending(field: impl Into<FieldRef>) -> Self {
        Sort {
            field: field.into(),
            ascending: Some(true),
            relative_location: None,
        }
    }

    /// Descending order.
    pub fn descending(field: impl Into<FieldRef>) -> Self {
        Sort {
            ascending: Some(false),
            ..Sort::ascending(field)
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SortWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    system_field_name: Option<SystemField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ascending: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    relative_location: Option<FieldValue>,
}

impl From<Sort> for SortWire {
    fn from(s: Sort) -> Self {
        let keys = FieldKeys::from_ref(s.field);
        SortWire {
            field_name: keys.field_name,
            system_field_name: keys.system_field_name,
            ascending: s.ascending,
            relative_location: s.relative_location,
        }
    }
}

impl TryFrom<SortWire> for Sort {
    type Error = &'static str;

    fn try_from(w: SortWire) -> Result<Self, Self::Error> {
        let field = FieldKeys {
            field_name: w.field_name,
            system_field_name: w.system_field_name,
        }
        .into_ref()?;
        Ok(Sort {
            field,
            ascending: w.ascending,
            relative_location: w.relative_location,
        })
    }
}

/// A query dictionary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Query {
    /// Record type to search.
    pub record_type: String,
    /// Filters, all of which must match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filter_by: Vec<Filter>,
    /// Sort order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sort_by: Vec<Sort>,
}

impl Query {
    /// All records of a type.
    pub fn new(record_type: impl Into<String>) -> Self {
        Query {
            record_type: record_type.into(),
            filter_by: Vec::new(),
            sort_by: Vec::new(),
        }
    }

    /// Adds a filter.
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filter_by.push(filter);
        self
    }

    /// Adds a sort descriptor.
    pub fn sort(mut self, sort: Sort) -> Self {
        self.sort_by.push(sort);
        self
    }
}
