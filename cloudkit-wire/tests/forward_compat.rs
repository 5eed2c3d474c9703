//! Decoding arbitrary JSON never panics, and decoding what we encode gives the same value.

use cloudkit_wire::ws::*;
use proptest::prelude::*;
use serde_json::{Map, Value as Json, json};

/// Arbitrary JSON, biased toward CloudKit's key names so that decoders get past the first key.
fn json_value() -> impl Strategy<Value = Json> {
    let key = prop_oneof![
        Just("value".to_owned()),
        Just("type".to_owned()),
        Just("records".to_owned()),
        Just("recordName".to_owned()),
        Just("fields".to_owned()),
        Just("deleted".to_owned()),
        Just("serverErrorCode".to_owned()),
        Just("zones".to_owned()),
        Just("zoneID".to_owned()),
        Just("subscriptions".to_owned()),
        Just("subscriptionID".to_owned()),
        "[a-zA-Z]{1,6}",
    ];
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::from),
        any::<i64>().prop_map(Json::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Json::from),
        prop_oneof![
            Just("STRING".to_owned()),
            Just("INT64_LIST".to_owned()),
            Just("TIMESTAMP".to_owned()),
            Just("REFERENCE".to_owned()),
            ".{0,8}"
        ]
        .prop_map(Json::from),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Json::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn try_all(text: &str) {
    let _ = serde_json::from_str::<FieldValue>(text);
    let _ = serde_json::from_str::<Record>(text);
    let _ = serde_json::from_str::<RecordsResponse>(text);
    let _ = serde_json::from_str::<QueryRecordsResponse>(text);
    let _ = serde_json::from_str::<ModifyRecordsRequest>(text);
    let _ = serde_json::from_str::<QueryRecordsRequest>(text);
    let _ = serde_json::from_str::<ZonesResponse>(text);
    let _ = serde_json::from_str::<ZoneChangesResponse>(text);
    let _ = serde_json::from_str::<DatabaseChangesResponse>(text);
    let _ = serde_json::from_str::<SubscriptionsResponse>(text);
    let _ = serde_json::from_str::<ModifySubscriptionsRequest>(text);
    let _ = serde_json::from_str::<ServerError>(text);
    let _ = serde_json::from_str::<CallerResponse>(text);
    let _ = serde_json::from_str::<Notification>(text);
    let _ = serde_json::from_str::<ShortGuidsResponse>(text);
}

proptest! {
    #[test]
    fn arbitrary_json_never_panics(value in json_value()) {
        try_all(&value.to_string());
        try_all(&json!({"records": [value.clone()]}).to_string());
        try_all(&json!({"value": value.clone(), "type": "STRING_LIST"}).to_string());
    }

    #[test]
    fn truncated_json_never_panics(cut in 0usize..400) {
        let text = r#"{"records":[{"recordName":"a","recordType":"T","fields":{"x":{"value":[1,2],"type":"INT64_LIST"},"y":{"value":{"recordName":"r"},"type":"REFERENCE"}},"created":{"timestamp":1}},{"recordName":"b","serverErrorCode":"CONFLICT"}]}"#;
        let cut = cut.min(text.len());
        try_all(&text[..cut]);
    }

    #[test]
    fn records_round_trip(
        name in ".{0,10}",
        tag in prop::option::of("[a-z0-9]{1,6}"),
        n in any::<i64>(),
        s in ".{0,10}",
    ) {
        let mut record = Record::named("Note", name.clone())
            .with_field("n", FieldValue::new(Value::Int64(n)))
            .with_field("s", FieldValue::new(Value::String(s)));
        record.record_change_tag = tag;
        let response = RecordsResponse {
            records: vec![
                Ok(RecordEntry::Record(record)),
                Ok(RecordEntry::Tombstone(Tombstone { record_name: name.clone(), zone_id: None })),
                Err(ServerError::new(ServerErrorCode::Conflict, "stale").for_record(name)),
            ],
        };
        let text = serde_json::to_string(&response).unwrap();
        let back: RecordsResponse = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back, response);
    }
}
