use cloudkit_runtime::{CloudKitRecord, Timestamp};

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/names.ckdb")]
pub struct Legacy {
    pub start_date: Option<Timestamp>,
    pub user_id: Option<String>,
}

fn main() {}
