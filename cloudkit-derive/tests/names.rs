//! Field names end to end: inferred camelCase and acronym names, and Core Data records as
//! NSPersistentCloudKitContainer writes them, read and written through the wire format.

use cloudkit_runtime::wire::{AsRecord, RecordEntry, TypedRecordsResponse};
use cloudkit_runtime::{CloudKitRecord, SystemFields, Timestamp};

#[derive(CloudKitRecord, Debug, Clone, PartialEq, Default)]
#[cloudkit(schema = "tests/schema/names.ckdb")]
pub struct Profile {
    #[cloudkit(system)]
    pub meta: SystemFields,
    pub display_name: String,
    pub home_page_url: Option<String>,
    pub user_id: Option<String>,
}

#[derive(CloudKitRecord, Debug, Clone, PartialEq, Default)]
#[cloudkit(schema = "tests/schema/core_data.ckdb", core_data)]
pub struct Trip {
    #[cloudkit(system)]
    pub meta: SystemFields,
    pub destination_name: String,
    pub start_date: Option<Timestamp>,
    pub is_favorite: bool,
    pub traveler: Option<String>,
}

#[derive(CloudKitRecord, Debug, Clone, PartialEq, Default)]
#[cloudkit(schema = "tests/schema/core_data.ckdb", core_data)]
pub struct Traveler {
    pub entity_name: String,
    pub display_name: Option<String>,
    pub home_airport_id: Option<String>,
}

fn trip() -> Trip {
    Trip {
        meta: SystemFields::new("trip-1"),
        destination_name: "Lisbon".into(),
        start_date: Some(Timestamp::from_millis(1_700_000_000_000)),
        is_favorite: true,
        traveler: Some("traveler-1".into()),
    }
}

#[test]
fn inferred_names_are_the_schema_spellings_on_the_wire() {
    let profile = Profile {
        meta: SystemFields::new("p1"),
        display_name: "Ada".into(),
        home_page_url: Some("https://example.com".into()),
        user_id: Some("u-1".into()),
    };
    let record = profile.to_record();
    let names: Vec<&str> = record.fields.names().collect();
    assert_eq!(names, ["DisplayName", "homePageURL", "userID"]);
    assert_eq!(Profile::from_record(record), Ok(profile));
}

#[test]
fn core_data_records_carry_the_entity_name() {
    let trip = trip();
    let record = trip.to_record();
    assert_eq!(record.record_type.as_deref(), Some("CD_Trip"));
    let names: Vec<&str> = record.fields.names().collect();
    assert_eq!(
        names,
        [
            "CD_destinationName",
            "CD_startDate",
            "CD_isFavorite",
            "CD_traveler",
            "CD_entityName"
        ]
    );
    // Written straight from the fields, the same bytes.
    let direct = serde_json::to_string(&AsRecord(&trip)).unwrap_or_default();
    assert_eq!(direct, serde_json::to_string(&record).unwrap_or_default());
    assert!(
        direct.contains(r#""CD_entityName":{"value":"Trip","type":"STRING"}"#),
        "{direct}"
    );
    assert_eq!(Trip::from_record(record), Ok(trip));
}

#[test]
fn a_field_for_the_entity_name_replaces_the_default() {
    let pilot = Traveler {
        entity_name: "Pilot".into(),
        ..Traveler::default()
    };
    let record = pilot.to_record();
    let names: Vec<&str> = record.fields.names().collect();
    assert_eq!(names, ["CD_entityName"]);
    let direct = serde_json::to_string(&AsRecord(&pilot)).unwrap_or_default();
    assert!(direct.contains(r#""value":"Pilot""#), "{direct}");
    assert_eq!(Traveler::from_record(record), Ok(pilot));
}

/// A record as an Apple device saved it: Core Data's bookkeeping fields (`CD_moveReceipt`)
/// and fields the struct leaves out are skipped.
#[test]
fn core_data_records_from_a_response_decode() {
    let body = r#"{"records": [{
        "recordName": "trip-1",
        "recordType": "CD_Trip",
        "recordChangeTag": "e7",
        "fields": {
            "CD_destinationName": {"value": "Lisbon", "type": "STRING"},
            "CD_entityName": {"value": "Trip", "type": "STRING"},
            "CD_id": {"value": "6F1C1C2E-3C1B-4E0F-9B8E-8D2E4B1A7C11", "type": "STRING"},
            "CD_isFavorite": {"value": 1, "type": "INT64"},
            "CD_moveReceipt": {"value": "AQID", "type": "BYTES"},
            "CD_startDate": {"value": 1700000000000, "type": "TIMESTAMP"},
            "CD_traveler": {"value": "traveler-1", "type": "STRING"}
        }
    }]}"#;
    let response = TypedRecordsResponse::<Trip>::from_json(body);
    let trip = match response.map(|mut r| r.records.pop()) {
        Ok(Some(Ok(RecordEntry::Record(Ok(trip))))) => trip,
        other => panic!("unexpected: {other:?}"),
    };
    assert_eq!(trip.destination_name, "Lisbon");
    assert!(trip.is_favorite);
    assert_eq!(trip.traveler.as_deref(), Some("traveler-1"));
    assert_eq!(trip.meta.change_tag.as_deref(), Some("e7"));
}

#[test]
fn core_data_queries_name_the_prefixed_fields() {
    let f = Trip::fields();
    let query = Trip::query()
        .filter(f.destination_name().begins_with("Lis"))
        .sort(f.start_date().descending());
    let json = serde_json::to_string(&query.to_wire()).unwrap_or_default();
    assert!(json.contains(r#""recordType":"CD_Trip""#), "{json}");
    assert!(
        json.contains(r#""fieldName":"CD_destinationName""#),
        "{json}"
    );
    assert!(json.contains(r#""fieldName":"CD_startDate""#), "{json}");
}
