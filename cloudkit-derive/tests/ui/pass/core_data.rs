//! `core_data` reads and writes the records NSPersistentCloudKitContainer mirrors: record type
//! `CD_` + the struct's name, fields `CD_` + the attribute, and `CD_entityName` written for
//! Core Data to import the record by.
use cloudkit_runtime::{Asset, CloudKitRecord, SystemFields, Timestamp};

#[derive(CloudKitRecord, Debug, Clone, PartialEq, Default)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/core_data.ckdb", core_data)]
pub struct Trip {
    #[cloudkit(system)]
    pub meta: SystemFields,
    pub id: Option<String>,
    pub destination_name: String,
    pub start_date: Option<Timestamp>,
    pub is_favorite: bool,
    /// A to-one relationship: the related record's record name.
    pub traveler: Option<String>,
    pub notes: Option<String>,
    /// Where Core Data moves `notes` when it is too large for the record.
    pub notes_ck_asset: Option<Asset>,
}

/// A struct may hold `CD_entityName` itself, and name the record type outright.
#[derive(CloudKitRecord, Debug, Default)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/core_data.ckdb", record_type = "CD_Traveler", core_data)]
pub struct Person {
    pub entity_name: Option<String>,
    pub home_airport_id: Option<String>,
    #[cloudkit(rename = "CD_displayName")]
    pub name: Option<String>,
}

fn main() {
    assert_eq!(Trip::RECORD_TYPE, "CD_Trip");
    let trip = Trip {
        destination_name: "Lisbon".into(),
        is_favorite: true,
        traveler: Some("traveler-1".into()),
        ..Trip::default()
    };
    let record = trip.to_record();
    let names: Vec<&str> = record.fields.names().collect();
    assert_eq!(
        names,
        ["CD_destinationName", "CD_isFavorite", "CD_traveler", "CD_entityName"]
    );
    let json = serde_json::to_string(&record).unwrap_or_default();
    assert!(json.contains(r#""CD_entityName":{"value":"Trip","type":"STRING"}"#), "{json}");
    assert_eq!(Trip::from_record(record), Ok(trip));

    let f = Trip::fields();
    let _ = Trip::query()
        .filter(f.destination_name().begins_with("Lis"))
        .filter(f.entity_name().equals("Trip"))
        .sort(f.start_date().ascending());

    let person = Person {
        entity_name: Some("Pilot".into()),
        ..Person::default()
    };
    let record = person.to_record();
    let names: Vec<&str> = record.fields.names().collect();
    assert_eq!(names, ["CD_entityName"]);
}
