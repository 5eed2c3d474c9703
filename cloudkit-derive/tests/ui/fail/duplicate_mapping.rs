use cloudkit_runtime::CloudKitRecord;

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
pub struct Note {
    pub title: String,
    #[cloudkit(rename = "title")]
    pub heading: String,
}

fn main() {}
