//! The canonical export layout (spec §14): what `cktool export-schema` writes.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::lexer::is_reserved_word;
use crate::model::{FieldType, Indexes, Permissions, RecordType, Schema, SystemField};

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
    // (unquoted name, name as written, type, indexes). A hand-built model may lack some
    // system fields; exports always list all six, so the missing ones are written plain.
    let mut fields: Vec<(&str, Cow<'_, str>, FieldType, Indexes)> = record_type
        .fields
        .iter()
        .map(|f| {
            let name = f.name.as_str();
            (name, quoted_if_needed(name), f.field_type, f.indexes)
        })
        .collect();
    for system in SystemField::ALL {
        let name = system.schema_name();
        if record_type.field(name).is_none() {
            fields.push((
                name,
                quoted_if_needed(name),
                system.field_type(),
                Indexes::default(),
            ));
        }
    }
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let width = fields
        .iter()
        .map(|(_, name, _, _)| name.chars().count())
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
    for (_, name, field_type, indexes) in &fields {
        let mut line = String::with_capacity(64);
        // Padding by hand: `{:pad$}` panics when a (hand-built) name is longer than u16::MAX.
        let pad = width - name.chars().count();
        let _ = write!(line, "        {name}");
        line.extend(std::iter::repeat_n(' ', pad));
        let _ = write!(line, "{field_type}");
        for (on, option) in [
            (indexes.is_queryable(), " QUERYABLE"),
            (indexes.is_searchable(), " SEARCHABLE"),
            (indexes.is_sortable(), " SORTABLE"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn missing_system_fields_are_written_out() {
        let mut schema = parse("DEFINE SCHEMA RECORD TYPE A ( b STRING );").expect("parses");
        schema.record_types[0].fields.retain(|f| f.declared);
        let text = format(&schema);
        assert_eq!(
            text,
            "DEFINE SCHEMA\n\n    RECORD TYPE A (\n\
             \x20       \"___createTime\" TIMESTAMP,\n\
             \x20       \"___createdBy\"  REFERENCE,\n\
             \x20       \"___etag\"       STRING,\n\
             \x20       \"___modTime\"    TIMESTAMP,\n\
             \x20       \"___modifiedBy\" REFERENCE,\n\
             \x20       \"___recordID\"   REFERENCE,\n\
             \x20       b               STRING\n    );\n"
        );
        assert_eq!(format(&parse(&text).expect("reparses")), text);
    }

    #[test]
    fn empty_schema_is_the_header() {
        assert_eq!(format(&Schema::default()), "DEFINE SCHEMA\n");
    }
}
