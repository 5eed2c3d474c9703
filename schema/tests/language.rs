//! The lexical and syntactic corners of spec §3 and §4 that real files rely on.

use cloudkit_schema::{
    DiagnosticKind, ElementType, FieldType, NumberPreference, ScalarType, parse, parse_and_check,
};

fn position_of_error(source: &str) -> (DiagnosticKind, u32, u32) {
    let e = parse(source).expect_err("should fail");
    (e.kind, e.span.start.line, e.span.start.column)
}

#[test]
fn crlf_and_lone_cr_are_one_line_break_each() {
    let lf = "DEFINE SCHEMA\n\nRECORD TYPE A (\n  a TEXT\n);\n";
    let crlf = lf.replace('\n', "\r\n");
    let cr = lf.replace('\n', "\r");
    for source in [lf.to_owned(), crlf, cr] {
        assert_eq!(
            position_of_error(&source),
            (DiagnosticKind::UnknownType, 4, 5),
            "{source:?}"
        );
    }
    // Mixed endings in one file, and a CR inside a block comment.
    let mixed = "DEFINE SCHEMA\r\n/* a\rb\r\nc */\nRECORD TYPE A (\r  a TEXT\n);";
    assert_eq!(
        position_of_error(mixed),
        (DiagnosticKind::UnknownType, 6, 5)
    );
}

#[test]
fn byte_order_mark_is_skipped_and_columns_count_scalars() {
    let source = "\u{feff}DEFINE SCHEMA\nCREATE ROLE \"é—ü\"; RECORD TYPE A (\ta TEXT);";
    // `"é—ü"` is 5 columns but 9 bytes; the tab counts as one column.
    assert_eq!(
        position_of_error(source),
        (DiagnosticKind::UnknownType, 2, 38)
    );
    assert_eq!(
        position_of_error("\u{feff}RECORD"),
        (DiagnosticKind::MissingHeader, 1, 1)
    );
}

#[test]
fn keywords_in_any_case() {
    let schema = parse(
        "define schema\ncreate role editor;\nRecord Type Note (\n  t timestamp Queryable sortable,\n  \
         l List<Encrypted String>,\n  n number preferred as int64,\n  Grant read, Create, write To editor\n);",
    )
    .expect("parses");
    let note = &schema.record_types[0];
    let t = note.field("t").expect("t");
    assert_eq!(
        t.field_type,
        FieldType::Element(ElementType::plain(ScalarType::Timestamp))
    );
    assert!(t.indexes.is_queryable() && t.indexes.is_sortable());
    assert_eq!(
        note.field("l").map(|f| f.field_type),
        Some(FieldType::List(ElementType {
            scalar: ScalarType::String,
            encrypted: true
        }))
    );
    assert_eq!(
        note.field("n").map(|f| f.field_type.element().scalar),
        Some(ScalarType::Number(Some(NumberPreference::Int64)))
    );
    let p = note.permissions_for("editor");
    assert!(p.read && p.create && p.write);
}

#[test]
fn contextual_keywords_are_bare_names() {
    let source = "DEFINE SCHEMA\n\
        CREATE ROLE role;\n\
        CREATE ROLE schema;\n\
        RECORD TYPE List (\n\
          type STRING, timestamp TIMESTAMP, encrypted ENCRYPTED BYTES, list LIST<STRING>,\n\
          asset ASSET, location LOCATION, define INT64, create INT64, record REFERENCE,\n\
          number NUMBER PREFERRED AS DOUBLE, as STRING, to STRING, read INT64, write INT64,\n\
          string STRING, int64 INT64, double DOUBLE, bytes BYTES, reference REFERENCE,\n\
          GRANT READ TO role, GRANT WRITE TO schema\n\
        );\n\
        RECORD TYPE TYPE ( role STRING );";
    let checked = parse_and_check(source).unwrap_or_else(|e| panic!("{e:?}"));
    let list = checked.schema.record_type("List").expect("List");
    assert_eq!(list.user_fields().count(), 19);
    assert_eq!(
        list.field("encrypted").map(|f| f.field_type),
        Some(FieldType::Element(ElementType {
            scalar: ScalarType::Bytes,
            encrypted: true
        }))
    );
    assert!(checked.schema.record_type("TYPE").is_some());
    assert!(checked.schema.role("role").is_some());
}

#[test]
fn reserved_words_need_quotes() {
    for word in ["grant", "PREFERRED", "Queryable", "sortable", "SEARCHABLE"] {
        let bare = format!("DEFINE SCHEMA RECORD TYPE {word} ( a STRING );");
        assert_eq!(
            position_of_error(&bare),
            (DiagnosticKind::ReservedWord, 1, 27),
            "{word}"
        );
        let quoted = format!("DEFINE SCHEMA RECORD TYPE \"{word}\" ( \"{word}\" STRING );");
        let schema = parse(&quoted).expect("quoted reserved words are names");
        assert_eq!(schema.record_types[0].name.value, word);
    }
}

#[test]
fn comments_wherever_whitespace_goes() {
    let source = "// top\n-- more\n/* block\n spanning */DEFINE/**/-- x\nSCHEMA/*y*/\n\
        CREATE/*a*/ROLE--b\n\"a--b\"/*c*/;\n\
        RECORD -- split\n TYPE /* */ T /* */ ( // open\n\
          f1 LIST/*x*/< /*y*/ STRING /*z*/ >--w\n, // after comma\n\
          f2 STRING--note\n,f3 INT64/*x*/QUERYABLE/*y*/SORTABLE,\n\
          GRANT/**/READ/**/,/**/WRITE--\nTO/**/\"a--b\"\n\
        )/* before ; */;// end\n-- trailing";
    let schema = parse(source).expect("parses");
    assert_eq!(schema.roles[0].name.value, "a--b");
    let t = &schema.record_types[0];
    assert_eq!(t.user_fields().count(), 3);
    assert!(t.field("f3").is_some_and(|f| f.indexes.is_sortable()));
    assert!(t.permissions_for("a--b").write);
}

#[test]
fn statements_end_with_semicolons_and_bodies_may_be_empty() {
    let schema = parse("DEFINE SCHEMA").expect("empty schema");
    assert!(schema.record_types.is_empty());
    let schema = parse("DEFINE SCHEMA RECORD TYPE Empty ( );").expect("empty body");
    assert_eq!(schema.record_types[0].system_fields().count(), 6);
    assert_eq!(
        position_of_error("DEFINE SCHEMA CREATE ROLE a"),
        (DiagnosticKind::ExpectedToken, 1, 28)
    );
    assert_eq!(
        position_of_error("DEFINE SCHEMA CREATE ROLE a;;"),
        (DiagnosticKind::ExpectedToken, 1, 29)
    );
    assert_eq!(
        position_of_error("DEFINE SCHEMA; CREATE ROLE a;"),
        (DiagnosticKind::ExpectedToken, 1, 14)
    );
    assert_eq!(
        position_of_error("DEFINE SCHEMA RECORD TYPE A a STRING);"),
        (DiagnosticKind::ExpectedToken, 1, 29)
    );
}

#[test]
fn grants_may_come_first_and_split_grants_add_up() {
    let schema = parse(
        "DEFINE SCHEMA RECORD TYPE A ( GRANT CREATE TO \"_icloud\", a STRING, \
         GRANT WRITE TO \"_icloud\", b INT64 );",
    )
    .expect("parses");
    let a = &schema.record_types[0];
    let p = a.permissions_for("_icloud");
    assert!(p.create && p.write && !p.read);
    assert_eq!(a.user_fields().count(), 2);
}

#[test]
fn implicit_system_fields_follow_the_declared_ones() {
    let schema =
        parse("DEFINE SCHEMA RECORD TYPE A ( b STRING, \"___recordID\" REFERENCE QUERYABLE );")
            .expect("parses");
    let a = &schema.record_types[0];
    let names: Vec<(&str, bool)> = a
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.declared))
        .collect();
    assert_eq!(
        names,
        [
            ("b", true),
            ("___recordID", true),
            ("___createTime", false),
            ("___createdBy", false),
            ("___etag", false),
            ("___modTime", false),
            ("___modifiedBy", false),
        ]
    );
    let implicit = a.field("___etag").expect("implicit");
    assert_eq!(implicit.name.span, a.name.span);
    assert!(implicit.indexes.is_empty());
}
