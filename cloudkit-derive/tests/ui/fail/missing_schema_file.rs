use cloudkit_runtime::CloudKitRecord;

#[derive(CloudKitRecord)]
#[cloudkit(schema = "schema/nope.ckdb")]
pub struct Note {
    pub title: String,
}

fn main() {}
