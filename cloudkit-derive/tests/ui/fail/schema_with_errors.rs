use cloudkit_runtime::CloudKitRecord;

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/broken.ckdb")]
pub struct Note {
    pub title: String,
}

fn main() {}
