use cloudkit_runtime::CloudKitRecord;

pub struct Title(String);

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
pub struct Note {
    pub title: Title,
}

fn main() {}
