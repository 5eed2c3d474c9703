use cloudkit_wire::Location;
use cloudkit_wire::ws::{self as wire, Comparator, FieldValue, Query, Value};

use super::prepare::prepare;
use super::sort_key::{SortKey, distance_m, tokens};
use crate::schema::LiveSchema;

#[test]
fn tokens_are_lowercase_words() {
    assert_eq!(
        tokens("Shopping-list, for HOME!"),
        ["shopping", "list", "for", "home"]
    );
    assert!(tokens("  ...  ").is_empty());
}

#[test]
fn distances_are_metres() {
    let berlin = Location::new(52.5200, 13.4050);
    let paris = Location::new(48.8566, 2.3522);
    let d = distance_m(&berlin, &paris);
    assert!((870_000.0..890_000.0).contains(&d), "{d}");
    assert_eq!(distance_m(&berlin, &berlin), 0.0);
}

#[test]
fn sort_keys_order_numbers_text_then_null() {
    use std::cmp::Ordering::*;
    assert_eq!(SortKey::Int(2).compare(&SortKey::Float(2.5)), Less);
    assert_eq!(SortKey::Float(2.0).compare(&SortKey::Int(2)), Equal);
    assert_eq!(
        SortKey::Int(1_000).compare(&SortKey::Text("a".into())),
        Less
    );
    assert_eq!(SortKey::Text("b".into()).compare(&SortKey::Null), Less);
    assert!(!SortKey::Null.matches(&SortKey::Null));
}

fn schema() -> LiveSchema {
    let source = r#"DEFINE SCHEMA RECORD TYPE Note (
        "___recordID" REFERENCE QUERYABLE,
        title STRING QUERYABLE SORTABLE,
        tags LIST<STRING> QUERYABLE,
        GRANT READ TO "_world");"#;
    let store = crate::storage::Store::memory().unwrap_or_else(|e| panic!("{e}"));
    LiveSchema::load(
        cloudkit_wire::ws::Environment::Production,
        Some((source, "t.ckdb")),
        &store,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn list_comparators_need_lists_and_scalars_need_scalars() {
    let s = schema();
    let v = FieldValue::new(Value::String("x".into()));
    let on_scalar = Query::new("Note").filter(wire::Filter::new(
        "title",
        Comparator::ListContains,
        v.clone(),
    ));
    assert!(prepare(&s, &on_scalar).is_err());
    let on_list =
        Query::new("Note").filter(wire::Filter::new("tags", Comparator::Equals, v.clone()));
    assert!(prepare(&s, &on_list).is_err());
    let fine = Query::new("Note").filter(wire::Filter::new("tags", Comparator::ListContains, v));
    assert!(prepare(&s, &fine).is_ok());
    let etag = Query::new("Note").filter(wire::Filter::new(
        wire::SystemField::Share,
        Comparator::Equals,
        FieldValue::new(Value::String("x".into())),
    ));
    assert!(prepare(&s, &etag).is_err());
}
