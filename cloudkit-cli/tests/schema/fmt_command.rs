//! `cloudkit schema fmt`.

use std::fs;
use std::time::{Duration, SystemTime};

use insta::assert_snapshot;

use crate::{cloudkit, fixture, scratch_copy};

#[test]
fn canonical_file_passes_check_silently() {
    let run = cloudkit(&["schema", "fmt", "--check", "tests/fixtures/notes.ckdb"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
}

#[test]
fn prints_the_canonical_layout_and_warns_about_comments() {
    let run = cloudkit(&["schema", "fmt", "tests/fixtures/messy.ckdb"]);
    assert_eq!(run.code, 0);
    assert_snapshot!(run);
}

#[test]
fn formatting_a_canonical_file_changes_nothing() {
    let run = cloudkit(&["schema", "fmt", "tests/fixtures/notes.ckdb"]);
    assert_eq!(run.code, 0);
    let source = fs::read_to_string(fixture("notes.ckdb")).expect("fixture");
    assert_eq!(run.stdout, source);
}

#[test]
fn check_names_files_that_are_not_canonical() {
    let run = cloudkit(&[
        "schema",
        "fmt",
        "--check",
        "tests/fixtures/notes.ckdb",
        "tests/fixtures/messy.ckdb",
        "tests/fixtures/syntax-error.ckdb",
    ]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run);
}

#[test]
fn write_rewrites_only_when_changed() {
    let path = scratch_copy("messy-no-comments.ckdb", "fmt_write");
    let name = path.to_str().expect("utf-8 path");
    let expected = cloudkit(&["schema", "fmt", name]).stdout;

    let first = cloudkit(&["schema", "fmt", "--write", name]);
    assert_eq!(first.code, 0, "{first}");
    assert_eq!(first.stdout, format!("{name}: reformatted\n"));
    assert_eq!(fs::read_to_string(&path).expect("written"), expected);

    // Back-date the file: a second run must leave it alone, so its mtime stays put.
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(old))
        .expect("set mtime");
    let second = cloudkit(&["schema", "fmt", "--write", name]);
    assert_eq!(second.code, 0, "{second}");
    assert_eq!((second.stdout.as_str(), second.stderr.as_str()), ("", ""));
    let mtime = fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(mtime, old);
}

#[test]
fn write_keeps_a_file_with_comments_unless_told() {
    let path = scratch_copy("messy.ckdb", "fmt_comments");
    let name = path.to_str().expect("utf-8 path");
    let before = fs::read_to_string(&path).expect("copied");

    let refused = cloudkit(&["schema", "fmt", "--write", name]);
    assert_eq!(refused.code, 1, "{refused}");
    assert!(refused.stderr.contains("has comments"), "{refused}");
    assert_eq!(fs::read_to_string(&path).expect("kept"), before);

    let forced = cloudkit(&["schema", "fmt", "--write", "--drop-comments", name]);
    assert_eq!(forced.code, 0, "{forced}");
    assert!(!fs::read_to_string(&path).expect("written").contains("--"));
}

#[test]
fn a_file_with_errors_is_never_written() {
    let path = scratch_copy("invalid.ckdb", "fmt_invalid");
    let name = path.to_str().expect("utf-8 path");
    let before = fs::read_to_string(&path).expect("copied");
    let run = cloudkit(&["schema", "fmt", "--write", name]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[duplicate-field]"), "{run}");
    assert_eq!(fs::read_to_string(&path).expect("kept"), before);
}

#[test]
fn printing_takes_one_file() {
    let run = cloudkit(&[
        "schema",
        "fmt",
        "tests/fixtures/notes.ckdb",
        "tests/fixtures/old.ckdb",
    ]);
    assert_eq!(run.code, 2);
    assert_snapshot!(run);
}

#[test]
fn check_and_write_conflict() {
    let run = cloudkit(&[
        "schema",
        "fmt",
        "--check",
        "--write",
        "tests/fixtures/notes.ckdb",
    ]);
    assert_eq!(run.code, 2);
}
