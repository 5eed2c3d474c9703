//! The constructs of one corpus file, read from its parsed model.
//!
//! What the model does not keep (keyword case, spacing, comments) is read from the source
//! text under the model's spans, with comments blanked out so the words left are tokens.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ops::Range;

use cloudkit_schema::format::quoted_if_needed;
use cloudkit_schema::{BuiltinRole, Field, Grant, RecordType, Schema, Span};

use super::source_text::{RESERVED, blank_out, comments, is_keyword, next_word, text};

/// Every construct of one file: read from the parsed model, with the source text under the
/// model's spans for what the model does not keep (keyword case, spacing), and the comments.
pub fn constructs(source: &str, schema: &Schema) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let comments = comments(source);
    let code = blank_out(source, &comments);
    layout_constructs(source, &code, &comments, schema, &mut found);
    for role in &schema.roles {
        let how = match quoted_if_needed(role.name.as_str()) {
            Cow::Borrowed(_) => "a bare",
            Cow::Owned(_) => "a quoted",
        };
        found.insert(format!("CREATE ROLE with {how} name"));
        if !text(source, role.span).starts_with("CREATE") {
            found.insert("keywords in lower or mixed case".to_owned());
        }
    }
    let names: Vec<&str> = schema
        .record_types
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    if !names.is_sorted() {
        found.insert("record types out of export order".to_owned());
    }
    for record_type in &schema.record_types {
        record_type_constructs(source, record_type, &mut found);
        for field in record_type.fields.iter().filter(|f| f.declared) {
            field_constructs(source, field, &mut found);
        }
        for grant in &record_type.grants {
            grant_constructs(source, &code, grant, &mut found);
        }
    }
    found
}

fn layout_constructs(
    source: &str,
    code: &str,
    comments: &[(&'static str, Range<usize>)],
    schema: &Schema,
    found: &mut BTreeSet<String>,
) {
    let mut add = |label: &str| found.insert(label.to_owned());
    if schema.roles.is_empty() && schema.record_types.is_empty() {
        add("empty schema");
    }
    let define = next_word(code, 0).expect("a header");
    let schema_word = next_word(code, define.end).expect("a header");
    if define.start > 0
        && comments
            .first()
            .is_some_and(|(_, c)| c.start < define.start)
    {
        add("comment before the header");
    }
    if comments
        .iter()
        .any(|(_, c)| define.end <= c.start && c.end <= schema_word.start)
    {
        add("comment inside the header");
    }
    if &code[define.clone()] != "DEFINE" || &code[schema_word.clone()] != "SCHEMA" {
        add("header in lower case");
    }
    if code[define.end..schema_word.start].contains(['\r', '\n']) {
        add("header split across lines");
    }
    for (style, range) in comments {
        add(style);
        let comment = &source[range.clone()];
        if style.starts_with("block") && comment.contains(['\r', '\n']) {
            add("block comment spanning lines");
        }
        let before = &code[..range.start];
        if before.ends_with(|c: char| !c.is_whitespace()) {
            add("comment right after a token");
        }
        if before.trim_end().ends_with(',') {
            add("comment after a field's comma");
        }
    }
    if source.contains("\r\n") {
        add("CRLF line endings");
    }
    if source.contains('\t') {
        add("tab characters");
    }
    if !source.ends_with('\n') {
        add("no newline at end");
    }
    if source.ends_with("\n\n") {
        add("blank line at end");
    }
    let mut statements: Vec<Span> = schema.roles.iter().map(|r| r.span).collect();
    statements.extend(schema.record_types.iter().map(|t| t.span));
    statements.sort_by_key(|s| s.start.offset);
    if statements
        .windows(2)
        .any(|w| w[0].end.line == w[1].start.line)
    {
        add("statements on one line");
    }
    if statements.iter().any(|s| s.start.column == 1) {
        add("statement at column 1");
    }
}

fn record_type_constructs(source: &str, record_type: &RecordType, found: &mut BTreeSet<String>) {
    let mut add = |label: &str| found.insert(label.to_owned());
    let name = record_type.name.as_str();
    let declared: Vec<&Field> = record_type.fields.iter().filter(|f| f.declared).collect();
    let statement = text(source, record_type.span);
    if !statement.starts_with("RECORD TYPE") {
        add("keywords in lower or mixed case");
    }
    if record_type.name.span.start.line != record_type.span.start.line {
        add("RECORD TYPE split across lines");
    }
    if statement.lines().any(|line| line.trim().is_empty()) {
        add("blank line inside a record body");
    }
    if name.starts_with("CD_") {
        add("CD_ record type");
    }
    if name.starts_with(|c: char| c.is_ascii_lowercase()) && name.contains('_') {
        add("snake_case record type");
    }
    if !record_type.name.quoted && is_keyword(name) {
        add(format!("keyword as a record type name: {name}").as_str());
    }
    if name == "Users" {
        if record_type
            .field("roles")
            .is_some_and(|f| f.field_type.to_string() == "LIST<INT64>")
        {
            add("Users with roles LIST<INT64>");
        }
        if record_type
            .user_fields()
            .any(|f| f.name.as_str() != "roles")
        {
            add("Users with fields of the app");
        }
    }
    if name == "cloudkit.share"
        && declared
            .iter()
            .any(|f| f.name.as_str().starts_with("cloudkit."))
    {
        add("cloudkit.share with cloudkit.* fields");
    }
    if declared.is_empty() && record_type.grants.is_empty() {
        add("empty record body");
    } else if record_type.grants.is_empty() {
        add("type without grants");
    } else if record_type
        .permissions_for(BuiltinRole::World.name())
        .is_empty()
    {
        add("public type without _world grant");
    }
    match declared
        .iter()
        .filter(|f| f.system_field().is_some())
        .count()
    {
        0 if !declared.is_empty() => add("no system field declared"),
        0 => false,
        6 => add("all six system fields declared"),
        _ => add("some system fields declared"),
    };
    let type_columns: BTreeSet<u32> = declared.iter().map(|f| f.type_span.start.column).collect();
    if type_columns.len() > 1 {
        add("misaligned field column");
    }
    let grants = &record_type.grants;
    let roles: BTreeSet<&str> = grants.iter().map(|g| g.role.as_str()).collect();
    if roles.len() < grants.len() {
        add("several grants to one role");
    }
    if grants
        .windows(2)
        .any(|w| w[0].span.start.line == w[1].span.start.line)
    {
        add("several grants on one line");
    }
    let last_field = declared.iter().map(|f| f.span.start.offset).max();
    if grants
        .iter()
        .any(|g| last_field.is_some_and(|last| g.span.start.offset < last))
    {
        add("grant before a field");
    }
}

fn field_constructs(source: &str, field: &Field, found: &mut BTreeSet<String>) {
    let mut add = |label: String| found.insert(label);
    let name = &field.name;
    let field_type = field.field_type;
    let options: Vec<(&str, Span)> = [
        ("QUERYABLE", field.indexes.queryable),
        ("SEARCHABLE", field.indexes.searchable),
        ("SORTABLE", field.indexes.sortable),
    ]
    .into_iter()
    .filter_map(|(option, span)| Some((option, span?)))
    .collect();
    let written: Vec<&str> = options.iter().map(|(option, _)| *option).collect();
    if let Some(system) = field.system_field() {
        let mut label = format!("system field {}", system.schema_name());
        for option in &written {
            label.push(' ');
            label.push_str(option);
        }
        add(label);
    }
    add(format!("type {field_type}"));
    for option in &written {
        add(format!("{option} on {field_type}"));
    }
    if !written.is_empty() {
        add(format!("options {}", written.join(" ")));
    }
    if !options.is_sorted_by_key(|(_, span)| span.start.offset) {
        add("options out of export order".to_owned());
    }
    let type_text = text(source, field.type_span);
    let canonical = field_type.to_string();
    if type_text != canonical.as_str() {
        let squeezed = |t: &str| {
            t.split_whitespace()
                .collect::<String>()
                .to_ascii_uppercase()
        };
        if squeezed(type_text) == squeezed(&canonical)
            && type_text.to_ascii_uppercase() != canonical
        {
            add("odd spacing inside a type".to_owned());
        }
        if type_text.to_ascii_uppercase() != type_text {
            add("keywords in lower or mixed case".to_owned());
        }
        if type_text.contains(['\r', '\n']) {
            add("type split across lines".to_owned());
        }
    }
    let value = name.as_str();
    if value.starts_with("CD_") {
        add("CD_ field".to_owned());
    }
    if value == "CD_entityName" {
        add("CD_entityName field".to_owned());
    }
    if value.starts_with("CD_") && value.ends_with("_ckAsset") && canonical == "ASSET" {
        add("CD_ asset companion".to_owned());
    }
    let mut chars = value.chars();
    if chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && !value.contains('_')
        && value
            .as_bytes()
            .windows(2)
            .any(|w| w.iter().all(u8::is_ascii_uppercase))
    {
        add("camelCase name with an acronym".to_owned());
    }
    if !name.quoted && is_keyword(value) {
        add(format!("keyword as a field name: {value}"));
    }
    if name.quoted && RESERVED.contains(&value.to_ascii_uppercase().as_str()) {
        add("quoted reserved word as a name".to_owned());
    }
    if name.quoted && matches!(quoted_if_needed(value), Cow::Borrowed(_)) {
        add("needlessly quoted name".to_owned());
    }
    if value.contains('.') {
        add("dotted name".to_owned());
    }
}

fn grant_constructs(source: &str, code: &str, grant: &Grant, found: &mut BTreeSet<String>) {
    let mut add = |label: String| found.insert(label);
    let role = grant.role.as_str();
    add(match BuiltinRole::from_name(role) {
        Some(builtin) => format!("GRANT TO {}", builtin.name()),
        None => "GRANT TO a custom role".to_owned(),
    });
    add(format!("GRANT {}", grant.permissions));
    if !text(source, grant.span).starts_with("GRANT") {
        add("keywords in lower or mixed case".to_owned());
    }
    let clause = text(code, grant.span)
        .to_ascii_uppercase()
        .replace(',', " ");
    let written: Vec<&str> = clause
        .split_whitespace()
        .skip(1)
        .take_while(|w| *w != "TO")
        .collect();
    if written.join(", ") != grant.permissions.to_string() {
        add("permissions out of export order".to_owned());
    }
}
