use cloudkit_runtime::{CloudKitRecord, SystemFields};

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
pub struct Note {
    #[cloudkit(system)]
    pub meta: SystemFields,
    #[cloudkit(system)]
    pub again: SystemFields,
    #[cloudkit(system)]
    pub wrong: String,
}

fn main() {}
