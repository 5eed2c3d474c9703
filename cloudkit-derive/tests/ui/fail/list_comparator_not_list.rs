use cloudkit_runtime::{CloudKitRecord, SystemFields};

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
pub struct Note {
    #[cloudkit(system)]
    pub meta: SystemFields,
    pub title: String,
}

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
pub struct Folder {
    pub name: String,
}

fn main() {
    let _ = Note::query().filter(Note::fields().title().list_contains("x"));
    let _ = Note::query().filter(Note::fields().tags().equals("x"));
}
