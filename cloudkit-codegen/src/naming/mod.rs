//! How Rust names and schema names correspond: one rule for both directions, so that a struct
//! `generate_module` writes and a hand-written struct with the same fields map alike.
//!
//! Derive (Rust field → schema field), for a field without `rename`:
//! - with `rename_all`, the rule's spelling, exactly (`CD_`-prefixed under `core_data`);
//! - otherwise the field spelled exactly like the Rust name (`CD_` + the name first under
//!   `core_data`), else the one user field whose words match ([`words::snake_case`], after
//!   dropping `CD_` under `core_data`): `start_date` finds `startDate`, `user_id` finds
//!   `userID`. Two such fields are an error, not a guess.
//!
//! Codegen (schema field → Rust field): the same words, joined with `_`; a `rename` only where
//! the derive would not find the field again from that name (see [`Naming::rust_field`]).

mod case;
pub mod core_data;
mod ident;
pub mod words;

use cloudkit_schema::{Field, RecordType};
use proc_macro2::Ident;

pub use case::{RenameAll, SPELLINGS, UnknownSpelling};
pub use ident::{marker_ident, unique_ident};

/// A struct's naming rule: its `rename_all`, and whether it maps Core Data records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Naming {
    /// `rename_all = "…"`; `None` infers.
    pub rename_all: Option<RenameAll>,
    /// `core_data`: schema names carry the `CD_` prefix, Rust names do not.
    pub core_data: bool,
}

/// The Rust field codegen writes for a schema field.
#[derive(Debug)]
pub struct RustField {
    /// Its identifier: [`Naming::rust_name`], made valid and unique.
    pub ident: Ident,
    /// Whether it needs `#[cloudkit(rename = "…")]`, because the derive would not find
    /// `field` from `ident` alone (the name is taken, a keyword, or matches two fields).
    pub needs_rename: bool,
}

/// Which schema field a Rust field maps to.
#[derive(Debug)]
pub enum Resolution<'r> {
    /// Exactly this one.
    Field(&'r Field),
    /// Several user fields whose words match the Rust name, in schema order.
    Ambiguous(Vec<&'r Field>),
    /// None; the spelling looked for first, for messages.
    Missing(String),
}

impl Naming {
    /// The schema field that the Rust field named `rust` (without `r#`) maps to in `record`.
    pub fn resolve<'r>(&self, rust: &str, record: &'r RecordType) -> Resolution<'r> {
        let wanted = self.spelling(rust);
        if let Some(field) = record.field(&wanted) {
            return Resolution::Field(field);
        }
        if self.rename_all.is_some() {
            return Resolution::Missing(wanted);
        }
        // Under `core_data` a Rust name may still spell a field without the prefix.
        if let Some(field) = record.field(rust).filter(|_| self.core_data) {
            return Resolution::Field(field);
        }
        let key = words::snake_case(rust);
        let mut matches: Vec<&Field> = record
            .user_fields()
            .filter(|f| self.rust_name(f.name.as_str()) == key)
            .collect();
        match matches.len() {
            0 => Resolution::Missing(wanted),
            1 => Resolution::Field(matches.remove(0)),
            _ => Resolution::Ambiguous(matches),
        }
    }

    /// The schema spelling tried first for a Rust field name: the `rename_all` spelling, or the
    /// name itself; with the `CD_` prefix under `core_data`.
    pub fn spelling(&self, rust: &str) -> String {
        let cased = match self.rename_all {
            Some(rule) => rule.apply(rust),
            None => rust.to_owned(),
        };
        if self.core_data {
            core_data::prefixed(&cased)
        } else {
            cased
        }
    }

    /// The snake_case Rust name for schema field `schema_name` (before it is made a valid,
    /// unique identifier): its words, without `CD_` under `core_data`.
    pub fn rust_name(&self, schema_name: &str) -> String {
        let bare = if self.core_data {
            core_data::strip_prefix(schema_name).unwrap_or(schema_name)
        } else {
            schema_name
        };
        words::snake_case(bare)
    }

    /// The Rust field for `field` of `record`, its name unique among `taken` (which it joins).
    pub fn rust_field(
        &self,
        field: &Field,
        record: &RecordType,
        taken: &mut Vec<String>,
    ) -> RustField {
        let ident = unique_ident(&self.rust_name(field.name.as_str()), taken);
        let text = ident.to_string();
        let rust = text.strip_prefix("r#").unwrap_or(&text);
        let needs_rename = !self.round_trips(rust, field, record);
        RustField {
            ident,
            needs_rename,
        }
    }

    /// Whether a Rust field named `rust` (without `r#`) maps to `field` of `record` with no
    /// `rename`.
    pub fn round_trips(&self, rust: &str, field: &Field, record: &RecordType) -> bool {
        matches!(self.resolve(rust, record), Resolution::Field(f) if std::ptr::eq(f, field))
    }
}

#[cfg(test)]
mod tests;
