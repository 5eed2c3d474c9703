use cloudkit_runtime::{CloudKitRecord, SystemFields};

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
pub struct Note {
    #[cloudkit(system)]
    pub meta: SystemFields,
    pub title: String,
}

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/notes.ckdb")]
pub struct Folder {
    pub name: String,
}

fn main() {
    let _ = Folder::query().filter(Folder::fields().name().contains_all_tokens("a b"));
}
