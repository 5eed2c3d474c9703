//! `rename_all`: one spelling rule for every field of a struct, in serde's words.

/// The values `rename_all` takes, as written in the attribute.
pub const SPELLINGS: &[&str] = &[
    "camelCase",
    "PascalCase",
    "snake_case",
    "SCREAMING_SNAKE_CASE",
    "verbatim",
];

/// A `rename_all` rule: how a snake_case Rust field name becomes its schema field name.
///
/// Applied exactly, as serde applies it: `user_id` under `camelCase` is `userId`, never
/// `userID`. Inference (no `rename_all`) is what finds `userID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameAll {
    /// `start_date` → `startDate`.
    CamelCase,
    /// `start_date` → `StartDate`.
    PascalCase,
    /// `start_date` → `start_date`: the Rust name as written, like `Verbatim`; serde's spelling
    /// for structs whose schema is snake_case.
    SnakeCase,
    /// `start_date` → `START_DATE`.
    ScreamingSnakeCase,
    /// The Rust name as written: exact matches only, no inference.
    Verbatim,
}

/// Why a `rename_all` value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnknownSpelling {
    /// A serde spelling this derive leaves out, with the reason.
    Unsupported(&'static str),
    /// Not a spelling at all.
    Unknown,
}

impl RenameAll {
    /// The rule `value` names.
    pub fn parse(value: &str) -> Result<RenameAll, UnknownSpelling> {
        match value {
            "camelCase" => Ok(RenameAll::CamelCase),
            "PascalCase" => Ok(RenameAll::PascalCase),
            "snake_case" => Ok(RenameAll::SnakeCase),
            "SCREAMING_SNAKE_CASE" => Ok(RenameAll::ScreamingSnakeCase),
            "verbatim" => Ok(RenameAll::Verbatim),
            "kebab-case" | "SCREAMING-KEBAB-CASE" => Err(UnknownSpelling::Unsupported(
                "CloudKit field names cannot contain `-`",
            )),
            "lowercase" | "UPPERCASE" => Err(UnknownSpelling::Unsupported(
                "it only changes the case of a snake_case name; use `snake_case` or `SCREAMING_SNAKE_CASE`",
            )),
            _ => Err(UnknownSpelling::Unknown),
        }
    }

    /// The rule as the attribute spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            RenameAll::CamelCase => "camelCase",
            RenameAll::PascalCase => "PascalCase",
            RenameAll::SnakeCase => "snake_case",
            RenameAll::ScreamingSnakeCase => "SCREAMING_SNAKE_CASE",
            RenameAll::Verbatim => "verbatim",
        }
    }

    /// The schema spelling of the Rust field name `rust` (without `r#`).
    pub fn apply(self, rust: &str) -> String {
        match self {
            RenameAll::SnakeCase | RenameAll::Verbatim => rust.to_owned(),
            RenameAll::ScreamingSnakeCase => rust.to_ascii_uppercase(),
            RenameAll::PascalCase => pascal_case(rust),
            RenameAll::CamelCase => {
                let pascal = pascal_case(rust);
                let mut chars = pascal.chars();
                chars
                    .next()
                    .map(|first| first.to_ascii_lowercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            }
        }
    }
}

/// serde's PascalCase for a field: drop each `_`, capitalise the letter after it and the first.
fn pascal_case(rust: &str) -> String {
    let mut out = String::with_capacity(rust.len());
    let mut capitalize = true;
    for c in rust.chars() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            out.push(c.to_ascii_uppercase());
            capitalize = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_serde_spellings() {
        let apply = |rule: &str, name: &str| RenameAll::parse(rule).map(|r| r.apply(name));
        assert_eq!(apply("camelCase", "start_date"), Ok("startDate".into()));
        assert_eq!(apply("camelCase", "user_id"), Ok("userId".into()));
        assert_eq!(apply("PascalCase", "start_date"), Ok("StartDate".into()));
        assert_eq!(apply("snake_case", "start_date"), Ok("start_date".into()));
        assert_eq!(
            apply("SCREAMING_SNAKE_CASE", "start_date"),
            Ok("START_DATE".into())
        );
        assert_eq!(apply("verbatim", "startDate"), Ok("startDate".into()));
        assert_eq!(apply("camelCase", "type_"), Ok("type".into()));
    }

    #[test]
    fn every_listed_spelling_parses() {
        assert!(
            SPELLINGS
                .iter()
                .all(|s| RenameAll::parse(s).map(RenameAll::as_str) == Ok(*s))
        );
        assert_eq!(RenameAll::parse("camelcase"), Err(UnknownSpelling::Unknown));
        assert!(matches!(
            RenameAll::parse("kebab-case"),
            Err(UnknownSpelling::Unsupported(_))
        ));
    }
}
