//! Every container and field option.
extern crate cloudkit_runtime as ck;

use ck::{CloudKitRecord, SystemFields};

#[derive(CloudKitRecord, Debug, Clone, PartialEq)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb", record_type = "Note", crate = "ck")]
pub(crate) struct Memo {
    #[cloudkit(system)]
    meta: SystemFields,
    #[cloudkit(rename = "title")]
    heading: String,
    #[cloudkit(skip)]
    scratch: Vec<u64>,
}

// The record type defaults to the struct's name; no system field is needed.
#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
struct Folder {
    name: Option<String>,
}

fn main() {
    let memo = Memo {
        meta: SystemFields::default(),
        heading: "h".into(),
        scratch: vec![1],
    };
    let back = Memo::from_record(memo.to_record());
    assert_eq!(back.map(|m| (m.heading, m.scratch)), Ok(("h".to_owned(), Vec::new())));
    // Accessors follow the Rust field name of a renamed field.
    let _ = Memo::query().sort(Memo::fields().heading().ascending());
    let _ = Folder::fields().name().equals("x");
    let _: &str = Folder::RECORD_TYPE;
    let _ = Clash::fields().created_at().begins_with("x");
    let _ = Clash::fields().system_created_at().ascending();
}

/// Rust names that clash with the system-field accessors keep their names; the system
/// accessor moves aside (`system_created_at`).
#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb", record_type = "Note", crate = "ck")]
pub struct Clash {
    #[cloudkit(rename = "title")]
    pub created_at: String,
}
