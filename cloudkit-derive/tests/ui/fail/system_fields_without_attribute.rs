use cloudkit_runtime::{CloudKitRecord, SystemFields};

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
pub struct Note {
    pub meta: SystemFields,
    pub title: String,
}

fn main() {}
