use cloudkit_runtime::CloudKitRecord;

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
pub struct Note {
    #[cloudkit(rename = "___createTime")]
    pub created: Option<cloudkit_runtime::Timestamp>,
}

fn main() {}
