//! A hand-written `CloudKitRecord` impl in the shape the derive generates, checked end to end.

use cloudkit_wire::codec::{self, kind};
use cloudkit_wire::ws::{Record, RecordEntry, RecordsResponse};
use cloudkit_wire::{
    Asset, CloudKitRecord, DecodeError, DecodeErrorKind, Reference, SystemFields, Timestamp,
    check_record_type,
};

struct Folder;

struct Note {
    meta: SystemFields,
    title: String,
    body: Option<String>,
    tags: Vec<String>,
    pinned: bool,
    folder: Option<Reference<Folder>>,
    attachment: Option<Asset>,
    due: Option<Timestamp>,
}

impl CloudKitRecord for Note {
    const RECORD_TYPE: &'static str = "Note";

    fn to_record(&self) -> Record {
        let mut record = Record::new(Self::RECORD_TYPE);
        self.meta.write_to(&mut record);
        let f = &mut record.fields;
        codec::put::<kind::String, _>(f, "title", &self.title);
        codec::put::<kind::String, _>(f, "body", &self.body);
        codec::put::<kind::List<kind::String>, _>(f, "tags", &self.tags);
        codec::put::<kind::Int64, _>(f, "pinned", &self.pinned);
        codec::put::<kind::Reference, _>(f, "folder", &self.folder);
        codec::put::<kind::Asset, _>(f, "attachment", &self.attachment);
        codec::put::<kind::Timestamp, _>(f, "due", &self.due);
        record
    }

    fn from_record(mut record: Record) -> Result<Self, DecodeError> {
        check_record_type(&record, Self::RECORD_TYPE)?;
        let name = record.record_name.clone();
        let ctx = |e: DecodeError| e.in_record(Self::RECORD_TYPE, name.as_deref());
        let meta = SystemFields::take_from(&mut record);
        let f = &mut record.fields;
        Ok(Note {
            meta,
            title: codec::take::<kind::String, _>(f, "title").map_err(ctx)?,
            body: codec::take::<kind::String, _>(f, "body").map_err(ctx)?,
            tags: codec::take::<kind::List<kind::String>, _>(f, "tags").map_err(ctx)?,
            pinned: codec::take::<kind::Int64, _>(f, "pinned").map_err(ctx)?,
            folder: codec::take::<kind::Reference, _>(f, "folder").map_err(ctx)?,
            attachment: codec::take::<kind::Asset, _>(f, "attachment").map_err(ctx)?,
            due: codec::take::<kind::Timestamp, _>(f, "due").map_err(ctx)?,
        })
    }
}

#[test]
fn note_round_trips_through_the_wire() {
    let note = Note {
        meta: SystemFields::new("note-1"),
        title: "Shopping".into(),
        body: None,
        tags: vec!["home".into()],
        pinned: true,
        folder: Some(Reference::new("folder-7")),
        attachment: None,
        due: Some(Timestamp::from_millis(1_700_000_000_000)),
    };
    let json = serde_json::to_string(&note.to_record()).unwrap();
    insta::assert_snapshot!(json);
    let response = format!(
        r#"{{"records":[{}]}}"#,
        json.replacen(
            '{',
            r#"{"recordChangeTag":"k1","created":{"timestamp":5,"userRecordName":"_u"},"#,
            1
        )
    );
    let response: RecordsResponse = serde_json::from_str(&response).unwrap();
    let Some(Ok(RecordEntry::Record(record))) = response.records.into_iter().next() else {
        panic!("one record expected")
    };
    let back = Note::from_record(record).unwrap();
    assert_eq!(back.meta.change_tag(), Some("k1"));
    assert_eq!(back.meta.created_by(), Some("_u"));
    assert_eq!(back.title, note.title);
    assert_eq!(back.body, None);
    assert_eq!(back.tags, note.tags);
    assert!(back.pinned);
    assert_eq!(back.folder, note.folder);
    assert_eq!(back.attachment, None);
    assert_eq!(back.due, note.due);
}

#[test]
fn errors_name_record_field_and_types() {
    let record: Record = serde_json::from_str(
        r#"{"recordName":"n9","recordType":"Note","fields":{"title":{"value":7,"type":"INT64"}}}"#,
    )
    .unwrap();
    let err = Note::from_record(record).err().unwrap();
    assert_eq!(
        err.to_string(),
        "record type `Note` (record `n9`), field `title`: expected STRING, found INT64"
    );
    let record: Record =
        serde_json::from_str(r#"{"recordName":"n9","recordType":"Note"}"#).unwrap();
    let err = Note::from_record(record).err().unwrap();
    assert_eq!(*err.kind(), DecodeErrorKind::Missing);
    assert_eq!(
        err.to_string(),
        "record type `Note` (record `n9`), field `title`: missing value"
    );
    let record = Record::named("Folder", "f");
    let err = Note::from_record(record).err().unwrap();
    assert_eq!(
        err.to_string(),
        "record type `Note` (record `f`), expected record type `Note`, found `Folder`"
    );
}
