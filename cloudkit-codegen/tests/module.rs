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

const NAMES: &str = include_str!("../../cloudkit-derive/tests/schema/names.ckdb");

#[test]
fn generated_fields_are_snake_case_and_need_no_rename() {
    let code = generate_module(NAMES, &Options::default()).unwrap_or_else(|e| e.to_string());
    for field in [
        "pub avatar_url: Option<::cloudkit_runtime::Asset>",
        "pub display_name: Option<String>",
        "pub home_page_url: Option<String>",
        "pub isbn13_code: Option<String>",
        "pub url_string: Option<String>",
        "pub user_id: Option<String>",
    ] {
        assert!(code.contains(field), "{field} in\n{code}");
    }
    // `userID` and `userId` read alike: the second gets its own name (and a `rename` in the
    // derive input, so the expansion still checks).
    assert!(code.contains("pub user_id_: Option<String>"), "{code}");
    assert!(code.contains("pub const fn user_id_("), "{code}");
}

/// The real schemas under `../shared`, if this checkout has them.
fn real_schemas() -> Vec<std::path::PathBuf> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata/schemas/real");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: no real schemas at {}", dir.display());
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ckdb"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_real_schema_generates_with_and_without_core_data() {
    let out = std::env::temp_dir().join(format!("ck-real-{}", std::process::id()));
    std::fs::create_dir_all(&out).ok();
    let mut failures = Vec::new();
    for path in real_schemas() {
        for core_data in [false, true] {
            let result = Builder::new(&path)
                .core_data(core_data)
                .module(if core_data { "core_data" } else { "plain" })
                .out_dir(&out)
                .generate();
            if let Err(e) = result {
                failures.push(format!("{} (core_data {core_data}): {e}", path.display()));
            }
        }
    }
    std::fs::remove_dir_all(&out).ok();
    assert_eq!(failures, Vec::<String>::new());
}

#[test]
fn core_data_structs_drop_the_prefix() {
    let dir = std::env::temp_dir().join(format!("ck-core-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok();
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cloudkit-derive/tests/schema/core_data.ckdb");
    let code = Builder::new(&schema)
        .core_data(true)
        .module("trips")
        .out_dir(&dir)
        .generate()
        .and_then(|path| {
            std::fs::read_to_string(&path).map_err(|source| CodegenError::Io { path, source })
        })
        .unwrap_or_else(|e| e.to_string());
    std::fs::remove_dir_all(&dir).ok();
    for expected in [
        "pub struct Trip {",
        "pub destination_name: Option<String>",
        "pub notes_ck_asset: Option<::cloudkit_runtime::Asset>",
        "const RECORD_TYPE: &'static str = \"CD_Trip\";",
        "pub struct Traveler {",
        "pub home_airport_id: Option<String>",
        // Not Core Data's: generated as usual.
        "pub struct Settings {",
        "pub theme: Option<String>",
    ] {
        assert!(code.contains(expected), "{expected} in\n{code}");
    }
    // Written from the entity's name instead.
    assert!(!code.contains("pub entity_name"), "{code}");
    assert!(code.contains("String::from(\"Trip\")"), "{code}");
}
