use cloudkit_runtime::CloudKitRecord;

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb", record_type = "Notes")]
pub struct Note {
    pub title: String,
}

fn main() {}
