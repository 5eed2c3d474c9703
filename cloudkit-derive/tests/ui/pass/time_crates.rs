//! TIMESTAMP fields as `time` and `chrono` types (runtime features `time` and `chrono`).
use cloudkit_runtime::CloudKitRecord;

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/types.ckdb", record_type = "Everything")]
pub struct Times {
    pub at: time::OffsetDateTime,
    pub at_system: Option<chrono::DateTime<chrono::Utc>>,
    pub ats: Vec<time::OffsetDateTime>,
}

fn main() {
    let t = Times {
        at: time::OffsetDateTime::UNIX_EPOCH,
        at_system: None,
        ats: Vec::new(),
    };
    let back = Times::from_record(t.to_record());
    assert!(back.is_ok_and(|b| b.at == time::OffsetDateTime::UNIX_EPOCH));
}
