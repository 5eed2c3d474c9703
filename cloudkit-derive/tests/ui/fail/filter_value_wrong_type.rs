use cloudkit_runtime::{CloudKitRecord, SystemFields};

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
pub struct Note {
    #[cloudkit(system)]
    pub meta: SystemFields,
    pub title: String,
}

fn main() {
    // `pinned` is INT64.
    let _ = Note::query().filter(Note::fields().pinned().equals("1500"));
    // `title` is STRING.
    let _ = Note::query().filter(Note::fields().title().less_than(3_i64));
    // `tags` is LIST<STRING>: its elements are text.
    let _ = Note::query().filter(Note::fields().tags().list_contains(7_i64));
}
