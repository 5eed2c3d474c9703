use cloudkit_runtime::{CloudKitRecord, Reference, SystemFields};

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
pub struct Note {
    #[cloudkit(system)]
    pub meta: SystemFields,
    pub title: String,
    pub folder: Option<Reference<Folder>>,
}

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
pub struct Folder {
    pub name: String,
}

fn main() {
    // Right: a reference to a Folder.
    let _ = Note::query().filter(Note::fields().folder().equals(Reference::<Folder>::new("f1")));
    // Wrong: `folder` references Folder records, not Note records.
    let _ = Note::query().filter(Note::fields().folder().equals(Reference::<Note>::new("n1")));
}
