//! Parse + check throughput on a generated ~5 MB schema, against a baseline in the same run:
//! `str::split_whitespace`, the cheapest tokenizer std offers, over the same text.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};

/// A schema in export style with thousands of record types, some comments and quoted names.
fn big_schema(target_bytes: usize) -> String {
    let mut out = String::with_capacity(target_bytes + 4096);
    out.push_str("-- generated for the benchmark\nDEFINE SCHEMA\n\n    CREATE ROLE Editor;\n");
    let mut n = 0usize;
    while out.len() < target_bytes {
        out.push_str(&format!(
            "\n    RECORD TYPE Type{n:05} ( /* type {n} */\n\
             \x20       \"___createTime\" TIMESTAMP QUERYABLE SORTABLE,\n\
             \x20       \"___createdBy\"  REFERENCE,\n\
             \x20       \"___etag\"       STRING,\n\
             \x20       \"___modTime\"    TIMESTAMP SORTABLE,\n\
             \x20       \"___modifiedBy\" REFERENCE,\n\
             \x20       \"___recordID\"   REFERENCE QUERYABLE,\n\
             \x20       body            STRING SEARCHABLE,\n\
             \x20       count           INT64 QUERYABLE SORTABLE,\n\
             \x20       createdAt       TIMESTAMP QUERYABLE SORTABLE,\n\
             \x20       \"display name\"  STRING QUERYABLE SEARCHABLE SORTABLE,\n\
             \x20       owner           REFERENCE QUERYABLE,\n\
             \x20       photo           ASSET,\n\
             \x20       place           LOCATION QUERYABLE,\n\
             \x20       ratio           DOUBLE SORTABLE,\n\
             \x20       secret          ENCRYPTED STRING, -- never indexed\n\
             \x20       tags            LIST<STRING> QUERYABLE SEARCHABLE,\n\
             \x20       title           STRING QUERYABLE SEARCHABLE SORTABLE,\n\
             \x20       GRANT WRITE TO \"_creator\",\n\
             \x20       GRANT CREATE TO \"_icloud\",\n\
             \x20       GRANT READ, CREATE, WRITE TO Editor\n\
             \x20   );\n"
        ));
        n += 1;
    }
    out
}

fn parse_and_check(source: &str) -> usize {
    match cloudkit_schema::parse(source) {
        Ok(schema) => cloudkit_schema::check(&schema).len() + schema.record_types.len(),
        Err(_) => 0,
    }
}

fn baseline(source: &str) -> usize {
    source.split_whitespace().count()
}

/// Best of `runs` timings, in MB/s (10^6 bytes per second).
fn megabytes_per_second(source: &str, runs: usize, f: fn(&str) -> usize) -> f64 {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        black_box(f(black_box(source)));
        best = best.min(start.elapsed());
    }
    source.len() as f64 / best.as_secs_f64() / 1e6
}

fn main() {
    let source = big_schema(5 * 1024 * 1024);
    let types = cloudkit_schema::parse(&source)
        .map(|s| s.record_types.len())
        .unwrap_or(0);
    assert!(types > 0, "the generated schema must parse");

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("schema_5mb");
    group.throughput(Throughput::Bytes(source.len() as u64));
    group.sample_size(10);
    group.bench_function("parse_and_check", |b| {
        b.iter(|| parse_and_check(black_box(&source)))
    });
    group.bench_function("baseline_split_whitespace", |b| {
        b.iter(|| baseline(black_box(&source)))
    });
    group.finish();
    criterion.final_summary();

    let ours = megabytes_per_second(&source, 10, parse_and_check);
    let base = megabytes_per_second(&source, 10, baseline);
    println!(
        "\n{} bytes, {types} record types\nparse+check: {ours:.0} MB/s\nbaseline (split_whitespace): {base:.0} MB/s\nratio parse+check / baseline: {:.2}",
        source.len(),
        ours / base
    );
}
