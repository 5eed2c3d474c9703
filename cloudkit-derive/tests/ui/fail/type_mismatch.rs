use cloudkit_runtime::CloudKitRecord;

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
pub struct Note {
    pub pinned: String,
    pub title: Option<i64>,
    pub tags: Vec<f64>,
    pub rating: u64,
}

fn main() {}
