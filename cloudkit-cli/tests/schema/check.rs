//! `cloudkit schema check`.

use insta::assert_snapshot;

use crate::{cloudkit, real_schemas};

#[test]
fn valid_file_passes() {
    let run = cloudkit(&["schema", "check", "tests/fixtures/notes.ckdb"]);
    assert_eq!(run.code, 0);
    assert_snapshot!(run);
}

#[test]
fn readme_fixture_passes() {
    let run = cloudkit(&["schema", "check", "../schema/tests/fixtures/notes.ckdb"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stderr, "");
}

#[test]
fn every_semantic_error_is_reported_with_its_source_line() {
    let run = cloudkit(&["schema", "check", "tests/fixtures/invalid.ckdb"]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run);
}

#[test]
fn a_syntax_error_stops_at_the_first_one() {
    let run = cloudkit(&["schema", "check", "tests/fixtures/syntax-error.ckdb"]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run);
}

#[test]
fn warnings_do_not_fail() {
    let run = cloudkit(&["schema", "check", "tests/fixtures/warning.ckdb"]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("warning[bare-number]"), "{run}");
    assert_snapshot!(run);
}

#[test]
fn several_files_get_a_line_each_and_a_total() {
    let run = cloudkit(&[
        "schema",
        "check",
        "tests/fixtures/notes.ckdb",
        "tests/fixtures/syntax-error.ckdb",
        "tests/fixtures/warning.ckdb",
    ]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run);
}

#[test]
fn unreadable_file_is_named() {
    let run = cloudkit(&["schema", "check", "tests/fixtures/missing.ckdb"]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run);
}

#[test]
fn no_file_is_a_usage_error() {
    let run = cloudkit(&["schema", "check"]);
    assert_eq!(run.code, 2);
}

#[test]
fn every_real_export_passes() {
    let Some((_, files)) = real_schemas() else {
        return;
    };
    assert!(
        files.len() >= 30,
        "expected the 30 real files, found {}",
        files.len()
    );
    let mut args = vec!["schema", "check"];
    args.extend(files.iter().map(String::as_str));
    let run = cloudkit(&args);
    assert_eq!(run.code, 0, "{run}");
    assert!(!run.stderr.contains("error["), "{run}");
    let summaries: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(summaries.len(), files.len() + 1, "{run}");
    for (file, line) in files.iter().zip(&summaries) {
        assert!(line.starts_with(&format!("{file}: ok (")), "{line}");
    }
    assert_eq!(
        summaries.last().copied(),
        Some(format!("checked {} files: all valid", files.len()).as_str())
    );
}

#[test]
fn a_type_no_role_can_create_gets_a_warning() {
    let run = cloudkit(&["schema", "check", "tests/fixtures/read-only.ckdb"]);
    assert_eq!(run.code, 0, "{run}");
    // Announcement only; Draft is created by a custom role, Diary has no grants at all.
    assert_eq!(
        run.stderr.matches("warning[no-create-grant]").count(),
        1,
        "{run}"
    );
    assert_snapshot!(run);
}
