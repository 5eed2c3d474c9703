use cloudkit_runtime::CloudKitRecord;

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/names.ckdb", rename_all = "camelcase")]
pub struct Profile {
    pub display_name: String,
}

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/names.ckdb", record_type = "Profile", rename_all = "kebab-case")]
pub struct KebabProfile {
    pub display_name: String,
}

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/core_data.ckdb", core_data = true)]
pub struct Trip {
    #[cloudkit(rename_all = "camelCase")]
    pub destination_name: String,
}

fn main() {}
