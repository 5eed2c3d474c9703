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
    let _ = Note::query().filter(Note::fields().title().near(cloudkit_runtime::Location::new(1.0, 2.0), 10.0));
}
