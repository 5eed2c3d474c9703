use cloudkit_runtime::CloudKitRecord;

#[derive(CloudKitRecord)]
pub struct Note {
    pub title: String,
}

fn main() {}
