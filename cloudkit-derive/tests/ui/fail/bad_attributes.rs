use cloudkit_runtime::CloudKitRecord;

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb", recordtype = "Note", rename = "x")]
pub struct Note {
    #[cloudkit(renam = "title")]
    pub title: String,
    #[cloudkit(skip, system)]
    pub cached: String,
    #[cloudkit(schema = "x")]
    pub body: Option<String>,
}

fn main() {}
