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
