//! `cloudkit schema show`.

use insta::assert_snapshot;

use crate::cloudkit;

#[test]
fn human_readable_model() {
    let run = cloudkit(&["schema", "show", "tests/fixtures/notes.ckdb"]);
    assert_eq!(run.code, 0);
    assert_snapshot!(run);
}

#[test]
fn implicit_fields_roles_and_split_grants() {
    let run = cloudkit(&["schema", "show", "tests/fixtures/messy.ckdb"]);
    assert_eq!(run.code, 0);
    assert_snapshot!(run);
}

#[test]
fn json_model() {
    let run = cloudkit(&[
        "schema",
        "show",
        "--json",
        "tests/fixtures/new-breaking.ckdb",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stderr, "");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let secret = &json["record_types"][0]["fields"][1];
    assert_eq!(secret["name"], "secret");
    assert_eq!(secret["encrypted"], true);
    assert_snapshot!(run.stdout);
}

#[test]
fn invalid_file_shows_errors_only() {
    let run = cloudkit(&["schema", "show", "--json", "tests/fixtures/invalid.ckdb"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
}

#[test]
fn a_read_only_type_is_not_called_usable() {
    let run = cloudkit(&["schema", "show", "tests/fixtures/read-only.ckdb"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains(
        "record type Announcement (5:17), read-only in the public database: no role can create records"
    ), "{run}");
    assert!(
        run.stdout
            .contains("record type Draft (10:17), usable in the public database"),
        "{run}"
    );
}
