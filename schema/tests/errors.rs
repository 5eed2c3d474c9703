//! One test per diagnostic kind (spec §11 and the warnings): kind, line and column of the
//! first diagnostic, and the rendered form pinned with insta.

use cloudkit_schema::{Diagnostic, DiagnosticKind, parse_and_check};

/// Every diagnostic for `source`: the parse error, or the errors and warnings of the checks.
fn diagnostics(source: &str) -> Vec<Diagnostic> {
    match parse_and_check(source) {
        Ok(checked) => checked.warnings,
        Err(diagnostics) => diagnostics,
    }
}

/// The source and every diagnostic as the CLI prints them.
fn rendered(source: &str) -> String {
    let mut out = String::new();
    for d in diagnostics(source) {
        out.push_str(&d.render("test.ckdb", source));
    }
    out
}

macro_rules! case {
    ($test:ident: $kind:ident at $line:literal:$column:literal, $source:expr) => {
        #[test]
        fn $test() {
            let source: &str = $source;
            let all = diagnostics(source);
            let first = all
                .first()
                .unwrap_or_else(|| panic!("no diagnostic for {source:?}"));
            assert_eq!(
                (first.kind, first.span.start.line, first.span.start.column),
                (DiagnosticKind::$kind, $line, $column),
                "{}",
                rendered(source)
            );
            insta::assert_snapshot!(rendered(source));
        }
    };
}

// Lexical.
case!(unexpected_character: UnexpectedCharacter at 2:25,
    "DEFINE SCHEMA\n    RECORD TYPE cloudkit.share (\n        a STRING\n    );\n");
case!(unterminated_quote: UnterminatedQuote at 2:17,
    "DEFINE SCHEMA\n    CREATE ROLE \"Night Shift;\n");
case!(unterminated_comment: UnterminatedComment at 3:5,
    "DEFINE SCHEMA\n    RECORD TYPE A ( a STRING );\n    /* never closed\n");
case!(empty_name: EmptyName at 2:17,
    "DEFINE SCHEMA\n    CREATE ROLE \"\";\n");

// Syntax.
case!(missing_header: MissingHeader at 2:1,
    "-- no header\nRECORD TYPE A ( a STRING );\n");
case!(missing_header_schema: MissingHeader at 1:8,
    "DEFINE RECORD TYPE A ( a STRING );\n");
case!(expected_token: ExpectedToken at 5:5,
    "DEFINE SCHEMA\n    RECORD TYPE A (\n        a STRING\n    )\n    RECORD TYPE B ( b STRING );\n");
case!(expected_token_at_end_of_input: ExpectedToken at 2:31,
    "DEFINE SCHEMA\n    RECORD TYPE A ( a STRING )");
case!(expected_token_missing_to: ExpectedToken at 2:39,
    "DEFINE SCHEMA\n    RECORD TYPE A ( GRANT READ, WRITE \"_world\" );\n");
case!(expected_token_grant_after_comma: ExpectedToken at 2:33,
    "DEFINE SCHEMA\n    RECORD TYPE A ( GRANT READ, GRANT WRITE TO \"_world\" );\n");
case!(trailing_comma: TrailingComma at 4:5,
    "DEFINE SCHEMA\n    RECORD TYPE Bad (\n        a STRING,\n    );\n");
case!(unknown_type: UnknownType at 3:16,
    "DEFINE SCHEMA\n    RECORD TYPE A (\n        title  TEXT QUERYABLE\n    );\n");
case!(unknown_type_reserved: UnknownType at 2:25,
    "DEFINE SCHEMA\n    RECORD TYPE A ( foo QUERYABLE );\n");
case!(nested_list: NestedList at 4:16,
    "DEFINE SCHEMA\n    RECORD TYPE Bad (\n        a STRING,\n        b LIST<LIST<INT64>>,\n    );\n");
case!(not_encryptable: NotEncryptable at 2:33,
    "DEFINE SCHEMA\n    RECORD TYPE A ( a ENCRYPTED ASSET );\n");
case!(not_encryptable_list: NotEncryptable at 2:33,
    "DEFINE SCHEMA\n    RECORD TYPE A ( a ENCRYPTED LIST<STRING> );\n");
case!(bad_preferred_type: BadPreferredType at 2:43,
    "DEFINE SCHEMA\n    RECORD TYPE A ( n NUMBER PREFERRED AS STRING );\n");
case!(reserved_word: ReservedWord at 3:9,
    "DEFINE SCHEMA\n    RECORD TYPE A (\n        sortable INT64\n    );\n");

// Semantic.
case!(duplicate_record_type: DuplicateRecordType at 3:17,
    "DEFINE SCHEMA\n    RECORD TYPE Note ( a STRING );\n    RECORD TYPE \"Note\" ( b STRING );\n");
case!(duplicate_field: DuplicateField at 4:9,
    "DEFINE SCHEMA\n    RECORD TYPE Note (\n        title STRING,\n        \"title\" STRING\n    );\n");
case!(duplicate_role: DuplicateRole at 3:17,
    "DEFINE SCHEMA\n    CREATE ROLE Editor;\n    CREATE ROLE Editor;\n");
case!(builtin_role_redefined: BuiltinRoleRedefined at 2:17,
    "DEFINE SCHEMA\n    CREATE ROLE \"_world\";\n");
case!(undefined_role: UndefinedRole at 2:35,
    "DEFINE SCHEMA\n    RECORD TYPE A ( GRANT READ TO Editors );\n");
case!(system_field_type: SystemFieldType at 3:9,
    "DEFINE SCHEMA\n    RECORD TYPE A (\n        \"___createTime\" INT64 SORTABLE\n    );\n");
case!(reserved_name: ReservedName at 3:9,
    "DEFINE SCHEMA\n    RECORD TYPE A (\n        \"_secret\" STRING\n    );\n");
case!(reserved_name_record_type: ReservedName at 2:17,
    "DEFINE SCHEMA\n    RECORD TYPE \"_Private\" ( a STRING );\n");
case!(index_on_encrypted: IndexOnEncrypted at 3:33,
    "DEFINE SCHEMA\n    RECORD TYPE A (\n        secret ENCRYPTED STRING QUERYABLE\n    );\n");
case!(index_on_encrypted_list: IndexOnEncrypted at 3:40,
    "DEFINE SCHEMA\n    RECORD TYPE A (\n        secrets LIST<ENCRYPTED STRING> SORTABLE\n    );\n");
case!(index_not_allowed: IndexNotAllowed at 3:21,
    "DEFINE SCHEMA\n    RECORD TYPE A (\n        count INT64 SEARCHABLE\n    );\n");
case!(index_not_allowed_asset: IndexNotAllowed at 3:21,
    "DEFINE SCHEMA\n    RECORD TYPE A (\n        photo ASSET QUERYABLE\n    );\n");

// Warnings.
case!(case_collision: CaseCollision at 4:9,
    "DEFINE SCHEMA\n    RECORD TYPE A (\n        title STRING,\n        Title STRING\n    );\n");
case!(non_portable_name: NonPortableName at 3:9,
    "DEFINE SCHEMA\n    RECORD TYPE A (\n        \"first name\" STRING\n    );\n");
case!(repeated_option: RepeatedOption at 3:32,
    "DEFINE SCHEMA\n    RECORD TYPE A (\n        title STRING QUERYABLE QUERYABLE\n    );\n");
case!(repeated_permission: RepeatedOption at 2:33,
    "DEFINE SCHEMA\n    RECORD TYPE A ( GRANT READ, READ TO \"_world\" );\n");
case!(encrypted_in_public: EncryptedInPublic at 3:15,
    "DEFINE SCHEMA\n    RECORD TYPE A (\n        note  ENCRYPTED STRING,\n        GRANT READ TO \"_world\"\n    );\n");
case!(bare_number: BareNumber at 3:15,
    "DEFINE SCHEMA\n    RECORD TYPE A (\n        raw   NUMBER SORTABLE\n    );\n");

/// `NoCreateGrant at ` the type's name: not part of `check`, asked for separately.
#[test]
fn no_create_grant_is_advice_outside_check() {
    let source = "DEFINE SCHEMA\n    RECORD TYPE A ( GRANT READ TO \"_world\", GRANT CREATE TO \"_world\" );\n    RECORD TYPE B ( GRANT CREATE TO \"_creator\" );\n    RECORD TYPE C ( x STRING );\n";
    let checked = parse_and_check(source).expect("valid");
    assert!(checked.warnings.is_empty(), "{:?}", checked.warnings);
    let advice = cloudkit_schema::check::read_only_types(&checked.schema);
    let found: Vec<_> = advice
        .iter()
        .map(|d| (d.kind, d.span.start.line, d.span.start.column))
        .collect();
    // A: READ only, and CREATE to "_world" does not count. B: creatable. C: no grants at all,
    // so private and shared databases only: nothing to say.
    assert_eq!(found, vec![(DiagnosticKind::NoCreateGrant, 2, 17)]);
    let mut rendered = String::new();
    for d in &advice {
        rendered.push_str(&d.render("test.ckdb", source));
    }
    insta::assert_snapshot!(rendered);
}

#[test]
fn every_kind_has_a_test() {
    let source = include_str!("errors.rs");
    for kind in DiagnosticKind::ALL {
        let variant = format!("{kind:?} at ");
        assert!(source.contains(&variant), "no test for {kind}");
    }
}

#[test]
fn all_semantic_errors_are_reported_together_in_source_order() {
    let source = "DEFINE SCHEMA\n\
        CREATE ROLE \"_icloud\";\n\
        RECORD TYPE A (\n\
            photo ASSET SORTABLE,\n\
            photo STRING,\n\
            GRANT READ TO Nobody\n\
        );\n\
        RECORD TYPE A ( \"___etag\" INT64 );\n";
    let found: Vec<(&str, u32, u32)> = diagnostics(source)
        .iter()
        .map(|d| (d.kind.name(), d.span.start.line, d.span.start.column))
        .collect();
    assert_eq!(
        found,
        vec![
            ("builtin-role-redefined", 2, 13),
            ("index-not-allowed", 4, 13),
            ("duplicate-field", 5, 1),
            ("undefined-role", 6, 15),
            ("duplicate-record-type", 8, 13),
            ("system-field-type", 8, 17),
        ]
    );
}

#[test]
fn warnings_do_not_fail_the_check() {
    let checked = parse_and_check(
        "DEFINE SCHEMA RECORD TYPE A ( raw NUMBER, \"x y\" STRING, GRANT READ, READ TO \"_world\" );",
    )
    .expect("only warnings");
    let kinds: Vec<&str> = checked.warnings.iter().map(|d| d.kind.name()).collect();
    assert_eq!(
        kinds,
        ["bare-number", "non-portable-name", "repeated-option"]
    );
}

#[test]
fn a_parse_error_comes_alone() {
    let all = diagnostics("DEFINE SCHEMA RECORD TYPE A ( a TEXT, a STRING );");
    assert_eq!(all.len(), 1);
}

#[test]
fn encrypted_in_public_is_one_warning_per_type() {
    let checked = parse_and_check(
        "DEFINE SCHEMA RECORD TYPE A ( x ENCRYPTED STRING, y ENCRYPTED INT64, z ENCRYPTED BYTES, \
         GRANT READ TO \"_world\" ); RECORD TYPE B ( x ENCRYPTED STRING );",
    )
    .expect("only warnings");
    let messages: Vec<&str> = checked
        .warnings
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].starts_with("fields `x` and 2 others are encrypted"));
}

#[test]
fn hints_for_near_misses() {
    let message = |source: &str| diagnostics(source)[0].message.clone();
    assert!(
        message("DEFINE SCHEMA RECORD TYPE A ( done BOOL );")
            .ends_with("there is no boolean type: CloudKit stores booleans as INT64")
    );
    assert!(message("DEFINE SCHEMA RECORD TYPE A ( t STIRNG );").ends_with("did you mean STRING?"));
    assert!(
        message("DEFINE SCHEMA CREATE ROLE Editor; RECORD TYPE A ( GRANT READ TO Editors );")
            .contains("did you mean `Editor` (declared at line 1:27)?")
    );
}
