//! Encode and decode 10,000 records of 10 mixed fields with the typed wire model, and the same
//! JSON with plain `#[derive(Serialize, Deserialize)]` structs written for exactly this shape.
//! Prints both times and the ratio (plain / ours: above 1.0 means ours is faster); for the
//! ratio the two sides run alternately, so that load from other processes hits both alike.
//!
//! Decoding is measured twice: into the dynamic `Record` model, and straight into a
//! `#[derive(CloudKitRecord)]` struct with `TypedRecordsResponse::from_json` (what the client's
//! lookups and queries use), the fair match for the plain structs.
//!
//! Both sides encode values built the same way: in code, record by record, as an application
//! (or `#[derive(CloudKitRecord)]`) builds them. Where values sit in memory matters as much as
//! the encoder: the ratio is also printed for values each side decoded from the JSON.
//!
//! Wall times on a shared machine are noisy; for a steady comparison count instructions of one
//! operation at a time, e.g.
//! `WIRE_BENCH_ONLY=decode/cloudkit_runtime valgrind --tool=callgrind --collect-atstart=no
//! --toggle-collect='*profile_only*' target/release/deps/wire-<hash>`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cloudkit_runtime::wire::{
    AsRecord, FieldValue, Fields, Record, RecordEntry, RecordStamp, RecordsResponse,
    TypedRecordsResponse, Value,
};
use cloudkit_runtime::{
    CloudKitRecord, Location, Reference, ReferenceAction, SystemFields, Timestamp, ZoneId,
};
use criterion::Criterion;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const RECORDS: usize = 10_000;

fn stamp(i: usize) -> RecordStamp {
    RecordStamp {
        timestamp: Timestamp::from_millis(1_700_000_000_000 + i as i64),
        user_record_name: Some("_5f1c3a9e0d".into()),
        device_id: Some("2".into()),
    }
}

fn record(i: usize) -> Record {
    let mut r = Record::named("Note", format!("note-{i}"));
    r.record_change_tag = Some(format!("k{i:x}"));
    r.created = Some(stamp(i));
    r.modified = Some(stamp(i + 1));
    r.fields = Fields::with_capacity(10);
    let f = &mut r.fields;
    let v = |value| FieldValue::new(value);
    f.push("title", v(Value::String(format!("Shopping list {i}"))));
    f.push(
        "body",
        v(Value::String(
            "Milk, eggs, bread and a few other things".into(),
        )),
    );
    f.push("count", v(Value::Int64(i as i64 * 7919)));
    f.push("score", v(Value::Double(i as f64 / 3.0)));
    f.push(
        "due",
        v(Value::Timestamp(Timestamp::from_millis(
            1_700_000_000_000 + i as i64,
        ))),
    );
    f.push(
        "tags",
        v(Value::StringList(vec!["home".into(), "errands".into()])),
    );
    f.push("data", v(Value::Bytes(vec![i as u8; 24])));
    let folder = Reference::new(format!("folder-{}", i % 10))
        .in_zone(ZoneId::new("Notes"))
        .with_action(ReferenceAction::DeleteSelf);
    f.push("folder", v(Value::Reference(Box::new(folder))));
    f.push(
        "loc",
        v(Value::Location(Box::new(Location::new(
            48.85 + i as f64 * 1e-6,
            2.35,
        )))),
    );
    f.push("flags", v(Value::Int64List(vec![1, 2, i as i64])));
    r
}

fn response() -> RecordsResponse {
    RecordsResponse {
        records: (0..RECORDS)
            .map(|i| Ok(RecordEntry::Record(record(i))))
            .collect(),
    }
}

/// The same records as a user's struct: `#[derive(CloudKitRecord)]` checks it against
/// `benches/notes.ckdb` and decodes `records` arrays straight into it.
#[derive(CloudKitRecord, Debug, Clone, PartialEq)]
#[cloudkit(schema = "benches/notes.ckdb", record_type = "Note")]
struct Note {
    #[cloudkit(system)]
    meta: SystemFields,
    title: String,
    body: String,
    count: i64,
    score: f64,
    due: Timestamp,
    tags: Vec<String>,
    data: Vec<u8>,
    folder: Reference,
    loc: Location,
    flags: Vec<i64>,
}

type NotesResponse = TypedRecordsResponse<Note>;

/// `{"records": [...]}` of either side's outgoing records.
#[derive(Serialize)]
struct Outgoing<R> {
    records: Vec<R>,
}

/// The baseline: what a careful hand-written serde model of exactly this JSON looks like.
mod plain {
    use super::*;

    #[derive(Serialize, Deserialize)]
    pub struct Response {
        pub records: Vec<Rec>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Rec {
        pub record_name: String,
        pub record_type: String,
        pub record_change_tag: String,
        pub fields: Fields,
        pub created: Stamp,
        pub modified: Stamp,
    }

    /// A record as a request carries it: what `to_record` writes.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct RecOut<'a> {
        pub record_name: &'a str,
        pub record_type: &'a str,
        pub record_change_tag: &'a str,
        pub fields: &'a Fields,
    }

    impl<'a> RecOut<'a> {
        pub fn of(rec: &'a Rec) -> Self {
            RecOut {
                record_name: &rec.record_name,
                record_type: &rec.record_type,
                record_change_tag: &rec.record_change_tag,
                fields: &rec.fields,
            }
        }
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Stamp {
        pub timestamp: i64,
        pub user_record_name: String,
        #[serde(rename = "deviceID")]
        pub device_id: String,
    }

    #[derive(Serialize, Deserialize)]
    pub enum Tag {
        #[serde(rename = "STRING")]
        String,
        #[serde(rename = "INT64")]
        Int64,
        #[serde(rename = "DOUBLE")]
        Double,
        #[serde(rename = "TIMESTAMP")]
        Timestamp,
        #[serde(rename = "STRING_LIST")]
        StringList,
        #[serde(rename = "BYTES")]
        Bytes,
        #[serde(rename = "REFERENCE")]
        Reference,
        #[serde(rename = "LOCATION")]
        Location,
        #[serde(rename = "INT64_LIST")]
        Int64List,
    }

    #[derive(Serialize, Deserialize)]
    pub struct F<T> {
        pub value: T,
        #[serde(rename = "type")]
        pub tag: Tag,
    }

    pub struct B64(pub Vec<u8>);

    impl Serialize for B64 {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&STANDARD.encode(&self.0))
        }
    }

    impl<'de> Deserialize<'de> for B64 {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let s = std::borrow::Cow::<str>::deserialize(d)?;
            STANDARD
                .decode(s.as_bytes())
                .map(B64)
                .map_err(serde::de::Error::custom)
        }
    }

    #[derive(Serialize, Deserialize)]
    pub struct ZoneId {
        #[serde(rename = "zoneName")]
        pub zone_name: String,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Ref {
        pub record_name: String,
        #[serde(rename = "zoneID")]
        pub zone_id: ZoneId,
        pub action: String,
    }

    #[derive(Serialize, Deserialize)]
    pub struct Loc {
        pub latitude: f64,
        pub longitude: f64,
    }

    #[derive(Serialize, Deserialize)]
    pub struct Fields {
        pub title: F<String>,
        pub body: F<String>,
        pub count: F<i64>,
        pub score: F<f64>,
        pub due: F<i64>,
        pub tags: F<Vec<String>>,
        pub data: F<B64>,
        pub folder: F<Ref>,
        pub loc: F<Loc>,
        pub flags: F<Vec<i64>>,
    }

    fn stamp(i: usize) -> Stamp {
        Stamp {
            timestamp: 1_700_000_000_000 + i as i64,
            user_record_name: "_5f1c3a9e0d".into(),
            device_id: "2".into(),
        }
    }

    /// The same record as [`super::record`], built the same way.
    pub fn record(i: usize) -> Rec {
        let f = |value, tag| F { value, tag };
        Rec {
            record_name: format!("note-{i}"),
            record_type: "Note".into(),
            record_change_tag: format!("k{i:x}"),
            fields: Fields {
                title: f(format!("Shopping list {i}"), Tag::String),
                body: f(
                    "Milk, eggs, bread and a few other things".into(),
                    Tag::String,
                ),
                count: F {
                    value: i as i64 * 7919,
                    tag: Tag::Int64,
                },
                score: F {
                    value: i as f64 / 3.0,
                    tag: Tag::Double,
                },
                due: F {
                    value: 1_700_000_000_000 + i as i64,
                    tag: Tag::Timestamp,
                },
                tags: F {
                    value: vec!["home".into(), "errands".into()],
                    tag: Tag::StringList,
                },
                data: F {
                    value: B64(vec![i as u8; 24]),
                    tag: Tag::Bytes,
                },
                folder: F {
                    value: Ref {
                        record_name: format!("folder-{}", i % 10),
                        zone_id: ZoneId {
                            zone_name: "Notes".into(),
                        },
                        action: "DELETE_SELF".into(),
                    },
                    tag: Tag::Reference,
                },
                loc: F {
                    value: Loc {
                        latitude: 48.85 + i as f64 * 1e-6,
                        longitude: 2.35,
                    },
                    tag: Tag::Location,
                },
                flags: F {
                    value: vec![1, 2, i as i64],
                    tag: Tag::Int64List,
                },
            },
            created: stamp(i),
            modified: stamp(i + 1),
        }
    }

    pub fn response() -> Response {
        Response {
            records: (0..RECORDS).map(record).collect(),
        }
    }
}

/// Median wall times of `runs` calls of `a` and of `b`, called alternately.
fn paired_medians(runs: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (Duration, Duration) {
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        start.elapsed()
    };
    let (mut ta, mut tb) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for _ in 0..runs {
        ta.push(time(&mut a));
        tb.push(time(&mut b));
    }
    ta.sort();
    tb.sort();
    (ta[runs / 2], tb[runs / 2])
}

/// `WIRE_BENCH_ONLY=encode/cloudkit_runtime` (or `encode/plain_serde`, `decode/...`) runs just
/// that operation a few times and exits: a short, quiet process to put under a profiler.
#[inline(never)]
fn profile_only(what: &str, ours: &RecordsResponse, baseline: &plain::Response, json: &str) {
    for _ in 0..3 {
        match what {
            "encode/cloudkit_runtime" => drop(black_box(serde_json::to_string(black_box(ours)))),
            "encode/plain_serde" => drop(black_box(serde_json::to_string(black_box(baseline)))),
            "decode/cloudkit_runtime" => drop(black_box(serde_json::from_str::<RecordsResponse>(
                black_box(json),
            ))),
            "decode/plain_serde" => drop(black_box(serde_json::from_str::<plain::Response>(
                black_box(json),
            ))),
            "decode/derive" => drop(black_box(NotesResponse::from_json(black_box(json)))),
            other => panic!("unknown WIRE_BENCH_ONLY={other}"),
        }
    }
}

fn main() {
    let ours = response();
    let baseline = plain::response();
    let json = serde_json::to_string(&ours).expect("encode");
    assert_eq!(
        serde_json::to_string(&baseline).expect("plain encode"),
        json,
        "both models must produce the same bytes"
    );
    let decoded: RecordsResponse = serde_json::from_str(&json).expect("decode");
    assert_eq!(decoded, ours);
    let baseline_decoded: plain::Response = serde_json::from_str(&json).expect("plain decode");
    let notes = NotesResponse::from_slice_exact(json.as_bytes()).expect("exact typed decode");
    let lenient: NotesResponse = serde_json::from_str(&json).expect("lenient typed decode");
    assert_eq!(notes, lenient, "the exact and the lenient reading agree");
    for (i, note) in notes.records.iter().enumerate() {
        let expected = Note::from_record(record(i)).expect("from_record");
        assert!(
            matches!(note, Ok(RecordEntry::Record(Ok(n))) if *n == expected),
            "record {i} decodes as from_record does"
        );
    }
    if let Ok(what) = std::env::var("WIRE_BENCH_ONLY") {
        profile_only(&what, &ours, &baseline, &json);
        return;
    }

    let mut c = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut group = c.benchmark_group("records_10k");
    group.bench_function("encode/cloudkit_runtime", |b| {
        b.iter(|| serde_json::to_string(black_box(&ours)))
    });
    group.bench_function("encode/plain_serde", |b| {
        b.iter(|| serde_json::to_string(black_box(&baseline)))
    });
    group.bench_function("decode/cloudkit_runtime", |b| {
        b.iter(|| serde_json::from_str::<RecordsResponse>(black_box(&json)))
    });
    group.bench_function("decode/plain_serde", |b| {
        b.iter(|| serde_json::from_str::<plain::Response>(black_box(&json)))
    });
    group.bench_function("decode/derive", |b| {
        b.iter(|| NotesResponse::from_json(black_box(&json)))
    });
    group.finish();
    c.final_summary();

    // Same operations again, timed side by side, to print the ratios in one place. The two
    // sides alternate run by run so that a change in machine load hits both alike.
    let runs = 21;
    let (enc_ours, enc_plain) = paired_medians(
        runs,
        || drop(black_box(serde_json::to_string(black_box(&ours)))),
        || drop(black_box(serde_json::to_string(black_box(&baseline)))),
    );
    let (enc_dec_ours, enc_dec_plain) = paired_medians(
        runs,
        || drop(black_box(serde_json::to_string(black_box(&decoded)))),
        || {
            drop(black_box(serde_json::to_string(black_box(
                &baseline_decoded,
            ))))
        },
    );
    // From the user's structs to JSON, as a request sends them: no server-set stamps.
    let structs: Vec<Note> = notes
        .records
        .iter()
        .filter_map(|r| match r {
            Ok(RecordEntry::Record(Ok(note))) => Some(note.clone()),
            _ => None,
        })
        .collect();
    let encode_structs = || {
        let records: Vec<AsRecord<'_, Note>> = structs.iter().map(AsRecord).collect();
        serde_json::to_string(&Outgoing { records })
    };
    let encode_plain_outgoing = || {
        let records: Vec<plain::RecOut<'_>> =
            baseline.records.iter().map(plain::RecOut::of).collect();
        serde_json::to_string(&Outgoing { records })
    };
    assert_eq!(
        encode_structs().expect("typed encode"),
        encode_plain_outgoing().expect("plain encode"),
        "both sides write the same request JSON"
    );
    let (enc_typed, enc_plain_outgoing) = paired_medians(
        runs,
        || drop(black_box(encode_structs())),
        || drop(black_box(encode_plain_outgoing())),
    );
    let encode_via_to_record = || {
        let response = RecordsResponse {
            records: structs
                .iter()
                .map(|note| Ok(RecordEntry::Record(note.to_record())))
                .collect(),
        };
        serde_json::to_string(&response)
    };
    let (enc_to_record, enc_plain_outgoing_again) = paired_medians(
        runs,
        || drop(black_box(encode_via_to_record())),
        || drop(black_box(encode_plain_outgoing())),
    );
    let (dec_ours, dec_plain) = paired_medians(
        runs,
        || {
            drop(black_box(serde_json::from_str::<RecordsResponse>(
                black_box(&json),
            )))
        },
        || {
            drop(black_box(serde_json::from_str::<plain::Response>(
                black_box(&json),
            )))
        },
    );
    let (dec_typed, dec_plain_again) = paired_medians(
        runs,
        || drop(black_box(NotesResponse::from_json(black_box(&json)))),
        || {
            drop(black_box(serde_json::from_str::<plain::Response>(
                black_box(&json),
            )))
        },
    );
    let decode_then_from_record = || {
        serde_json::from_str::<RecordsResponse>(&json).map(|response| {
            response
                .records
                .into_iter()
                .filter_map(|r| r.ok().and_then(RecordEntry::into_record))
                .map(Note::from_record)
                .collect::<Vec<_>>()
        })
    };
    let (dec_from_record, dec_plain_from_record) = paired_medians(
        runs,
        || drop(black_box(decode_then_from_record())),
        || {
            drop(black_box(serde_json::from_str::<plain::Response>(
                black_box(&json),
            )))
        },
    );
    println!(
        "\n{RECORDS} records x 10 fields, {} bytes of JSON (median of {runs})",
        json.len()
    );
    for (what, ours, plain) in [
        ("encode", enc_ours, enc_plain),
        ("decode", dec_ours, dec_plain),
        (
            "decode into #[derive(CloudKitRecord)]",
            dec_typed,
            dec_plain_again,
        ),
        (
            "  the same through Record + from_record",
            dec_from_record,
            dec_plain_from_record,
        ),
        (
            "encode (values decoded from the JSON)",
            enc_dec_ours,
            enc_dec_plain,
        ),
        (
            "encode from #[derive(CloudKitRecord)]",
            enc_typed,
            enc_plain_outgoing,
        ),
        (
            "  the same through to_record",
            enc_to_record,
            enc_plain_outgoing_again,
        ),
    ] {
        println!(
            "{what:<40} cloudkit-runtime {:>8.2} ms | plain serde {:>8.2} ms | ratio plain/ours {:.2}x",
            ours.as_secs_f64() * 1e3,
            plain.as_secs_f64() * 1e3,
            plain.as_secs_f64() / ours.as_secs_f64()
        );
    }
}
