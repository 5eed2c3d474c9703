//! `records` arrays decoded straight into `#[derive(CloudKitRecord)]` structs give exactly
//! what the dynamic path (`RecordsResponse`, then `from_record`) gives, whether the exact
//! reading succeeds or the response has to be read again leniently; and written straight from
//! their fields (`AsRecord`), they give the bytes `to_record` gives.

use cloudkit_runtime::wire::{
    AsRecord, RecordEntry, RecordsResponse, TypedRecordResult, TypedRecordsResponse,
};
use cloudkit_runtime::{
    CloudKitRecord, DecodeErrorKind, Location, Reference, ReferenceAction, SystemFields, Timestamp,
    ZoneId,
};
use proptest::prelude::*;

#[derive(CloudKitRecord, Debug, Clone, PartialEq)]
#[cloudkit(schema = "tests/schema/typed_records.ckdb", record_type = "Item")]
struct Item {
    #[cloudkit(system)]
    meta: SystemFields,
    title: String,
    count: i64,
    small: Option<i8>,
    score: Option<f64>,
    due: Option<Timestamp>,
    data: Option<Vec<u8>>,
    tags: Vec<String>,
    flags: Vec<i64>,
    folder: Option<Reference>,
    loc: Option<Location>,
    note: Option<String>,
    secret: Option<Vec<u8>>,
    moments: Vec<Timestamp>,
    places: Vec<Location>,
    links: Vec<Reference<Item>>,
    blobs: Option<Vec<Vec<u8>>>,
}

/// The dynamic path: every element as a `Record`, then `from_record`.
fn via_record(json: &str) -> Vec<TypedRecordResult<Item>> {
    let response: RecordsResponse = serde_json::from_str(json).expect("dynamic decode");
    response
        .records
        .into_iter()
        .map(|element| {
            element.map(|entry| match entry {
                RecordEntry::Record(record) => RecordEntry::Record(Item::from_record(record)),
                RecordEntry::Tombstone(t) => RecordEntry::Tombstone(t),
            })
        })
        .collect()
}

fn typed(json: &str) -> Vec<TypedRecordResult<Item>> {
    TypedRecordsResponse::<Item>::from_json(json)
        .expect("typed decode")
        .records
}

fn exact_reading_succeeds(json: &str) -> bool {
    TypedRecordsResponse::<Item>::from_slice_exact(json.as_bytes()).is_ok()
}

fn element(fields: &str) -> String {
    format!(
        r#"{{"recordName":"i1","recordType":"Item","recordChangeTag":"t1","fields":{{{fields}}},
            "created":{{"timestamp":1700000000000,"userRecordName":"_u","deviceID":"2"}}}}"#
    )
}

fn response(elements: &[String]) -> String {
    format!(r#"{{"records":[{}]}}"#, elements.join(","))
}

const FULL: &str = r#""title":{"value":"Milk","type":"STRING"},
    "count":{"value":7,"type":"INT64"},
    "small":{"value":-3,"type":"INT64"},
    "score":{"value":2.5,"type":"DOUBLE"},
    "due":{"value":1700000000123,"type":"TIMESTAMP"},
    "data":{"value":"AQID","type":"BYTES"},
    "tags":{"value":["home","errands"],"type":"STRING_LIST"},
    "flags":{"value":[1,2,3],"type":"INT64_LIST"},
    "folder":{"value":{"recordName":"f1","zoneID":{"zoneName":"Notes"},"action":"DELETE_SELF"},"type":"REFERENCE"},
    "loc":{"value":{"latitude":48.85,"longitude":2.35},"type":"LOCATION"},
    "unknownField":{"value":{"x":[1,{"y":null}]},"type":"SOMETHING_NEW"}"#;

#[test]
fn a_full_record_decodes_exactly_and_as_from_record_does() {
    let json = response(&[element(FULL)]);
    assert!(exact_reading_succeeds(&json));
    let records = typed(&json);
    assert_eq!(records, via_record(&json));
    let Some(Ok(RecordEntry::Record(Ok(item)))) = records.first() else {
        panic!("{records:?}");
    };
    assert_eq!(item.title, "Milk");
    assert_eq!(item.small, Some(-3));
    assert_eq!(item.data.as_deref(), Some(&[1u8, 2, 3][..]));
    assert_eq!(item.flags, [1, 2, 3]);
    assert_eq!(
        item.folder.as_ref().map(|f| f.record_name.as_str()),
        Some("f1")
    );
    assert_eq!(item.meta.change_tag(), Some("t1"));
    assert_eq!(item.meta.created_by(), Some("_u"));
}

#[test]
fn errors_tombstones_and_records_of_another_type_keep_their_place() {
    let json = response(&[
        element(FULL),
        r#"{"recordName":"gone","deleted":true,"zoneID":{"zoneName":"Notes"}}"#.into(),
        r#"{"recordName":"busy","serverErrorCode":"CONFLICT","reason":"stale tag"}"#.into(),
        element(FULL).replace(r#""recordType":"Item""#, r#""recordType":"Folder""#),
        element(r#""count":{"value":1,"type":"INT64"}"#),
    ]);
    assert!(exact_reading_succeeds(&json));
    let records = typed(&json);
    assert_eq!(records, via_record(&json));
    assert_eq!(records.len(), 5);
    assert!(matches!(&records[1], Ok(RecordEntry::Tombstone(t)) if t.record_name == "gone"));
    assert!(matches!(&records[2], Err(e) if e.record_name.as_deref() == Some("busy")));
    let Ok(RecordEntry::Record(Err(wrong_type))) = &records[3] else {
        panic!("{:?}", records[3]);
    };
    assert!(matches!(
        wrong_type.kind(),
        DecodeErrorKind::WrongRecordType { .. }
    ));
    let Ok(RecordEntry::Record(Err(missing))) = &records[4] else {
        panic!("{:?}", records[4]);
    };
    assert_eq!(missing.field(), Some("title"));
    assert_eq!(missing.record_name(), Some("i1"));
    assert_eq!(missing.kind(), &DecodeErrorKind::Missing);
}

#[test]
fn values_that_do_not_fit_fail_their_record_only() {
    let json = response(&[
        element(&FULL.replace(r#""value":-3"#, r#""value":300"#)),
        element(&FULL.replace(
            r#""count":{"value":7,"type":"INT64"}"#,
            r#""count":{"value":"seven","type":"STRING"}"#,
        )),
        element(FULL),
    ]);
    let records = typed(&json);
    assert_eq!(records, via_record(&json));
    let Ok(RecordEntry::Record(Err(out_of_range))) = &records[0] else {
        panic!("{:?}", records[0]);
    };
    assert_eq!(out_of_range.field(), Some("small"));
    let Ok(RecordEntry::Record(Err(wrong))) = &records[1] else {
        panic!("{:?}", records[1]);
    };
    assert_eq!(wrong.field(), Some("count"));
    assert!(matches!(&records[2], Ok(RecordEntry::Record(Ok(_)))));
}

/// Inputs whose `type` is not the schema's: the exact reading refuses them, and the lenient
/// one gives what `from_record` gives.
#[test]
fn responses_the_exact_reading_refuses_are_read_again_leniently() {
    let cases = [
        // An integral DOUBLE stored as INT64 (written without a type by another client).
        (
            r#""score":{"value":2.5,"type":"DOUBLE"}"#,
            r#""score":{"value":3,"type":"INT64"}"#,
        ),
        // No type at all.
        (
            r#""title":{"value":"Milk","type":"STRING"}"#,
            r#""title":{"value":"Milk"}"#,
        ),
        // Encrypted bytes in a BYTES field.
        (
            r#""data":{"value":"AQID","type":"BYTES"}"#,
            r#""data":{"value":"AQID","type":"ENCRYPTED_BYTES"}"#,
        ),
    ];
    for (from, to) in cases {
        let json = response(&[element(&replaced(from, to)), element(FULL)]);
        assert!(!exact_reading_succeeds(&json), "exact reading refuses {to}");
        assert_all_decode_as_from_record(&json, to);
    }
}

/// Values written in another form than ours but with the schema's `type`: both readings
/// accept them.
#[test]
fn other_forms_of_a_value_with_the_right_type_are_read_exactly() {
    let cases = [
        // numbersAsStrings.
        (
            r#""count":{"value":7,"type":"INT64"}"#,
            r#""count":{"value":"7","type":"INT64"}"#,
        ),
        // A timestamp as RFC 3339 text.
        (
            r#""due":{"value":1700000000123,"type":"TIMESTAMP"}"#,
            r#""due":{"value":"2023-11-14T22:13:20.123Z","type":"TIMESTAMP"}"#,
        ),
        // `type` before `value`.
        (
            r#""title":{"value":"Milk","type":"STRING"}"#,
            r#""title":{"type":"STRING","value":"Milk"}"#,
        ),
    ];
    for (from, to) in cases {
        let json = response(&[element(&replaced(from, to)), element(FULL)]);
        assert!(exact_reading_succeeds(&json), "exact reading accepts {to}");
        assert_all_decode_as_from_record(&json, to);
    }
}

fn replaced(from: &str, to: &str) -> String {
    let fields = FULL.replace(from, to);
    assert_ne!(fields, FULL, "case {to} applies");
    fields
}

fn assert_all_decode_as_from_record(json: &str, case: &str) {
    let records = typed(json);
    assert_eq!(records, via_record(json), "{case}");
    assert!(
        records
            .iter()
            .all(|r| matches!(r, Ok(RecordEntry::Record(Ok(_))))),
        "{case}: {records:?}"
    );
}

#[test]
fn nulls_and_absent_fields_read_alike() {
    let json = response(&[
        element(&FULL.replace(r#""note":"#, r#""x":"#)),
        element(&format!(
            r#"{},"note":{{"value":null,"type":"STRING"}}"#,
            FULL.replace(r#"["home","errands"]"#, "null")
        )),
        r#"{"recordName":"bare","recordType":"Item","fields":null}"#.into(),
    ]);
    assert!(exact_reading_succeeds(&json));
    assert_eq!(typed(&json), via_record(&json));
}

fn field_value() -> impl Strategy<Value = (&'static str, String)> {
    prop_oneof![
        any::<i64>().prop_map(|v| ("count", format!(r#"{{"value":{v},"type":"INT64"}}"#))),
        any::<i64>().prop_map(|v| ("small", format!(r#"{{"value":{v},"type":"INT64"}}"#))),
        any::<i64>().prop_map(|v| ("count", format!(r#"{{"type":"INT64","value":"{v}"}}"#))),
        any::<f64>()
            .prop_filter("finite", |v| v.is_finite())
            .prop_map(|v| ("score", format!(r#"{{"value":{v:?},"type":"DOUBLE"}}"#))),
        any::<i32>().prop_map(|v| ("score", format!(r#"{{"value":{v},"type":"INT64"}}"#))),
        any::<i64>().prop_map(|v| ("due", format!(r#"{{"value":{v},"type":"TIMESTAMP"}}"#))),
        "[a-z]{0,8}".prop_map(|v| ("title", format!(r#"{{"value":"{v}","type":"STRING"}}"#))),
        "[a-z]{0,8}".prop_map(|v| ("title", format!(r#"{{"type":"STRING","value":"{v}"}}"#))),
        "[A-Za-z0-9+/]{0,8}".prop_map(|v| ("data", format!(r#"{{"value":"{v}","type":"BYTES"}}"#))),
        prop::collection::vec(any::<i64>(), 0..4)
            .prop_map(|v| ("flags", format!(r#"{{"value":{v:?},"type":"INT64_LIST"}}"#))),
        prop::collection::vec("[a-z]{0,4}", 0..4)
            .prop_map(|v| ("tags", format!(r#"{{"value":{v:?},"type":"STRING_LIST"}}"#))),
        "[a-z]{1,6}".prop_map(|v| (
            "folder",
            format!(r#"{{"value":{{"recordName":"{v}"}},"type":"REFERENCE"}}"#)
        )),
        "[a-z]{0,8}".prop_map(|v| ("count", format!(r#"{{"value":"{v}","type":"STRING"}}"#))),
        Just(("note", r#"{"value":null}"#.to_owned())),
    ]
}

proptest! {
    /// Any mix of field values, right or wrong for the schema, decodes as `from_record` does.
    #[test]
    fn any_field_values_decode_as_from_record_does(
        values in prop::collection::vec(field_value(), 0..8),
    ) {
        // One value per name: which of two duplicates counts is left to each reader.
        let unique: std::collections::BTreeMap<_, _> = values.into_iter().collect();
        let fields: Vec<String> = unique
            .iter()
            .map(|(name, value)| format!(r#""{name}":{value}"#))
            .collect();
        let json = response(&[element(&fields.join(","))]);
        // JSON that is not a valid response (say, bytes that are not base64) fails both.
        let typed = TypedRecordsResponse::<Item>::from_json(&json).map(|r| r.records);
        let dynamic = serde_json::from_str::<RecordsResponse>(&json).map(|_| via_record(&json));
        match (typed, dynamic) {
            (Ok(typed), Ok(dynamic)) => prop_assert_eq!(typed, dynamic),
            (typed, dynamic) => prop_assert_eq!(typed.is_err(), dynamic.is_err()),
        }
    }
}

fn item() -> impl Strategy<Value = Item> {
    let text = "[a-zA-Z0-9 \\\"é]{0,6}";
    let reference =
        ("[a-z]{1,6}", any::<bool>(), any::<bool>()).prop_map(|(name, zoned, action)| {
            let mut r = Reference::new(name);
            if zoned {
                r = r.in_zone(ZoneId::new("Notes"));
            }
            if action {
                r = r.with_action(ReferenceAction::DeleteSelf);
            }
            r
        });
    let location =
        (-90.0..90.0f64, -180.0..180.0f64).prop_map(|(lat, lon)| Location::new(lat, lon));
    let system = (
        prop::option::of("[a-z]{1,6}"),
        prop::option::of("[a-z0-9]{1,4}"),
        any::<bool>(),
    )
        .prop_map(|(name, tag, zoned)| SystemFields {
            record_name: name,
            change_tag: tag,
            zone_id: zoned.then(|| ZoneId::new("Notes")),
            ..SystemFields::default()
        });
    (
        (
            system,
            text,
            any::<i64>(),
            any::<Option<i8>>(),
            prop::option::of(any::<f64>()),
        ),
        (
            prop::option::of(any::<i64>().prop_map(Timestamp::from_millis)),
            prop::option::of(prop::collection::vec(any::<u8>(), 0..8)),
            prop::collection::vec(text, 0..3),
            prop::collection::vec(any::<i64>(), 0..3),
            prop::option::of(reference.clone()),
            prop::option::of(location.clone()),
            prop::option::of(text),
        ),
        (
            prop::option::of(prop::collection::vec(any::<u8>(), 0..8)),
            prop::collection::vec(any::<i64>().prop_map(Timestamp::from_millis), 0..3),
            prop::collection::vec(location, 0..2),
            prop::collection::vec(reference.prop_map(Reference::cast), 0..2),
            prop::option::of(prop::collection::vec(
                prop::collection::vec(any::<u8>(), 0..4),
                0..3,
            )),
        ),
    )
        .prop_map(
            |(
                (meta, title, count, small, score),
                (due, data, tags, flags, folder, loc, note),
                (secret, moments, places, links, blobs),
            )| Item {
                meta,
                title,
                count,
                small,
                score,
                due,
                data,
                tags,
                flags,
                folder,
                loc,
                note,
                secret,
                moments,
                places,
                links,
                blobs,
            },
        )
}

proptest! {
    /// Writing a derived struct straight from its fields gives the bytes `to_record` gives.
    #[test]
    fn as_record_writes_what_to_record_writes(item in item()) {
        let direct = serde_json::to_string(&AsRecord(&item)).expect("direct");
        let via_record = serde_json::to_string(&item.to_record()).expect("via record");
        prop_assert_eq!(direct, via_record);
    }
}

#[test]
fn an_encrypted_field_is_written_with_its_flag() {
    let item = Item {
        meta: SystemFields::new("i1"),
        title: String::new(),
        count: 0,
        small: None,
        score: None,
        due: None,
        data: None,
        tags: Vec::new(),
        flags: Vec::new(),
        folder: None,
        loc: None,
        note: None,
        secret: Some(vec![1, 2]),
        moments: Vec::new(),
        places: Vec::new(),
        links: Vec::new(),
        blobs: None,
    };
    let direct = serde_json::to_string(&AsRecord(&item)).expect("direct");
    assert_eq!(
        direct,
        serde_json::to_string(&item.to_record()).expect("via record")
    );
    assert!(
        direct.contains(r#""secret":{"value":"AQI=","type":"BYTES","isEncrypted":true}"#),
        "{direct}"
    );
}
