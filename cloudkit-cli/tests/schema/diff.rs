//! `cloudkit schema diff`.

use insta::assert_snapshot;

use crate::{cloudkit, real_schemas};

#[test]
fn removals_and_encryption_block_production_additions_do_not() {
    let run = cloudkit(&[
        "schema",
        "diff",
        "--production",
        "tests/fixtures/old.ckdb",
        "tests/fixtures/new-breaking.ckdb",
    ]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run);
}

#[test]
fn a_changed_field_type_blocks_production() {
    let run = cloudkit(&[
        "schema",
        "diff",
        "--production",
        "tests/fixtures/old.ckdb",
        "tests/fixtures/new-retyped.ckdb",
    ]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run);
}

#[test]
fn index_grant_and_role_changes_are_deployable() {
    let run = cloudkit(&[
        "schema",
        "diff",
        "--production",
        "tests/fixtures/notes.ckdb",
        "tests/fixtures/notes-next.ckdb",
    ]);
    assert_eq!(run.code, 0);
    assert_snapshot!(run);
}

#[test]
fn without_production_blocking_changes_still_exit_zero() {
    let run = cloudkit(&[
        "schema",
        "diff",
        "tests/fixtures/old.ckdb",
        "tests/fixtures/new-breaking.ckdb",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("blocks production"), "{run}");
    assert!(!run.stdout.contains("cannot be deployed"), "{run}");
}

#[test]
fn the_same_schema_in_two_layouts_has_no_changes() {
    let run = cloudkit(&[
        "schema",
        "diff",
        "--production",
        "tests/fixtures/messy.ckdb",
        "tests/fixtures/messy-no-comments.ckdb",
    ]);
    assert_eq!(run.code, 0);
    assert_snapshot!(run);
}

#[test]
fn an_invalid_side_fails_with_its_diagnostics() {
    let run = cloudkit(&[
        "schema",
        "diff",
        "tests/fixtures/notes.ckdb",
        "tests/fixtures/syntax-error.ckdb",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[nested-list]"), "{run}");
    assert_eq!(run.stdout, "");
}

#[test]
fn real_production_baseline_to_current_is_deployable() {
    let Some((real, _)) = real_schemas() else {
        return;
    };
    let baseline = format!("{real}/ajsutton__moolah-native__CloudKit_schema-prod-baseline.ckdb");
    let current = format!("{real}/ajsutton__moolah-native__CloudKit_schema.ckdb");
    let run = cloudkit(&["schema", "diff", "--production", &baseline, &current]);
    assert_eq!(run.code, 0, "{run}");
    assert!(!run.stdout.contains("blocks production"), "{run}");
    assert_snapshot!(run);

    // Going back would drop the record type and fields added since the baseline.
    let back = cloudkit(&["schema", "diff", "--production", &current, &baseline]);
    assert_eq!(back.code, 1, "{back}");
    assert!(
        back.stdout
            .contains("record type DismissedTransferPairRecord removed")
    );
    assert!(
        back.stdout
            .contains("field AccountRecord.exchangeProvider removed")
    );
}
