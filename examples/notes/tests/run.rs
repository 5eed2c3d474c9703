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
        "  page 1: 📌 Garden plan, 📌 Standup notes, ",
        "  page 3: Week 11 review, Week 12 review, Week 13 review, Week 14 review",
        "Token search for 'shopping' in titles: 'Hardware shopping', 'Shopping list'",
        "Uploaded shopping-list.txt (23 bytes) for the note's attachment.",
        "Updated 'Shopping list' with its change tag 4, attachment included",
        "Downloaded the attachment again: 23 bytes, identical to the file uploaded.",
        "  → CONFLICT: the server has a newer version",
        "  → Re-fetched, merged (kept the phone's tags [\"home\", \"urgent\"], applied our pin)",
        "Fetched changes since the first sync token: 21 records changed (20 notes, 1 folder).",
        "Fetched changes since the newer sync token: 1 change — note 'Shopping list (weekend)'.",
        "Saved zone subscription 'notes-zone-demo'",
        "Saved subscription 'pinned-home-notes'",
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

/// The TEST-ONLY key of the wire reference §2.4 (also in the runtime's tests).
const KEY_ID: &str = "6f1a0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f";
const PRIVATE_KEY: &str = "-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIHGyydh4MakkW9gbZhrCCGmM8He2iOVb1nsd/w4xLuWzoAoGCCqGSM49
AwEHoUQDQgAEh8XdaNYl2nfrN5oeFAyMoAjWOJTBX4ay9lYv7I2fLMQ1lKbgngs3
d7Swou8pgLcaYsPQvp5jlYUEW2rKXdoAYA==
-----END EC PRIVATE KEY-----
";
const PUBLIC_KEY: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEh8XdaNYl2nfrN5oeFAyMoAjWOJTB
X4ay9lYv7I2fLMQ1lKbgngs3d7Swou8pgLcaYsPQvp5jlYUEW2rKXdoAYA==
-----END PUBLIC KEY-----
";

/// The iCloud path (`Client::from_env`) with a server-to-server key, pointed at an emulator by
/// `CLOUDKIT_BASE_URL`: the public-database flow, twice (a second run must not trip over the
/// first one's records or subscription).
#[test]
fn the_public_flow_runs_with_a_server_key() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let emu = runtime
        .block_on(
            cloudkit_emulator::Emulator::builder()
                .schema_source(include_str!("../schema/notes.ckdb"))
                .container("iCloud.com.example.notes")
                .server_key(KEY_ID, PUBLIC_KEY)
                .memory()
                .start(),
        )
        .expect("emulator");
    let key_file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("notes-example-key.pem");
    std::fs::write(&key_file, PRIVATE_KEY).expect("key file");
    for run in 0..2 {
        let mut command = Command::new(env!("CARGO_BIN_EXE_notes"));
        for var in APPLE_VARS {
            command.env_remove(var);
        }
        let output = command
            .env("CLOUDKIT_CONTAINER", "iCloud.com.example.notes")
            .env("CLOUDKIT_KEY_ID", KEY_ID)
            .env("CLOUDKIT_PRIVATE_KEY_FILE", &key_file)
            .env("CLOUDKIT_BASE_URL", emu.base_url())
            .env("CLOUDKIT_ENVIRONMENT", "development")
            .output()
            .expect("the example starts");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "run {run}: {stdout}\n{stderr}");
        for line in [
            "container iCloud.com.example.notes, development environment (from CLOUDKIT_* variables).",
            "using the public database; custom zones, change feeds and zone subscriptions",
            "  page 3: Week 11 review, Week 12 review, Week 13 review, Week 14 review",
            "  → CONFLICT: the server has a newer version",
            "  → Looking it up again: NOT_FOUND, as expected.",
        ] {
            assert!(
                stdout.contains(line),
                "run {run}: missing {line:?} in:\n{stdout}"
            );
        }
        assert!(!stdout.contains("Created zone"), "{stdout}");
    }
    runtime.block_on(emu.shutdown());
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
