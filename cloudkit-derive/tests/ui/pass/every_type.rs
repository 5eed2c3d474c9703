//! Every row of the type mapping table, plain and as Option.
use cloudkit_runtime::{Asset, CloudKitRecord, Location, Reference, SystemFields, Timestamp};
use std::time::SystemTime;

pub struct Other;

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/types.ckdb")]
pub struct Everything {
    #[cloudkit(system)]
    pub meta: SystemFields,
    pub text: String,
    pub count: i64,
    pub small: i32,
    pub tiny: Option<i8>,
    pub flag: bool,
    pub unsigned32: u32,
    pub ratio: f64,
    pub ratio32: Option<f32>,
    pub at: Timestamp,
    pub at_system: Option<SystemTime>,
    pub blob: Vec<u8>,
    pub link: Option<Reference>,
    pub typed_link: Reference<Other>,
    pub file: Option<Asset>,
    pub where_: Location,
    pub texts: Vec<String>,
    pub counts: Option<Vec<i64>>,
    pub ratios: Vec<f64>,
    pub ats: Vec<Timestamp>,
    pub blobs: Vec<Vec<u8>>,
    pub links: Vec<Reference<Other>>,
    pub files: Vec<Asset>,
    pub wheres: Vec<Location>,
    pub int_number: i64,
    pub double_number: f64,
    pub bare_number: Option<f64>,
    pub hidden: Option<String>,
    pub maybe: Option<String>,
}

fn main() {
    let record = Everything::from_record(cloudkit_runtime::wire::Record::new("Everything"));
    assert!(record.is_err(), "required fields are missing");
    assert_eq!(Everything::RECORD_TYPE, "Everything");
}
