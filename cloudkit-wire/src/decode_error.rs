//! Decode errors: what did not fit when a record or field was decoded, and where.

use std::fmt;

/// What went wrong decoding a record or field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeErrorKind {
    /// A required field is absent or null.
    #[error("missing value")]
    Missing,
    /// The field has another wire type than the schema says.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// Expected wire type.
        expected: &'static str,
        /// What was there (a type tag, `null`, or an untyped value).
        found: String,
    },
    /// The value does not fit the Rust type.
    #[error("value {value} does not fit {target}")]
    OutOfRange {
        /// The value.
        value: String,
        /// The Rust type.
        target: &'static str,
    },
    /// The record has another record type.
    #[error("expected record type `{expected}`, found {}", found.as_deref().map_or("none".to_owned(), |f| format!("`{f}`")))]
    WrongRecordType {
        /// Expected type.
        expected: &'static str,
        /// Found type.
        found: Option<String>,
    },
    /// Anything else, e.g. an untyped value that does not parse as the field's type.
    #[error("{0}")]
    Invalid(String),
}

/// A record or field that could not be decoded, with where it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError(Box<Details>);

#[derive(Debug, Clone, PartialEq)]
struct Details {
    record_type: Option<String>,
    record_name: Option<String>,
    field: Option<String>,
    index: Option<usize>,
    kind: DecodeErrorKind,
}

impl DecodeError {
    /// An error without location.
    pub fn new(kind: DecodeErrorKind) -> Self {
        DecodeError(Box::new(Details {
            record_type: None,
            record_name: None,
            field: None,
            index: None,
            kind,
        }))
    }

    /// What went wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.0.kind
    }

    /// Record type being decoded.
    pub fn record_type(&self) -> Option<&str> {
        self.0.record_type.as_deref()
    }

    /// Record name being decoded.
    pub fn record_name(&self) -> Option<&str> {
        self.0.record_name.as_deref()
    }

    /// Field being decoded.
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// Element index inside a list field.
    pub fn index(&self) -> Option<usize> {
        self.0.index
    }

    /// Adds the field name (kept if already set).
    pub fn in_field(mut self, field: &str) -> Self {
        self.0.field.get_or_insert_with(|| field.to_owned());
        self
    }

    /// Adds the list element index (kept if already set).
    pub fn at_index(mut self, index: usize) -> Self {
        self.0.index.get_or_insert(index);
        self
    }

    /// Adds the record type and name (kept if already set).
    pub fn in_record(mut self, record_type: &str, record_name: Option<&str>) -> Self {
        self.0
            .record_type
            .get_or_insert_with(|| record_type.to_owned());
        if let (None, Some(name)) = (&self.0.record_name, record_name) {
            self.0.record_name = Some(name.to_owned());
        }
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        if let Some(t) = &d.record_type {
            write!(f, "record type `{t}`")?;
            if let Some(n) = &d.record_name {
                write!(f, " (record `{n}`)")?;
            }
            f.write_str(", ")?;
        }
        if let Some(field) = &d.field {
            write!(f, "field `{field}`")?;
            if let Some(i) = d.index {
                write!(f, "[{i}]")?;
            }
            f.write_str(": ")?;
        }
        write!(f, "{}", d.kind)
    }
}

impl std::error::Error for DecodeError {}
