//! The derive end to end: records encode and decode, typed queries and subscriptions produce
//! the wire dictionaries (snapshotted as JSON).

use cloudkit_runtime::typed::subscription::{self, ZoneSubscription};
use cloudkit_runtime::wire::{FiresOn, NotificationInfo, RecordStamp};
use cloudkit_runtime::{
    Asset, CloudKitRecord, Location, Reference, SystemFields, Timestamp, ZoneId,
};

#[derive(CloudKitRecord, Debug, Clone, PartialEq)]
#[cloudkit(schema = "tests/schema/notes.ckdb")]
pub struct Folder {
    #[cloudkit(system)]
    pub meta: SystemFields,
    pub name: String,
}

#[derive(CloudKitRecord, Debug, Clone, PartialEq)]
#[cloudkit(schema = "tests/schema/notes.ckdb", record_type = "Note")]
pub struct Note {
    #[cloudkit(system)]
    pub meta: SystemFields,
    pub title: String,
    pub body: Option<String>,
    pub tags: Vec<String>,
    #[cloudkit(rename = "folder")]
    pub folder_ref: Option<Reference<Folder>>,
    pub attachment: Option<Asset>,
    pub place: Option<Location>,
    pub pinned: bool,
    pub rating: Option<f64>,
    pub secret: Option<String>,
    #[cloudkit(skip)]
    pub cached_len: usize,
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| e.to_string())
}

fn note() -> Note {
    Note {
        meta: SystemFields {
            record_name: Some("note-1".into()),
            change_tag: Some("e1".into()),
            ..SystemFields::default()
        },
        title: "Shopping".into(),
        body: None,
        tags: vec!["home".into(), "errands".into()],
        folder_ref: Some(Reference::new("folder-7")),
        attachment: None,
        place: Some(Location::new(52.52, 13.405)),
        pinned: true,
        rating: Some(4.5),
        secret: Some("door code".into()),
        cached_len: 0,
    }
}

#[test]
fn save_dictionary() {
    insta::assert_snapshot!(json(&note().to_record()));
}

#[test]
fn records_round_trip() {
    let original = note();
    let mut record = original.to_record();
    record.created = Some(RecordStamp {
        timestamp: Timestamp::from_millis(1_700_000_000_000),
        user_record_name: Some("_abc".into()),
        device_id: None,
    });
    let decoded = Note::from_record(record.clone());
    let mut expected = original;
    expected.meta.created = record.created.clone();
    assert_eq!(decoded, Ok(expected));
    // Through JSON too, as the server would send it back.
    let text = serde_json::to_string(&record).unwrap_or_default();
    let parsed: cloudkit_runtime::wire::Record = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(
        Note::from_record(parsed).map(|n| n.title),
        Ok("Shopping".into())
    );
}

#[test]
fn decoding_the_wrong_record_type_fails() {
    let record = Folder {
        meta: SystemFields::default(),
        name: "x".into(),
    }
    .to_record();
    assert!(Note::from_record(record).is_err());
}

#[test]
fn typed_query_dictionary() {
    let f = Note::fields();
    let query = Note::query()
        .filter(f.title().begins_with("Shop"))
        .filter(f.tags().list_contains("home"))
        .filter(f.pinned().equals(true))
        .filter(f.folder_ref().equals(Reference::<Folder>::new("folder-7")))
        .filter(f.rating().greater_than(3.5))
        .filter(f.place().near(Location::new(52.5, 13.4), 1500.0))
        .filter(
            f.created_at()
                .less_than(Timestamp::from_millis(1_700_000_000_000)),
        )
        .filter(f.title().contains_all_tokens("milk eggs"))
        .filter(f.pinned().is_in([1_i64, 2]))
        .sort(f.modified_at().descending())
        .sort(f.title().ascending())
        .desired_keys([f.title().key(), f.tags().key(), f.created_at().key()]);
    assert_eq!(
        query.desired_key_names(),
        Some(&["title".to_owned(), "tags".to_owned()][..])
    );
    insta::assert_snapshot!(json(&query.to_wire()));
}

#[test]
fn every_list_comparator() {
    let tags = Note::fields().tags();
    let query = Note::query()
        .filter(tags.not_list_contains("work"))
        .filter(tags.list_contains_any(["a".to_owned(), "b".to_owned()]))
        .filter(tags.not_list_contains_any(vec!["c".to_owned()]))
        .filter(tags.list_contains_all(["d".to_owned()]))
        .filter(tags.not_list_contains_all(["e".to_owned()]))
        .filter(tags.list_member_begins_with("ho"))
        .filter(tags.not_list_member_begins_with("wo"))
        .filter(Note::fields().title().not_begins_with("x"))
        .filter(Note::fields().title().not_equals("y"))
        .filter(Note::fields().title().not_in(["z".to_owned()]))
        .filter(Note::fields().title().contains_any_tokens("p q"))
        .filter(
            Note::fields()
                .record_name()
                .equals(Reference::<Note>::new("note-1")),
        )
        .sort(Note::fields().place().nearest_to(Location::new(1.0, 2.0)));
    insta::assert_snapshot!(json(&query.to_wire()));
}

#[test]
fn subscription_operations() {
    let q = Note::query().filter(Note::fields().title().begins_with("Shop"));
    let sub = Note::subscription("shopping-notes")
        .query(q)
        .fires_on([FiresOn::Create, FiresOn::Update])
        .fires_once(false)
        .zone_wide(true)
        .notification_info(NotificationInfo {
            alert_body: Some("A shopping note changed".into()),
            should_badge: Some(true),
            ..NotificationInfo::default()
        });
    let zone = ZoneSubscription::new("notes-zone", ZoneId::new("Notes"));
    let restricted = Folder::subscription("one-zone").in_zone(ZoneId::new("Work"));
    let operations = vec![
        sub.create(),
        zone.create(),
        restricted.update(),
        subscription::delete("old"),
    ];
    #[derive(serde::Serialize)]
    struct ModifyBody {
        operations: Vec<cloudkit_runtime::wire::SubscriptionOperation>,
    }
    insta::assert_snapshot!(json(&ModifyBody { operations }));
}

#[test]
fn reference_to_a_saved_record_names_it_and_its_zone() {
    use cloudkit_runtime::typed::ReferenceTo;

    let mut folder = Folder {
        meta: SystemFields::default(),
        name: "Errands".into(),
    };
    // Never saved and no name chosen: nothing to reference.
    assert!(Reference::to(&folder).is_none());
    folder.meta.record_name = Some("folder-7".into());
    folder.meta.zone_id = Some(ZoneId::new("Notes"));
    let reference: Reference<Folder> = Reference::to(&folder).expect("named");
    assert_eq!(reference.record_name, "folder-7");
    assert_eq!(reference.zone_id, Some(ZoneId::new("Notes")));
    // It fits the typed field, and a filter on it.
    let note = Note {
        folder_ref: Some(reference.clone()),
        ..note()
    };
    assert_eq!(note.folder_ref.as_ref(), Some(&reference));
    let filter = Note::fields().folder_ref().equals(reference).into_wire();
    assert!(
        json(&filter).contains("\"recordName\": \"folder-7\""),
        "{}",
        json(&filter)
    );
}

#[test]
fn typed_reference_filters_take_references_to_the_target() {
    let folders = [Reference::<Folder>::new("f1"), Reference::new("f2")];
    let filter = Note::fields().folder_ref().is_in(folders).into_wire();
    let json = json(&filter);
    assert!(json.contains("REFERENCE_LIST"), "{json}");
    assert!(json.contains("\"recordName\": \"f2\""), "{json}");
    // Filter values carry no action.
    assert!(!json.contains("action"), "{json}");
}
