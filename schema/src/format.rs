//! The canonical export layout (spec §14): what `cktool export-schema` writes.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::lexer::is_reserved_word;
use crate::model::{Field, Permissions, RecordType, Schema};

/// Writes a schema in the canonical export layout of spec §14.
///
/// Roles first, then record types sorted by name; each type lists all six system fields
/// and its own fields sorted together by code point, padded into one column, then one grant
/// per role. Names are quoted only where spec §3.5 requires it. Comments are not kept.
///
/// ```
/// let schema = cloudkit_schema::parse("define schema record type Note (\"title\" string);")?;
/// let text = cloudkit_schema::format(&schema);
/// assert!(text.ends_with("        title           STRING\n    );\n"));
/// # Ok::<(), cloudkit_schema::Diagnostic>(())
/// ```
pub fn format(schema: &Schema) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("DEFINE SCHEMA\n");
    let mut roles: Vec<&str> = schema.roles.iter().map(|r| r.name.as_str()).collect();
    roles.sort_unstable();
    roles.dedup();
    for role in roles {
        let _ = write!(out, "\n    CREATE ROLE {};\n", quoted_if_needed(role));
    }
    let mut record_types: Vec<&RecordType> = schema.record_types.iter().collect();
    record_types.sort_by(|a, b| a.name.value.cmp(&b.name.value));
    for record_type in record_types {
        out.push('\n');
        record_type_block(&mut out, record_type);
    }
    out
}

fn record_type_block(out: &mut String, record_type: &RecordType) {
    let _ = writeln!(
        out,
        "    RECORD TYPE {} (",
        quoted_if_needed(&record_type.name.value)
    );
    let mut fields: Vec<(Cow<'_, str>, &Field)> = record_type
        .fields
        .iter()
        .map(|f| (quoted_if_needed(&f.name.value), f))
        .collect();
    fields.sort_by(|a, b| a.1.name.value.cmp(&b.1.name.value));
    let width = fields
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0)
        + 1;

    let mut grants: Vec<(&str, Permissions)> = Vec::new();
    for grant in &record_type.grants {
        match grants
            .iter_mut()
            .find(|(role, _)| *role == grant.role.value)
        {
            Some((_, permissions)) => *permissions = permissions.union(grant.permissions),
            None => grants.push((&grant.role.value, grant.permissions)),
        }
    }
    grants.sort_by(|a, b| a.0.cmp(b.0));

    let mut lines: Vec<String> = Vec::with_capacity(fields.len() + grants.len());
    for (name, field) in &fields {
        let mut line = String::with_capacity(64);
        let pad = width - name.chars().count();
        let _ = write!(line, "        {name}{:pad$}{}", "", field.field_type);
        for (on, option) in [
            (field.indexes.is_queryable(), " QUERYABLE"),
            (field.indexes.is_searchable(), " SEARCHABLE"),
            (field.indexes.is_sortable(), " SORTABLE"),
        ] {
            if on {
                line.push_str(option);
            }
        }
        lines.push(line);
    }
    for (role, permissions) in grants {
        lines.push(format!(
            "        GRANT {permissions} TO {}",
            quoted_if_needed(role)
        ));
    }
    out.push_str(&lines.join(",\n"));
    if !lines.is_empty() {
        out.push('\n');
    }
    out.push_str("    );\n");
}

/// A name as a schema must write it: bare when spec §3.5 allows, quoted otherwise.
///
/// ```
/// use cloudkit_schema::format::quoted_if_needed;
/// assert_eq!(quoted_if_needed("title"), "title");
/// assert_eq!(quoted_if_needed("type"), "type");
/// assert_eq!(quoted_if_needed("grant"), "\"grant\"");
/// assert_eq!(quoted_if_needed("cloudkit.share"), "\"cloudkit.share\"");
/// ```
pub fn quoted_if_needed(name: &str) -> Cow<'_, str> {
    let mut bytes = name.bytes();
    let bare = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !is_reserved_word(name);
    if bare {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("\"{name}\""))
    }
}
