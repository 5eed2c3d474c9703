//! `cloudkit records query|lookup|create|delete`.

use super::emulator::TestEmulator;

#[test]
fn create_query_lookup_and_delete_round_trip() {
    let emu = TestEmulator::start();
    for (name, title, pinned) in [
        ("n1", "Shopping", "1"),
        ("n2", "Errands", "0"),
        ("n3", "Shop hours", "1"),
    ] {
        let out = emu
            .run(&[
                "records",
                "create",
                "Note",
                "--name",
                name,
                "--field",
                &format!("title={title}"),
                "--field",
                &format!("pinned={pinned}"),
                "--field",
                r#"tags=["home","work"]"#,
            ])
            .ok();
        assert!(out.contains(name) && out.contains(title), "{out}");
    }
    // The fields object form, and JSON output of the saved record.
    let saved = emu
        .run(&[
            "records",
            "create",
            "Note",
            "--json",
            r#"{"title":"From JSON","pinned":{"value":0,"type":"INT64"}}"#,
            "--output-json",
        ])
        .json_lines();
    assert_eq!(saved[0]["fields"]["title"]["value"], "From JSON");
    assert_eq!(saved[0]["fields"]["pinned"]["type"], "INT64");

    let found = emu
        .run(&[
            "records",
            "query",
            "Note",
            "--filter",
            "title begins_with Shop",
            "--sort",
            "title:desc",
            "--json",
        ])
        .json_lines();
    let names: Vec<&str> = found
        .iter()
        .filter_map(|r| r["recordName"].as_str())
        .collect();
    assert_eq!(
        names,
        ["n1", "n3"],
        "title descending: `Shopping` > `Shop hours`"
    );

    let pinned = emu
        .run(&[
            "records",
            "query",
            "Note",
            "--filter",
            "pinned = 1",
            "--limit",
            "1",
            "--json",
        ])
        .json_lines();
    assert_eq!(pinned.len(), 1);

    let table = emu.run(&["records", "query", "Note", "--sort", "title"]);
    assert_eq!(table.code, 0, "{table:#?}");
    let first = table.stdout.lines().next().expect("a header");
    assert!(
        first.contains("recordName") && first.contains("title"),
        "{}",
        table.stdout
    );
    assert!(table.stdout.contains("Shop hours"), "{}", table.stdout);
    assert!(table.stderr.contains("4 records"), "{}", table.stderr);

    let looked = emu.run(&["records", "lookup", "n1", "missing", "--json"]);
    assert_eq!(looked.code, 1, "{looked:#?}");
    assert!(looked.stderr.contains("NOT_FOUND"), "{}", looked.stderr);
    assert!(looked.stdout.contains("\"n1\""), "{}", looked.stdout);

    let deleted = emu.run(&["records", "delete", "n1", "n2"]).ok();
    assert!(
        deleted.contains("deleted n1") && deleted.contains("deleted n2"),
        "{deleted}"
    );
    let again = emu.run(&["records", "delete", "n1"]);
    assert_eq!(again.code, 1, "{again:#?}");
    assert!(again.stderr.contains("NOT_FOUND"), "{}", again.stderr);
    emu.run(&["records", "delete", "--force", "n3"]).ok();
    let left = emu
        .run(&["records", "query", "Note", "--json"])
        .json_lines();
    assert_eq!(left.len(), 1);
}

#[test]
fn cloudkit_errors_carry_code_and_reason_and_exit_non_zero() {
    let emu = TestEmulator::start();
    // An unknown field in a QUERYABLE-less position: the server refuses it.
    let refused = emu.run(&["records", "query", "Note", "--filter", "body = x"]);
    assert_eq!(refused.code, 1, "{refused:#?}");
    assert!(refused.stderr.contains("BAD_REQUEST"), "{}", refused.stderr);

    let private_without_user = emu
        .cloudkit(&["records", "query", "Note", "--database", "private"])
        .env_remove("CLOUDKIT_WEB_AUTH_TOKEN")
        .output()
        .expect("runs");
    assert_eq!(private_without_user.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&private_without_user.stderr);
    assert!(stderr.contains("CLOUDKIT_WEB_AUTH_TOKEN"), "{stderr}");

    let usage = emu.run(&["records", "query", "Note", "--filter", "title ~ x"]);
    assert_eq!(usage.code, 2, "{usage:#?}");

    // Tokens never show, whatever goes wrong.
    for run in [refused, usage] {
        assert!(!run.stderr.contains(super::emulator::API_TOKEN));
        assert!(!run.stderr.contains(&emu.alice));
    }
}
