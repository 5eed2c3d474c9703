//! `cloudkit records export|import`: JSON Lines round trips, resuming, per-line errors.

use cloudkit_runtime::wire::{FieldValue, Record, RecordOperationType, Value};

use super::emulator::TestEmulator;

/// `n` notes with a string, an INT64, a list and a timestamp each.
fn seed(emu: &TestEmulator, n: usize) {
    let db = emu.alice_session().public_database();
    let batch = (0..n).fold(db.modify(), |batch, i| {
        let record = Record::named("Note", format!("note-{i:05}"))
            .with_field(
                "title",
                FieldValue::from(Value::String(format!("Note {i} \"quoted\" ✓"))),
            )
            .with_field("pinned", FieldValue::from(Value::Int64(i as i64 % 3)))
            .with_field(
                "tags",
                FieldValue::from(Value::StringList(vec!["a".into(), format!("t{i}")])),
            );
        batch.operation(RecordOperationType::Create, record)
    });
    let report = emu.block_on(batch.send()).expect("seeded");
    assert!(report.is_success());
}

fn sorted_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

#[test]
fn export_then_import_round_trips_exactly_and_resumes_without_duplicates() {
    let source = TestEmulator::start();
    seed(&source, 450);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("notes.jsonl");
    let file_arg = file.to_str().expect("utf-8 path");
    let exported = source.run(&["records", "export", "Note", "-o", file_arg]);
    assert_eq!(exported.code, 0, "{exported:#?}");
    assert!(
        exported.stderr.contains("exported 450 records"),
        "{}",
        exported.stderr
    );
    let text = std::fs::read_to_string(&file).expect("the export file");
    assert_eq!(text.lines().count(), 450);
    let first: serde_json::Value =
        serde_json::from_str(text.lines().next().expect("a line")).expect("json");
    let keys: Vec<&String> = first.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["fields", "recordName", "recordType"], "{first}");
    assert_eq!(first["fields"]["pinned"]["type"], "INT64");

    let target = TestEmulator::start();
    let imported = target.run(&["records", "import", file_arg]);
    assert_eq!(imported.code, 0, "{imported:#?}");
    assert!(
        imported
            .stderr
            .contains("imported 450 records, 0 already present, 0 failed"),
        "{}",
        imported.stderr
    );
    // Piped: no progress bar, only the summary.
    assert_eq!(imported.stderr.lines().count(), 1, "{}", imported.stderr);

    let back = target.run(&["records", "export", "Note"]).ok();
    assert_eq!(
        sorted_lines(&back),
        sorted_lines(&text),
        "the round trip is exact"
    );

    // A re-run (say, after a crash) creates nothing twice and fails nothing.
    let again = target.run(&["records", "import", file_arg]);
    assert_eq!(again.code, 0, "{again:#?}");
    assert!(
        again
            .stderr
            .contains("imported 0 records, 450 already present, 0 failed"),
        "{}",
        again.stderr
    );
    let count = target
        .run(&["records", "export", "Note"])
        .ok()
        .lines()
        .count();
    assert_eq!(count, 450);
}

#[test]
fn bad_lines_are_named_and_the_rest_is_imported() {
    let emu = TestEmulator::start();
    seed(&emu, 1);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("mixed.jsonl");
    let lines = [
        r#"{"recordName":"ok-1","recordType":"Note","fields":{"title":{"value":"one","type":"STRING"}}}"#,
        r#"{"recordName":"broken","recordType":"Note","fields":"#,
        r#"{"recordType":"Note","fields":{"title":{"value":"no name","type":"STRING"}}}"#,
        "",
        // Already there with other content: reported, not overwritten.
        r#"{"recordName":"note-00000","recordType":"Note","fields":{"title":{"value":"changed","type":"STRING"}}}"#,
        r#"{"recordName":"bad-type","recordType":"Note","fields":{"pinned":{"value":"x","type":"STRING"}}}"#,
        r#"{"recordName":"ok-2","recordType":"Note","fields":{"title":{"value":"two"}}}"#,
    ];
    let mut bytes = lines.join("\n").into_bytes();
    bytes.extend_from_slice(b"\n\xff\xfe not utf-8\n");
    std::fs::write(&file, bytes).expect("write");
    let run = emu.run(&["records", "import", file.to_str().expect("utf-8")]);
    assert_eq!(run.code, 1, "{run:#?}");
    let stderr = &run.stderr;
    assert!(
        stderr.contains("error: line 2: not a record dictionary"),
        "{stderr}"
    );
    assert!(stderr.contains("error: line 3: no recordName"), "{stderr}");
    assert!(
        stderr.contains("error: line 5: record `note-00000`: EXISTS"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: line 6: record `bad-type`: BAD_REQUEST"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: line 8: the line is not UTF-8"),
        "{stderr}"
    );
    assert!(
        stderr.contains("imported 2 records, 0 already present, 5 failed"),
        "{stderr}"
    );
    let titles = emu
        .run(&["records", "lookup", "ok-1", "ok-2", "note-00000", "--json"])
        .json_lines();
    let titles: Vec<&str> = titles
        .iter()
        .filter_map(|r| r["fields"]["title"]["value"].as_str())
        .collect();
    assert_eq!(titles, ["one", "two", "Note 0 \"quoted\" ✓"]);
}
