//! Generated records encode and decode through the wire format, JSON included.

use cloudkit_example_build_rs::records::{Folder, Note};
use cloudkit_runtime::{CloudKitRecord, Location, Reference, SystemFields};

fn sample() -> Note {
    Note {
        meta: SystemFields {
            record_name: Some("note-1".into()),
            ..SystemFields::default()
        },
        title: Some("Shopping".into()),
        body: None,
        tags: Some(vec!["home".into()]),
        labels: None,
        folder: Some(Reference::new("folder-7")),
        attachment: None,
        place: Some(Location::new(1.0, 2.0)),
        spot: None,
        pinned: Some(1),
        rating: Some(2.5),
        secret: Some("s".into()),
    }
}

#[test]
fn records_round_trip_through_json() {
    let note = sample();
    let json = serde_json::to_string(&note.to_record()).unwrap_or_default();
    let record: cloudkit_runtime::wire::Record = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(Note::from_record(record), Ok(note));
}

#[test]
fn generated_structs_have_typed_queries() {
    let f = Folder::fields();
    let q = Folder::query()
        .filter(f.name().equals("Work"))
        .sort(f.created_at().descending());
    assert_eq!(q.to_wire().record_type, "Folder");
    assert_eq!(Folder::RECORD_TYPE, "Folder");
}

#[test]
fn core_data_records_round_trip_with_their_entity_name() {
    use cloudkit_example_build_rs::trips::Trip;

    let trip = Trip {
        meta: SystemFields::new("trip-1"),
        destination_name: Some("Lisbon".into()),
        is_favorite: Some(1),
        traveler_id: Some("traveler-7".into()),
        ..Trip::default()
    };
    let record = trip.to_record();
    assert_eq!(record.record_type.as_deref(), Some("CD_Trip"));
    let names: Vec<&str> = record.fields.names().collect();
    assert_eq!(
        names,
        [
            "CD_destinationName",
            "CD_isFavorite",
            "CD_travelerID",
            "CD_entityName"
        ]
    );
    assert_eq!(Trip::from_record(record), Ok(trip));
    let query = Trip::query().filter(Trip::fields().destination_name().begins_with("Lis"));
    assert_eq!(query.to_wire().record_type, "CD_Trip");
}
