//! Our own schema corpus, `tests/corpus/*.ckdb`: every construct the real exports use, in
//! files we wrote, so that every clone checks the parser against realistic schemas. (The real
//! exports under `../shared` belong to their authors and are only present in CI.)
//!
//! The corpus files are data. This file lists them with what each should do (format to itself
//! or not, which warnings), checks that all of them parse, check and format faithfully, and,
//! with `coverage`, that together they still contain every required construct, so editing a
//! file cannot silently lose coverage. `tests/corpus/README.md` maps constructs to the files
//! written for them and is checked against what `coverage` finds.

mod coverage;
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use cloudkit_schema::{DiagnosticKind, Schema, format, parse, parse_and_check};
use coverage::{constructs, required_constructs};
use support::meaning;

/// One corpus file, with what the tests expect of it.
struct CorpusFile {
    name: &'static str,
    /// Byte for byte what `format` writes for it.
    canonical: bool,
    /// The warnings `parse_and_check` should raise, in source order.
    warnings: &'static [DiagnosticKind],
}

const fn file(name: &'static str, canonical: bool) -> CorpusFile {
    CorpusFile {
        name,
        canonical,
        warnings: &[],
    }
}

const CORPUS: &[CorpusFile] = &[
    file("chores-crlf.ckdb", false),
    file("empty.ckdb", true),
    file("field-journal-quoted.ckdb", false),
    file("harbor-chat-roles.ckdb", true),
    file("plant-care-hand-edited.ckdb", false),
    file("podcast-keywords-as-names.ckdb", true),
    file("recipe-box-core-data.ckdb", true),
    file("studio-odd-spacing.ckdb", false),
    file("trail-log-fitness.ckdb", true),
    CorpusFile {
        warnings: &[DiagnosticKind::BareNumber],
        ..file("weather-station-numbers.ckdb", false)
    },
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn read(name: &str) -> String {
    let path = corpus_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every corpus file with its source and parsed schema.
fn corpus() -> Vec<(&'static CorpusFile, String, Schema)> {
    CORPUS
        .iter()
        .map(|file| {
            let source = read(file.name);
            let schema = parse(&source).unwrap_or_else(|e| panic!("{}: {e}", file.name));
            (file, source, schema)
        })
        .collect()
}

#[test]
fn the_table_names_every_corpus_file() {
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("tests/corpus exists")
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.ends_with(".ckdb"))
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = CORPUS.iter().map(|f| f.name).collect();
    assert_eq!(
        on_disk, listed,
        "CORPUS must list tests/corpus/*.ckdb, sorted"
    );
}

#[test]
fn every_corpus_file_parses_and_checks() {
    for file in CORPUS {
        let source = read(file.name);
        match parse_and_check(&source) {
            Ok(checked) => {
                let kinds: Vec<DiagnosticKind> = checked.warnings.iter().map(|w| w.kind).collect();
                assert_eq!(kinds, file.warnings, "{}: warnings", file.name);
            }
            Err(errors) => {
                let shown: Vec<String> = errors
                    .iter()
                    .map(|e| e.render(file.name, &source))
                    .collect();
                panic!("{} fails:\n{}", file.name, shown.join("\n"));
            }
        }
    }
}

#[test]
fn formatting_is_idempotent_and_keeps_the_meaning() {
    for (file, _, schema) in corpus() {
        let name = file.name;
        let once = format(&schema);
        let reparsed = parse(&once).unwrap_or_else(|e| panic!("{name} formatted: {e}\n{once}"));
        assert_eq!(format(&reparsed), once, "{name}: format is not idempotent");
        assert_eq!(
            meaning(&reparsed),
            meaning(&schema),
            "{name}: meaning changed"
        );
    }
}

/// The canonical files come back byte for byte, and the hand-written ones really are not
/// canonical, so that neither kind can drift into the other unnoticed.
#[test]
fn exactly_the_canonical_files_format_to_themselves() {
    for (file, source, schema) in corpus() {
        if file.canonical {
            assert_eq!(format(&schema), source, "{}", file.name);
        } else {
            assert_ne!(
                format(&schema),
                source,
                "{} is canonical: mark it so",
                file.name
            );
        }
    }
}

#[test]
fn the_corpus_covers_every_construct() {
    let found = constructs_by_file();
    let missing: Vec<String> = required_constructs()
        .into_iter()
        .filter(|c| !found.values().any(|in_file| in_file.contains(c)))
        .collect();
    assert!(missing.is_empty(), "no corpus file has: {missing:#?}");
}

/// Each row of the README's coverage table is a construct the corpus must have, and each file
/// the row names really has it; every required construct has a row.
#[test]
fn the_readme_table_tells_the_truth() {
    let readme = read("README.md");
    let found = constructs_by_file();
    let required = required_constructs();
    let mut rows = BTreeSet::new();
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let &[_, construct, files, _] = cells.as_slice() else {
            continue;
        };
        let Some(construct) = construct
            .strip_prefix('`')
            .and_then(|c| c.strip_suffix('`'))
        else {
            continue;
        };
        assert!(
            required.iter().any(|r| r == construct),
            "README row `{construct}` is not a required construct"
        );
        let files: Vec<&str> = files
            .split(',')
            .map(|f| f.trim().trim_matches('`'))
            .collect();
        assert!(!files.is_empty(), "README row `{construct}` names no file");
        for file in files {
            let has = found
                .get(file)
                .unwrap_or_else(|| panic!("README names `{file}`, which is not in the corpus"));
            assert!(
                has.contains(construct),
                "README says `{file}` has `{construct}`, but it does not"
            );
        }
        rows.insert(construct.to_owned());
    }
    let unlisted: Vec<&String> = required.iter().filter(|c| !rows.contains(*c)).collect();
    assert!(unlisted.is_empty(), "README has no row for: {unlisted:#?}");
}

/// The construct labels found in each corpus file, by file name.
fn constructs_by_file() -> BTreeMap<&'static str, BTreeSet<String>> {
    corpus()
        .into_iter()
        .map(|(file, source, schema)| (file.name, constructs(&source, &schema)))
        .collect()
}
