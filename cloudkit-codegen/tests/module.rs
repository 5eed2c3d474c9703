//! build.rs / CLI generation: golden output, options, and writing only on change.

use cloudkit_codegen::{Builder, CodegenError, Options, generate_module};

const NOTES: &str = include_str!("../../cloudkit-derive/tests/schema/notes.ckdb");

#[test]
fn golden_module() {
    let options = Options {
        schema_display: "schema/notes.ckdb".into(),
        record_types: Some(vec!["Folder".into()]),
        derives: vec!["PartialEq".into()],
        ..Options::default()
    };
    let code = generate_module(NOTES, &options).unwrap_or_else(|e| e.to_string());
    insta::assert_snapshot!(code);
}

#[test]
fn default_selection_skips_users_and_non_identifiers() {
    let schema = "DEFINE SCHEMA\nRECORD TYPE Users (name STRING);\nRECORD TYPE \"cloudkit.share\" (x STRING);\nRECORD TYPE Note (x STRING);\n";
    let code = generate_module(schema, &Options::default()).unwrap_or_default();
    assert!(code.contains("pub struct Note {"));
    assert!(!code.contains("pub struct Users {"));
    let share = Options {
        record_types: Some(vec!["cloudkit.share".into()]),
        ..Options::default()
    };
    let code = generate_module(schema, &share).unwrap_or_default();
    assert!(code.contains("pub struct CloudkitShare {"), "{code}");
}

#[test]
fn unknown_record_types_and_bad_options_are_errors() {
    let options = Options {
        record_types: Some(vec!["Notes".into()]),
        ..Options::default()
    };
    match generate_module(NOTES, &options) {
        Err(e @ CodegenError::UnknownRecordType { .. }) => {
            assert_eq!(
                e.to_string(),
                "record type `Notes` is not in the schema; did you mean `Note`?"
            );
        }
        other => panic!("unexpected: {other:?}"),
    }
    let options = Options {
        derives: vec!["not a path".into()],
        ..Options::default()
    };
    assert!(matches!(
        generate_module(NOTES, &options),
        Err(CodegenError::BadOption {
            option: "derive",
            ..
        })
    ));
}

#[test]
fn schema_errors_are_rendered_with_positions() {
    let error = generate_module(
        "DEFINE SCHEMA\nRECORD TYPE A (x TEXT);\n",
        &Options::default(),
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(error.contains("schema.ckdb:2:18"), "{error}");
}

#[test]
fn builder_writes_only_when_the_content_changes() {
    let dir = std::env::temp_dir().join(format!("ck-builder-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok();
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cloudkit-derive/tests/schema/notes.ckdb");
    let build = || {
        Builder::new(&schema)
            .module("notes")
            .out_dir(&dir)
            .generate()
    };
    let first = build().ok();
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let before = first.as_deref().and_then(modified);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = build().ok();
    assert_eq!(first, second);
    assert!(before.is_some());
    assert_eq!(second.as_deref().and_then(modified), before);
    std::fs::remove_dir_all(&dir).ok();
}
