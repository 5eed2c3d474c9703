use cloudkit_runtime::CloudKitRecord;

// `CD_Trip` exists: the prefix was left out.
#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/core_data.ckdb", record_type = "Trip", core_data)]
pub struct Journey {
    pub destination_name: String,
}

// `Settings` is not a Core Data record type.
#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/core_data.ckdb", record_type = "Settings", core_data)]
pub struct AppSettings {
    pub theme: Option<String>,
}

// The default, `CD_Trips`, does not exist.
#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/core_data.ckdb", core_data)]
pub struct Trips {
    pub destination_name: String,
}

fn main() {}
