use super::value_types::wire_type_of;
use super::*;
use cloudkit_schema::ElementType;
use cloudkit_wire::ws::{FieldValue, RawJson, WireType};

fn raw(json: &str) -> RawJson {
    RawJson::from_json(json).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn untyped_values_are_inferred_from_their_shape() {
    let cases = [
        (r#""x""#, Some(WireType::String)),
        ("1", Some(WireType::Int64)),
        ("1.5", Some(WireType::Double)),
        ("true", Some(WireType::Int64)),
        (r#"{"latitude":1,"longitude":2}"#, Some(WireType::Location)),
        (r#"{"recordName":"a"}"#, Some(WireType::Reference)),
        (r#"{"fileChecksum":"c","size":1}"#, Some(WireType::AssetId)),
        (r#"["a"]"#, Some(WireType::StringList)),
        ("[1,2]", Some(WireType::Int64List)),
        ("[]", Some(WireType::StringList)),
        (r#"{"what":1}"#, None),
    ];
    for (json, want) in cases {
        assert_eq!(infer_wire_type(&raw(json)), want, "{json}");
    }
}

#[test]
fn coercion_uses_the_field_type() {
    let ts = FieldType::Element(ElementType::plain(ScalarType::Timestamp));
    let v = coerce(
        "due",
        FieldValue::new(Value::Untyped(raw(r#""2023-11-14T22:13:20.000Z""#))),
        ts,
    );
    assert_eq!(
        v.map(|f| f.value).ok(),
        Some(Value::Timestamp(cloudkit_wire::Timestamp::from_millis(
            1_700_000_000_000
        )))
    );
    let double = FieldType::Element(ElementType::plain(ScalarType::Double));
    assert_eq!(
        coerce("x", FieldValue::new(Value::Untyped(raw("2"))), double)
            .map(|f| f.value)
            .ok(),
        Some(Value::Double(2.0))
    );
    assert!(coerce("x", FieldValue::new(Value::Int64(2)), double).is_err());
    let int = FieldType::Element(ElementType::plain(ScalarType::Int64));
    assert_eq!(
        coerce("x", FieldValue::new(Value::Boolean(true)), int)
            .map(|f| f.value)
            .ok(),
        Some(Value::Int64(1))
    );
    assert!(coerce("x", FieldValue::new(Value::Untyped(raw(r#""one""#))), int).is_err());
    let number = FieldType::Element(ElementType::plain(ScalarType::Number(None)));
    assert!(coerce("x", FieldValue::new(Value::Int64(2)), number).is_ok());
    let asset = FieldType::Element(ElementType::plain(ScalarType::Asset));
    assert!(coerce("x", FieldValue::new(Value::Asset(Box::default())), asset).is_ok());
    let enc = FieldType::Element(ElementType {
        scalar: ScalarType::String,
        encrypted: true,
    });
    assert_eq!(
        coerce("x", FieldValue::new(Value::String("s".into())), enc)
            .map(|f| f.is_encrypted)
            .ok(),
        Some(true)
    );
    let plain = FieldType::Element(ElementType::plain(ScalarType::String));
    assert!(
        coerce(
            "x",
            FieldValue::new(Value::String("s".into())).encrypted(),
            plain
        )
        .is_err()
    );
}

#[test]
fn wire_and_schema_types_map_both_ways() {
    for tag in [
        WireType::String,
        WireType::Int64,
        WireType::Double,
        WireType::Timestamp,
        WireType::Bytes,
        WireType::Reference,
        WireType::AssetId,
        WireType::Location,
        WireType::StringList,
        WireType::LocationList,
    ] {
        let ft = field_type_of(tag, false).unwrap_or_else(|| panic!("{tag}"));
        assert_eq!(wire_type_of(ft), Some(tag));
    }
    assert_eq!(field_type_of(WireType::UnknownList, false), None);
}

#[test]
fn development_grows_production_refuses() {
    let store = Store::memory().unwrap_or_else(|e| panic!("{e}"));
    let mut dev =
        LiveSchema::load(Environment::Development, None, &store).unwrap_or_else(|e| panic!("{e}"));
    let mut fields = cloudkit_wire::ws::Fields::new();
    fields.push("title", FieldValue::new(Value::Untyped(raw(r#""hi""#))));
    let mut growth = Vec::new();
    let checked = dev
        .check_fields("Memo", fields.clone(), &mut growth)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        checked.get("title").map(|f| &f.value),
        Some(&Value::String("hi".into()))
    );
    assert_eq!(growth.len(), 2);
    assert!(dev.grow(&growth));
    assert!(!dev.grow(&growth), "growing twice adds nothing");
    let text = dev.export();
    assert!(text.contains("RECORD TYPE Memo"), "{text}");
    assert!(text.contains("title"), "{text}");
    let prod = LiveSchema::load(Environment::Production, Some((&text, "grown")), &store)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut g = Vec::new();
    assert!(prod.check_fields("Memo", fields, &mut g).is_ok());
    let mut other = cloudkit_wire::ws::Fields::new();
    other.push("colour", FieldValue::new(Value::String("red".into())));
    assert!(prod.check_fields("Memo", other.clone(), &mut g).is_err());
    assert!(prod.check_fields("Other", other, &mut g).is_err());
    let mut reserved = cloudkit_wire::ws::Fields::new();
    reserved.push("_secret", FieldValue::new(Value::String("x".into())));
    assert!(dev.check_fields("Memo", reserved, &mut Vec::new()).is_err());
}
