use cloudkit_runtime::{CloudKitRecord, Timestamp};

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/names.ckdb")]
pub struct Profile {
    pub display_nmae: String,
}

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/names.ckdb", record_type = "Profile", rename_all = "camelCase")]
pub struct CamelProfile {
    pub home_page_url: Option<String>,
}

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/core_data.ckdb", core_data)]
pub struct Trip {
    pub destination: String,
    #[cloudkit(rename = "startDate")]
    pub begins: Option<Timestamp>,
}

fn main() {}
