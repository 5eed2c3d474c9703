//! What the corpus must cover, and finding it in one file.
//!
//! A construct is a label such as `type LIST<STRING>` or `comment before the header`. The
//! corpus test asks that every required label is found in some corpus file, and the README's
//! coverage table uses the same labels.

mod found;
mod source_text;

use cloudkit_schema::{ElementType, FieldType, NumberPreference, ScalarType, SystemField};

pub use found::constructs;

const SCALARS: [ScalarType; 8] = [
    ScalarType::Asset,
    ScalarType::Bytes,
    ScalarType::Double,
    ScalarType::Int64,
    ScalarType::Location,
    ScalarType::Reference,
    ScalarType::String,
    ScalarType::Timestamp,
];

/// Every construct the real exports and the spec use, as the labels `constructs` gives them.
pub fn required_constructs() -> Vec<String> {
    let mut required: Vec<String> = Vec::new();
    let numbers = [
        None,
        Some(NumberPreference::Int64),
        Some(NumberPreference::Double),
    ]
    .map(|p| ElementType::plain(ScalarType::Number(p)));
    let elements = SCALARS.into_iter().map(ElementType::plain).chain(numbers);
    let encrypted = SCALARS
        .into_iter()
        .filter(|s| s.is_encryptable())
        .map(|scalar| ElementType {
            scalar,
            encrypted: true,
        });
    for element in elements.chain(encrypted) {
        required.push(format!("type {}", FieldType::Element(element)));
        if element.scalar != ScalarType::Number(None) {
            required.push(format!("type {}", FieldType::List(element)));
        }
    }
    // Every index spec §7.1 allows, on each type that allows it.
    for scalar in SCALARS.into_iter().filter(|&s| s != ScalarType::Asset) {
        required.push(format!("QUERYABLE on {scalar}"));
        required.push(format!("SORTABLE on {scalar}"));
    }
    let int64 = ScalarType::Number(Some(NumberPreference::Int64));
    let double = ScalarType::Number(Some(NumberPreference::Double));
    let string = ScalarType::String;
    required.extend([
        format!("QUERYABLE on {int64}"),
        format!("SORTABLE on {double}"),
        format!("SEARCHABLE on {string}"),
        format!("QUERYABLE on LIST<{string}>"),
        format!("SEARCHABLE on LIST<{string}>"),
        format!("QUERYABLE on LIST<{}>", ScalarType::Int64),
        format!("QUERYABLE on LIST<{}>", ScalarType::Reference),
    ]);
    for mask in 1..8u8 {
        let options = [(1, "QUERYABLE"), (2, "SEARCHABLE"), (4, "SORTABLE")]
            .into_iter()
            .filter(|(bit, _)| mask & bit != 0)
            .map(|(_, option)| option);
        required.push(format!("options {}", options.collect::<Vec<_>>().join(" ")));
    }
    for system in SystemField::ALL {
        required.push(format!("system field {}", system.schema_name()));
    }
    let static_labels = [
        // Indexes on system fields, as exports show them.
        "system field ___recordID QUERYABLE",
        "system field ___createTime QUERYABLE SORTABLE",
        "system field ___createTime SORTABLE",
        "system field ___modTime SORTABLE",
        "system field ___modTime QUERYABLE SORTABLE",
        "system field ___createdBy QUERYABLE",
        "all six system fields declared",
        "some system fields declared",
        "no system field declared",
        "options out of export order",
        // Names.
        "CD_ record type",
        "CD_ field",
        "CD_entityName field",
        "CD_ asset companion",
        "camelCase name with an acronym",
        "snake_case record type",
        "keyword as a record type name: List",
        "keyword as a field name: asset",
        "keyword as a field name: encrypted",
        "keyword as a field name: list",
        "keyword as a field name: location",
        "keyword as a field name: number",
        "keyword as a field name: role",
        "keyword as a field name: timestamp",
        "keyword as a field name: type",
        "quoted reserved word as a name",
        "needlessly quoted name",
        "dotted name",
        // Record types.
        "Users with roles LIST<INT64>",
        "Users with fields of the app",
        "cloudkit.share with cloudkit.* fields",
        "empty record body",
        "type without grants",
        "public type without _world grant",
        "record types out of export order",
        // Roles and grants.
        "CREATE ROLE with a bare name",
        "CREATE ROLE with a quoted name",
        "GRANT TO _creator",
        "GRANT TO _icloud",
        "GRANT TO _world",
        "GRANT TO a custom role",
        "GRANT READ",
        "GRANT CREATE",
        "GRANT WRITE",
        "GRANT READ, CREATE",
        "GRANT READ, WRITE",
        "GRANT CREATE, WRITE",
        "GRANT READ, CREATE, WRITE",
        "permissions out of export order",
        "several grants to one role",
        "grant before a field",
        "several grants on one line",
        // Layout.
        "empty schema",
        "comment before the header",
        "comment inside the header",
        "header in lower case",
        "header split across lines",
        "line comment --",
        "line comment //",
        "block comment /* */",
        "block comment spanning lines",
        "comment right after a token",
        "comment after a field's comma",
        "CRLF line endings",
        "tab characters",
        "no newline at end",
        "blank line at end",
        "statements on one line",
        "statement at column 1",
        "keywords in lower or mixed case",
        "RECORD TYPE split across lines",
        "type split across lines",
        "odd spacing inside a type",
        "misaligned field column",
        "blank line inside a record body",
    ];
    required.extend(static_labels.map(str::to_owned));
    required
}
