use super::*;
use crate::{Asset, Timestamp};

fn decode(json: &str) -> FieldValue {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn encode(v: &FieldValue) -> String {
    serde_json::to_string(v).unwrap()
}

#[test]
fn scalar_values_round_trip_with_value_then_type() {
    for json in [
        r#"{"value":"Shopping","type":"STRING"}"#,
        r#"{"value":-42,"type":"INT64"}"#,
        r#"{"value":2.0,"type":"DOUBLE"}"#,
        r#"{"value":1700000000000,"type":"TIMESTAMP"}"#,
        r#"{"value":"aGVsbG8=","type":"BYTES"}"#,
        r#"{"value":true,"type":"BOOLEAN"}"#,
        r#"{"value":{"recordName":"folder-7","zoneID":{"zoneName":"Notes"},"action":"DELETE_SELF"},"type":"REFERENCE"}"#,
        r#"{"value":{"fileChecksum":"abc","size":48213,"downloadURL":"https://x/${f}"},"type":"ASSETID"}"#,
        r#"{"value":{"fileChecksum":"abc","size":1},"type":"ASSET"}"#,
        r#"{"value":{"latitude":1.5,"longitude":2.5,"timestamp":1700000000000},"type":"LOCATION"}"#,
        r#"{"value":"AAEC","type":"ENCRYPTED_BYTES","isEncrypted":true}"#,
        r#"{"value":["home","errands"],"type":"STRING_LIST"}"#,
        r#"{"value":[10,30],"type":"INT64_LIST"}"#,
        r#"{"value":[1.5,2.0],"type":"DOUBLE_LIST"}"#,
        r#"{"value":[0,-1],"type":"TIMESTAMP_LIST"}"#,
        r#"{"value":["AA==","AAE="],"type":"BYTES_LIST"}"#,
        r#"{"value":[{"recordName":"a","action":"NONE"}],"type":"REFERENCE_LIST"}"#,
        r#"{"value":[{"size":3}],"type":"ASSETID_LIST"}"#,
        r#"{"value":[{"latitude":0.0,"longitude":0.0}],"type":"LOCATION_LIST"}"#,
        r#"{"value":[true,false],"type":"BOOLEAN_LIST"}"#,
        r#"{"value":[1,"x",{"a":[]}],"type":"UNKNOWN_LIST"}"#,
        r#"{"value":[],"type":"STRING_LIST"}"#,
        r#"{"value":null,"type":"STRING"}"#,
        r#"{"value":{"any":[1,2]},"type":"FUTURE_TYPE"}"#,
        r#"{"value":"Hello"}"#,
        r#"{"value":"Hello","type":"STRING","isEncrypted":true}"#,
    ] {
        assert_eq!(encode(&decode(json)), json, "round trip of {json}");
    }
}

#[test]
fn decodes_type_before_value() {
    let v = decode(r#"{"type":"INT64","value":"9007199254740993"}"#);
    assert_eq!(v.value, Value::Int64(9_007_199_254_740_993));
    let v = decode(r#"{"type":"DOUBLE","value":2}"#);
    assert_eq!(v.value, Value::Double(2.0));
}

#[test]
fn int64_accepts_numeric_strings_and_keeps_precision() {
    let v = decode(r#"{"value":"-9223372036854775808","type":"INT64"}"#);
    assert_eq!(v.value, Value::Int64(i64::MIN));
    let v = decode(r#"{"value":9223372036854775807,"type":"INT64"}"#);
    assert_eq!(v.value, Value::Int64(i64::MAX));
    let v = decode(r#"{"value":["1",2],"type":"INT64_LIST"}"#);
    assert_eq!(v.value, Value::Int64List(vec![1, 2]));
    assert!(
        serde_json::from_str::<FieldValue>(r#"{"value":9223372036854775808,"type":"INT64"}"#)
            .is_err()
    );
    assert!(serde_json::from_str::<FieldValue>(r#"{"value":1.5,"type":"INT64"}"#).is_err());
}

#[test]
fn timestamp_accepts_iso_strings() {
    let v = decode(r#"{"value":"2023-11-14T22:13:20.000Z","type":"TIMESTAMP"}"#);
    assert_eq!(
        v.value,
        Value::Timestamp(Timestamp::from_millis(1_700_000_000_000))
    );
    assert_eq!(encode(&v), r#"{"value":1700000000000,"type":"TIMESTAMP"}"#);
    assert!(serde_json::from_str::<FieldValue>(r#"{"value":1.5,"type":"TIMESTAMP"}"#).is_err());
}

#[test]
fn untyped_values_stay_untyped() {
    for (json, raw) in [
        (r#"{"value":"Hello"}"#, r#""Hello""#),
        (r#"{"value":["a","b"]}"#, r#"["a","b"]"#),
        (r#"{"value":1}"#, "1"),
        (
            r#"{"value":{"latitude":1.5,"longitude":2.5}}"#,
            r#"{"latitude":1.5,"longitude":2.5}"#,
        ),
    ] {
        match decode(json).value {
            Value::Untyped(r) => assert_eq!(r.get(), raw),
            other => panic!("{json}: {other:?}"),
        }
    }
    assert_eq!(decode(r#"{"value":null}"#).value, Value::Null(None));
    assert_eq!(decode(r#"{}"#).value, Value::Null(None));
    assert_eq!(
        decode(r#"{"type":"DOUBLE"}"#).value,
        Value::Null(Some(WireType::Double))
    );
}

#[test]
fn unknown_tags_and_keys_are_kept_or_ignored() {
    let v = decode(r#"{"value":{"k":1},"type":"NEW_THING","extra":[1,{"a":2}]}"#);
    assert_eq!(
        v.value,
        Value::Other {
            type_tag: "NEW_THING".into(),
            value: RawJson::from_json(r#"{"k":1}"#).unwrap()
        }
    );
    let v = decode(r#"{"type":"NEW_THING"}"#);
    assert!(matches!(v.value, Value::Other { ref value, .. } if value.is_null()));
}

#[test]
fn bad_values_are_errors_not_panics() {
    for json in [
        r#"{"value":"!!!","type":"BYTES"}"#,
        r#"{"value":1,"type":"STRING"}"#,
        r#"{"value":{"latitude":"x"},"type":"LOCATION"}"#,
        r#"{"value":[1],"type":"STRING_LIST"}"#,
        r#"{"value":1,"value":2,"type":"INT64"}"#,
        r#"[]"#,
        r#"{"value":"AQ==","type":"BYTES","isEncrypted":"yes"}"#,
    ] {
        assert!(serde_json::from_str::<FieldValue>(json).is_err(), "{json}");
    }
}

#[test]
fn bytes_accept_missing_padding_and_url_safe_alphabet() {
    assert_eq!(
        decode(r#"{"value":"AAE","type":"BYTES"}"#).value,
        Value::Bytes(vec![0, 1])
    );
    assert_eq!(
        decode(r#"{"value":"-_8=","type":"BYTES"}"#).value,
        Value::Bytes(vec![0xfb, 0xff])
    );
}

#[test]
fn wire_type_lists() {
    for t in WireType::ALL {
        if let Some(list) = t.list_type() {
            assert!(list.is_list());
            if *t != WireType::Asset {
                assert_eq!(list.element_type(), Some(*t));
            }
        }
    }
}

mod round_trip {
    use super::*;
    use crate::{Location, Reference, ReferenceAction, ZoneId};
    use proptest::prelude::*;

    fn finite() -> impl Strategy<Value = f64> {
        prop::num::f64::NORMAL | prop::num::f64::ZERO | prop::num::f64::SUBNORMAL
    }

    fn timestamp() -> impl Strategy<Value = Timestamp> {
        any::<i64>().prop_map(Timestamp::from_millis)
    }

    fn reference() -> impl Strategy<Value = Reference> {
        (
            ".{0,12}",
            prop::option::of("[A-Za-z_]{1,8}"),
            prop::option::of(prop::sample::select(ReferenceAction::ALL)),
        )
            .prop_map(|(name, zone, action)| {
                let mut r = Reference::without_action(name);
                r.zone_id = zone.map(ZoneId::new);
                r.action = action;
                r
            })
    }

    fn asset() -> impl Strategy<Value = Asset> {
        (
            prop::option::of("[a-z0-9]{0,8}"),
            prop::option::of(any::<u64>()),
            prop::option::of(".{0,8}"),
        )
            .prop_map(|(file_checksum, size, download_url)| Asset {
                file_checksum,
                size,
                download_url,
                ..Asset::default()
            })
    }

    fn location() -> impl Strategy<Value = Location> {
        (
            finite(),
            finite(),
            prop::option::of(finite()),
            prop::option::of(timestamp()),
        )
            .prop_map(|(la, lo, alt, ts)| {
                let mut l = Location::new(la, lo);
                l.altitude = alt;
                l.timestamp = ts;
                l
            })
    }

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            ".*".prop_map(Value::String),
            any::<i64>().prop_map(Value::Int64),
            finite().prop_map(Value::Double),
            timestamp().prop_map(Value::Timestamp),
            prop::collection::vec(any::<u8>(), 0..16).prop_map(Value::Bytes),
            any::<bool>().prop_map(Value::Boolean),
            reference().prop_map(|r| Value::Reference(Box::new(r))),
            asset().prop_map(|a| Value::AssetId(Box::new(a))),
            asset().prop_map(|a| Value::Asset(Box::new(a))),
            location().prop_map(|l| Value::Location(Box::new(l))),
            prop::collection::vec(any::<u8>(), 0..16).prop_map(Value::EncryptedBytes),
            prop::collection::vec(".*", 0..4).prop_map(Value::StringList),
            prop::collection::vec(any::<i64>(), 0..4).prop_map(Value::Int64List),
            prop::collection::vec(finite(), 0..4).prop_map(Value::DoubleList),
            prop::collection::vec(timestamp(), 0..4).prop_map(Value::TimestampList),
            prop::collection::vec(prop::collection::vec(any::<u8>(), 0..8), 0..4)
                .prop_map(Value::BytesList),
            prop::collection::vec(reference(), 0..3).prop_map(Value::ReferenceList),
            prop::collection::vec(asset(), 0..3).prop_map(Value::AssetIdList),
            prop::collection::vec(location(), 0..3).prop_map(Value::LocationList),
            prop::collection::vec(any::<bool>(), 0..4).prop_map(Value::BooleanList),
            prop::collection::vec(any::<i32>(), 0..4).prop_map(|v| Value::UnknownList(
                RawJson::from_json(serde_json::to_string(&v).unwrap()).unwrap()
            )),
            prop::option::of(prop::sample::select(WireType::ALL)).prop_map(Value::Null),
            any::<i32>().prop_map(|i| Value::Untyped(RawJson::from_json(i.to_string()).unwrap())),
            ("[A-Z]{1,3}_X", any::<i32>()).prop_map(|(type_tag, i)| Value::Other {
                type_tag,
                value: RawJson::from_json(format!("[{i}]")).unwrap()
            }),
        ]
    }

    proptest! {
        #[test]
        fn every_value_round_trips(value in value(), is_encrypted in any::<bool>()) {
            let field = FieldValue { value, is_encrypted };
            let json = serde_json::to_string(&field).unwrap();
            let back: FieldValue = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, field);
        }

        #[test]
        fn arbitrary_json_never_panics(json in ".{0,64}") {
            let _ = serde_json::from_str::<FieldValue>(&json);
        }
    }
}

#[test]
fn values_stay_small() {
    // Decoding moves values several times; dictionary payloads are boxed to keep this small.
    assert!(std::mem::size_of::<Value>() <= 40);
    assert!(std::mem::size_of::<FieldValue>() <= 48);
}

#[test]
fn conversions_pick_the_wire_type() {
    use crate::Reference;
    assert_eq!(Value::from("x").wire_type(), Some(WireType::String));
    assert_eq!(Value::from(1i64).wire_type(), Some(WireType::Int64));
    assert_eq!(Value::from(1.0).wire_type(), Some(WireType::Double));
    assert_eq!(
        Value::from(Asset::default()).wire_type(),
        Some(WireType::AssetId)
    );
    assert_eq!(
        Value::from(Reference::<()>::new("r")).wire_type(),
        Some(WireType::Reference)
    );
    assert_eq!(
        Value::from(vec![1i64]).wire_type(),
        Some(WireType::Int64List)
    );
    let json = serde_json::to_string(&FieldValue::from(Value::from("x"))).unwrap();
    assert_eq!(json, r#"{"value":"x","type":"STRING"}"#);
}

#[test]
fn pending_values_decode_from_any_deserializer() {
    // Value before type, with escaped (owned) strings and nested containers, read from a
    // borrowed string, from a reader (nothing can be borrowed) and from a `serde_json::Value`.
    let json = r#"{"value":{"recordName":"a\"b","zoneID":{"zoneName":"Z\u00e9"},"action":"NONE"},"type":"REFERENCE"}"#;
    let from_str: FieldValue = serde_json::from_str(json).unwrap();
    let from_reader: FieldValue = serde_json::from_reader(json.as_bytes()).unwrap();
    let tree: serde_json::Value = serde_json::from_str(json).unwrap();
    let from_value: FieldValue = serde_json::from_value(tree).unwrap();
    assert_eq!(from_str, from_reader);
    assert_eq!(from_str, from_value);
    match &from_str.value {
        Value::Reference(r) => {
            assert_eq!(r.record_name, "a\"b");
            assert_eq!(r.zone_id.as_ref().map(|z| z.zone_name.as_str()), Some("Zé"));
        }
        other => panic!("{other:?}"),
    }
    let lists = r#"{"value":[["x\n",[]],{"k":{"l":[1,-2,3.5,null,true]}}],"type":"NEW_THING"}"#;
    let v: FieldValue = serde_json::from_reader(lists.as_bytes()).unwrap();
    assert_eq!(encode(&v), lists);
}

#[test]
fn pending_values_with_the_wrong_shape_are_errors() {
    for json in [
        r#"{"value":[1,2],"type":"REFERENCE"}"#,
        r#"{"value":{"recordName":1},"type":"REFERENCE"}"#,
        r#"{"value":[[1]],"type":"INT64_LIST"}"#,
        r#"{"value":{"a":1},"type":"STRING_LIST"}"#,
    ] {
        assert!(serde_json::from_str::<FieldValue>(json).is_err(), "{json}");
    }
}
