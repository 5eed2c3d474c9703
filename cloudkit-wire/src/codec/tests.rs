use super::*;
use crate::ws::{RawJson, WireType};
use crate::{ReferenceAction, ZoneId};

fn round_trip<K, T>(value: T) -> T
where
    T: FieldCodec<K>,
{
    let encoded = value.encode();
    let json = serde_json::to_string(&encoded).unwrap();
    let back: FieldValue = serde_json::from_str(&json).unwrap();
    T::decode(back).unwrap()
}

fn int(i: i64) -> FieldValue {
    FieldValue::new(Value::Int64(i))
}

fn untyped(json: &str) -> FieldValue {
    FieldValue::new(Value::Untyped(RawJson::from_json(json).unwrap()))
}

#[test]
fn strings() {
    assert_eq!(round_trip::<kind::String, _>("héllo".to_owned()), "héllo");
    assert_eq!(round_trip::<kind::String, Box<str>>("x".into()), "x".into());
    let err = <String as FieldCodec<kind::String>>::decode(int(1)).unwrap_err();
    assert_eq!(err.to_string(), "expected STRING, found INT64");
}

#[test]
fn integers_round_trip_and_check_range() {
    assert_eq!(round_trip::<kind::Int64, _>(i64::MIN), i64::MIN);
    assert_eq!(round_trip::<kind::Int64, _>(i32::MAX), i32::MAX);
    assert_eq!(round_trip::<kind::Int64, _>(-7i16), -7);
    assert_eq!(round_trip::<kind::Int64, _>(-7i8), -7);
    assert_eq!(round_trip::<kind::Int64, _>(u32::MAX), u32::MAX);
    assert_eq!(round_trip::<kind::Int64, _>(65535u16), 65535);
    assert_eq!(round_trip::<kind::Int64, _>(255u8), 255);
    assert!(round_trip::<kind::Int64, _>(true));
    assert!(!round_trip::<kind::Int64, _>(false));

    let too_big = <i32 as FieldCodec<kind::Int64>>::decode(int(i64::from(i32::MAX) + 1));
    assert_eq!(
        too_big.unwrap_err().kind().clone(),
        DecodeErrorKind::OutOfRange {
            value: "2147483648".into(),
            target: "i32"
        }
    );
    assert!(<u8 as FieldCodec<kind::Int64>>::decode(int(-1)).is_err());
    assert!(<u32 as FieldCodec<kind::Int64>>::decode(int(-1)).is_err());
    assert!(<i8 as FieldCodec<kind::Int64>>::decode(int(128)).is_err());
    assert!(<i16 as FieldCodec<kind::Int64>>::decode(int(40_000)).is_err());
    assert!(<u16 as FieldCodec<kind::Int64>>::decode(int(70_000)).is_err());
    assert!(<bool as FieldCodec<kind::Int64>>::decode(int(2)).is_err());
    assert!(
        <bool as FieldCodec<kind::Int64>>::decode(FieldValue::new(Value::Boolean(true))).unwrap()
    );
    assert!(<i64 as FieldCodec<kind::Int64>>::decode(FieldValue::new(Value::Double(1.0))).is_err());
}

#[test]
fn doubles() {
    assert_eq!(round_trip::<kind::Double, _>(2.0f64), 2.0);
    assert_eq!(round_trip::<kind::Double, _>(-0.5f32), -0.5);
    assert_eq!(
        <f64 as FieldCodec<kind::Double>>::decode(int(3)).unwrap(),
        3.0
    );
    assert!(
        <f32 as FieldCodec<kind::Double>>::decode(FieldValue::new(Value::Double(1e300))).is_err()
    );
    let json = serde_json::to_string(&<f64 as FieldCodec<kind::Double>>::encode(&2.0)).unwrap();
    assert_eq!(
        json, r#"{"value":2.0,"type":"DOUBLE"}"#,
        "DOUBLE keeps its tag"
    );
}

#[test]
fn timestamps() {
    let t = Timestamp::from_millis(1_700_000_000_123);
    assert_eq!(round_trip::<kind::Timestamp, _>(t), t);
    let st = t.to_system_time().unwrap();
    assert_eq!(round_trip::<kind::Timestamp, _>(st), st);
    let iso = untyped(r#""2023-11-14T22:13:20.000Z""#);
    assert_eq!(
        <Timestamp as FieldCodec<kind::Timestamp>>::decode(iso).unwrap(),
        Timestamp::from_millis(1_700_000_000_000)
    );
    #[cfg(feature = "time")]
    {
        let odt = time::OffsetDateTime::try_from(t).unwrap();
        assert_eq!(round_trip::<kind::Timestamp, _>(odt), odt);
    }
    #[cfg(feature = "chrono")]
    {
        let dt = chrono::DateTime::<chrono::Utc>::try_from(t).unwrap();
        assert_eq!(round_trip::<kind::Timestamp, _>(dt), dt);
    }
}

#[test]
fn bytes_references_assets_locations() {
    assert_eq!(
        round_trip::<kind::Bytes, _>(vec![0u8, 255, 7]),
        vec![0, 255, 7]
    );
    let enc = FieldValue::new(Value::EncryptedBytes(vec![1])).encrypted();
    assert_eq!(
        <Vec<u8> as FieldCodec<kind::Bytes>>::decode(enc).unwrap(),
        vec![1]
    );

    struct Folder;
    let r: Reference<Folder> = Reference::new("f1")
        .in_zone(ZoneId::new("Z"))
        .with_action(ReferenceAction::Validate);
    assert_eq!(round_trip::<kind::Reference, _>(r.clone()), r);

    let a = Asset {
        file_checksum: Some("c".into()),
        size: Some(3),
        ..Asset::default()
    };
    assert_eq!(round_trip::<kind::Asset, _>(a.clone()), a);
    let legacy = FieldValue::new(Value::Asset(Box::new(a.clone())));
    assert_eq!(
        <Asset as FieldCodec<kind::Asset>>::decode(legacy).unwrap(),
        a
    );
    let json = serde_json::to_string(&<Asset as FieldCodec<kind::Asset>>::encode(&a)).unwrap();
    assert!(json.ends_with(r#""type":"ASSETID"}"#));

    let mut l = Location::new(48.85, 2.35);
    l.timestamp = Some(Timestamp::from_millis(5));
    assert_eq!(round_trip::<kind::Location, _>(l.clone()), l);
    let loc = untyped(r#"{"latitude":1.5,"longitude":2.5}"#);
    assert_eq!(
        <Location as FieldCodec<kind::Location>>::decode(loc).unwrap(),
        Location::new(1.5, 2.5)
    );
}

#[test]
fn options_and_absence() {
    let mut fields = Fields::new();
    put::<kind::String, Option<String>>(&mut fields, "none", &None);
    put::<kind::String, _>(&mut fields, "some", &Some("x".to_owned()));
    assert_eq!(fields.names().collect::<Vec<_>>(), ["some"]);
    assert_eq!(
        <Option<String> as FieldCodec<kind::String>>::encode(&None),
        FieldValue::null(WireType::String)
    );
    let some: Option<String> = take::<kind::String, _>(&mut fields, "some").unwrap();
    assert_eq!(some.as_deref(), Some("x"));
    let none: Option<String> = take::<kind::String, _>(&mut fields, "none").unwrap();
    assert_eq!(none, None);
    let missing = take::<kind::String, String>(&mut fields, "title").unwrap_err();
    assert_eq!(missing.field(), Some("title"));
    assert_eq!(*missing.kind(), DecodeErrorKind::Missing);
    fields.push("nulled", FieldValue::null(WireType::Int64));
    assert!(take::<kind::Int64, i64>(&mut fields, "nulled").is_err());
    let empty: Vec<String> = take::<kind::List<kind::String>, _>(&mut fields, "tags").unwrap();
    assert!(empty.is_empty());
}

#[test]
fn lists() {
    let tags = vec!["a".to_owned(), "b".to_owned()];
    assert_eq!(
        round_trip::<kind::List<kind::String>, _>(tags.clone()),
        tags
    );
    assert_eq!(
        round_trip::<kind::List<kind::Int64>, _>(vec![1u8, 2]),
        vec![1, 2]
    );
    assert_eq!(
        round_trip::<kind::List<kind::Double>, _>(vec![1.5f64]),
        vec![1.5]
    );
    let ts = vec![Timestamp::from_millis(1)];
    assert_eq!(round_trip::<kind::List<kind::Timestamp>, _>(ts.clone()), ts);
    assert_eq!(
        round_trip::<kind::List<kind::Bytes>, _>(vec![vec![1u8]]),
        vec![vec![1]]
    );
    let refs: Vec<Reference> = vec![Reference::new("r")];
    assert_eq!(
        round_trip::<kind::List<kind::Reference>, _>(refs.clone()),
        refs
    );
    let assets = vec![Asset::default()];
    assert_eq!(
        round_trip::<kind::List<kind::Asset>, _>(assets.clone()),
        assets
    );
    let locs = vec![Location::new(0.0, 1.0)];
    assert_eq!(
        round_trip::<kind::List<kind::Location>, _>(locs.clone()),
        locs
    );
    let empty: Vec<String> = Vec::new();
    let json =
        serde_json::to_string(&FieldCodec::<kind::List<kind::String>>::encode(&empty)).unwrap();
    assert_eq!(json, r#"{"value":[],"type":"STRING_LIST"}"#);

    let with_none = vec![Some(1i64), None, Some(3)];
    let encoded = FieldCodec::<kind::List<kind::Int64>>::encode(&with_none);
    assert_eq!(encoded.value, Value::Int64List(vec![1, 3]));

    let bad = FieldValue::new(Value::Int64List(vec![1, 300]));
    let err = <Vec<u8> as FieldCodec<kind::List<kind::Int64>>>::decode(bad).unwrap_err();
    assert_eq!(err.index(), Some(1));
    let wrong = FieldValue::new(Value::String("x".into()));
    let err = <Vec<String> as FieldCodec<kind::List<kind::String>>>::decode(wrong).unwrap_err();
    assert_eq!(err.to_string(), "expected STRING_LIST, found STRING");
    let js = untyped(r#"["a","b"]"#);
    assert_eq!(
        <Vec<String> as FieldCodec<kind::List<kind::String>>>::decode(js).unwrap(),
        ["a", "b"]
    );
}

#[test]
fn untyped_values_that_do_not_parse_are_errors() {
    let err = <i64 as FieldCodec<kind::Int64>>::decode(untyped(r#""abc""#)).unwrap_err();
    assert!(matches!(err.kind(), DecodeErrorKind::Invalid(_)), "{err}");
}
