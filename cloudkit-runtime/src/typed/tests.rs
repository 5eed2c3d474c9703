//! Typed handles without the derive: a record and a field marker written by hand.

use cloudkit_wire::ws::Record;
use cloudkit_wire::{CloudKitRecord, DecodeError, Reference, ZoneId};

use super::field::{FieldMarker, FieldName};
use super::reference::ReferenceTo;

struct Note {
    name: Option<String>,
    zone: Option<ZoneId>,
}

impl CloudKitRecord for Note {
    const RECORD_TYPE: &'static str = "Note";

    fn to_record(&self) -> Record {
        Record {
            record_name: self.name.clone(),
            record_type: Some(Self::RECORD_TYPE.to_owned()),
            zone_id: self.zone.clone(),
            ..Record::default()
        }
    }

    fn from_record(record: Record) -> Result<Self, DecodeError> {
        Ok(Note {
            name: record.record_name,
            zone: record.zone_id,
        })
    }
}

#[cfg_attr(not(feature = "client"), allow(dead_code))]
struct Attachment;

impl FieldMarker for Attachment {
    const NAME: FieldName = FieldName::Field("attachment");
    const DEFINED_AT: &'static str = "notes.ckdb:19:9";
}

#[test]
fn reference_to_names_the_record_and_its_zone() {
    let unsaved = Note {
        name: None,
        zone: None,
    };
    assert!(<Reference<Note>>::to(&unsaved).is_none());
    let saved = Note {
        name: Some("note-1".into()),
        zone: Some(ZoneId::new("Notes")),
    };
    let reference: Reference<Note> = Reference::to(&saved).expect("named");
    assert_eq!(reference.record_name, "note-1");
    assert_eq!(reference.zone_id, Some(ZoneId::new("Notes")));
}

#[cfg(feature = "client")]
#[test]
fn asset_target_is_named_by_the_field_handle() {
    use super::field::FieldHandle;
    use cloudkit_wire::codec::kind;

    let handle = FieldHandle::<Note, kind::Asset, Attachment>::new();
    assert_eq!(
        handle.asset_target("note-1"),
        crate::client::AssetTarget::new("Note", "note-1", "attachment")
    );
}
