use super::*;

fn err(src: &str) -> (DiagnosticKind, u32, u32) {
    let e = parse(src).expect_err("should fail");
    (e.kind, e.span.start.line, e.span.start.column)
}

#[test]
fn parses_the_spec_example() {
    let schema = parse(
        "-- x\nDEFINE SCHEMA\n CREATE ROLE Curator;\n RECORD TYPE Shelf (\n \
         \"___createTime\" TIMESTAMP QUERYABLE SORTABLE,\n title STRING QUERYABLE SEARCHABLE SORTABLE,\n \
         books LIST<REFERENCE>,\n GRANT READ, CREATE, WRITE TO Curator, GRANT READ TO \"_world\"\n);\n",
    )
    .expect("parses");
    assert_eq!(schema.roles.len(), 1);
    let shelf = &schema.record_types[0];
    assert_eq!(shelf.fields.len(), 8);
    assert!(shelf.fields[0].declared);
    assert!(!shelf.fields[7].declared);
    assert_eq!(shelf.grants.len(), 2);
    assert!(shelf.permissions_for("Curator").write);
    assert_eq!(
        shelf.field("books").map(|f| f.field_type),
        Some(FieldType::List(ElementType::plain(ScalarType::Reference)))
    );
}

#[test]
fn contextual_keywords_are_names() {
    let schema = parse(
        "define schema record type List ( type STRING, timestamp TIMESTAMP, \
         encrypted ENCRYPTED BYTES, list List<encrypted string>, role ROLE_X_NOT_TYPE_ignored INT64 );",
    );
    // `ROLE_X_NOT_TYPE_ignored` is not a type keyword.
    assert_eq!(
        schema.expect_err("bad type").kind,
        DiagnosticKind::UnknownType
    );
    let schema = parse(
        "define schema record type List ( type STRING, timestamp TIMESTAMP, \
         encrypted ENCRYPTED BYTES, list List<encrypted string>, grant read to \"_world\" );",
    )
    .expect("parses");
    let list = &schema.record_types[0];
    assert_eq!(list.name.value, "List");
    assert!(
        list.field("encrypted")
            .is_some_and(|f| f.field_type.is_encrypted())
    );
    assert!(list.field("list").is_some_and(|f| f.field_type.is_list()));
}

#[test]
fn syntax_errors_at_their_token() {
    assert_eq!(
        err("RECORD TYPE X ();"),
        (DiagnosticKind::MissingHeader, 1, 1)
    );
    assert_eq!(err("DEFINE X"), (DiagnosticKind::MissingHeader, 1, 8));
    assert_eq!(
        err("DEFINE SCHEMA RECORD TYPE X ()\nRECORD TYPE Y ();"),
        (DiagnosticKind::ExpectedToken, 2, 1)
    );
    assert_eq!(
        err("DEFINE SCHEMA RECORD TYPE X ()"),
        (DiagnosticKind::ExpectedToken, 1, 31)
    );
    assert_eq!(
        err("DEFINE SCHEMA RECORD TYPE X (a STRING, );"),
        (DiagnosticKind::TrailingComma, 1, 40)
    );
    assert_eq!(
        err("DEFINE SCHEMA RECORD TYPE X (GRANT READ, GRANT WRITE TO x);"),
        (DiagnosticKind::ExpectedToken, 1, 42)
    );
    assert_eq!(
        err("DEFINE SCHEMA RECORD TYPE X (a LIST<LIST<INT64>>);"),
        (DiagnosticKind::NestedList, 1, 37)
    );
    assert_eq!(
        err("DEFINE SCHEMA RECORD TYPE X (a ENCRYPTED LIST<STRING>);"),
        (DiagnosticKind::NotEncryptable, 1, 42)
    );
    assert_eq!(
        err("DEFINE SCHEMA RECORD TYPE X (a NUMBER PREFERRED AS STRING);"),
        (DiagnosticKind::BadPreferredType, 1, 52)
    );
    assert_eq!(
        err("DEFINE SCHEMA RECORD TYPE X (a QUERYABLE);"),
        (DiagnosticKind::UnknownType, 1, 32)
    );
    assert_eq!(
        err("DEFINE SCHEMA RECORD TYPE grant ();"),
        (DiagnosticKind::ReservedWord, 1, 27)
    );
    assert_eq!(
        err("DEFINE SCHEMA ;;"),
        (DiagnosticKind::ExpectedToken, 1, 15)
    );
}

#[test]
fn repeated_options_and_permissions_are_sets() {
    let schema =
        parse("DEFINE SCHEMA RECORD TYPE X (a STRING QUERYABLE QUERYABLE, GRANT READ, READ TO y);")
            .expect("parses");
    let x = &schema.record_types[0];
    assert_eq!(x.fields[0].repeated_options.len(), 1);
    assert_eq!(x.grants[0].repeated_permissions.len(), 1);
}
