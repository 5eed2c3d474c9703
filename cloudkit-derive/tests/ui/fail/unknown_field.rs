use cloudkit_runtime::CloudKitRecord;

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
pub struct Note {
    pub titel: String,
    #[cloudkit(rename = "colour")]
    pub color: Option<String>,
}

fn main() {}
