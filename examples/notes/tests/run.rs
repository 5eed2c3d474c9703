//! The example end to end on the in-process emulator, and its schema against the checker.

use std::process::Command;

const APPLE_VARS: [&str; 7] = [
    "CLOUDKIT_CONTAINER",
    "CLOUDKIT_KEY_ID",
    "CLOUDKIT_PRIVATE_KEY_FILE",
    "CLOUDKIT_API_TOKEN",
    "CLOUDKIT_WEB_AUTH_TOKEN",
    "CLOUDKIT_BASE_URL",
    "CLOUDKIT_ENVIRONMENT",
];

#[test]
fn the_story_runs_on_the_emulator() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_notes"));
    for var in APPLE_VARS {
        command.env_remove(var);
    }
    let output = command.output().expect("the example starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "exit {:?}\n{stdout}\n{stderr}",
        output.status
    );
    for line in [
        "No Apple credentials in the environment: started the CloudKit emulator in this process",
        "Created zone 'Notes-demo' in the private database.",
        "Saved folder 'Home' (change tag ",
        "Saved 20 notes in one batch",
        "asset upload comes with the assets API",
        "  page 1: 📌 Garden plan, 📌 Standup notes, ",
        "  page 3: Week 11 review, Week 12 review, Week 13 review, Week 14 review",
        "Token search for 'shopping' in titles: 'Hardware shopping', 'Shopping list'",
        "Updated 'Shopping list' with its change tag ",
        "  → CONFLICT: the server has a newer version",
        "  → Re-fetched, merged (kept the phone's tags [\"home\", \"urgent\"], applied our pin)",
        "Fetched changes since the first sync token: 21 records changed (20 notes, 1 folder).",
        "Fetched changes since the newer sync token: 1 change — note 'Shopping list (weekend)'.",
        "Saved zone subscription 'notes-zone-demo'",
        "Saved subscription 'pinned-home-notes-demo'",
        "Deleted note 'Old receipts'",
        "  → Looking it up again: NOT_FOUND, as expected.",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
    insta::assert_snapshot!(redact(&stdout));
}

/// Replaces what changes from run to run: the emulator's port and error UUIDs.
fn redact(text: &str) -> String {
    text.lines()
        .map(|line| {
            let mut line = line.to_owned();
            for (start, end, with) in [
                ("127.0.0.1:", " ", "127.0.0.1:[port] "),
                ("[uuid ", "]", "[uuid [redacted]]"),
            ] {
                if let Some(at) = line.find(start)
                    && let Some(len) = line[at..].find(end)
                {
                    line.replace_range(at..at + len + end.len(), with);
                }
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn credentials_without_a_container_are_a_readable_error() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_notes"));
    for var in APPLE_VARS {
        command.env_remove(var);
    }
    let output = command
        .env("CLOUDKIT_API_TOKEN", "token")
        .output()
        .expect("the example starts");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("CLOUDKIT_CONTAINER"), "{stderr}");
}

#[test]
fn the_schema_passes_the_checker() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/notes.ckdb");
    let text = std::fs::read_to_string(path).expect("schema file");
    match cloudkit_schema::parse_and_check(&text) {
        Ok(checked) => assert!(checked.warnings.is_empty(), "{:?}", checked.warnings),
        Err(errors) => panic!("{errors:?}"),
    }
}
