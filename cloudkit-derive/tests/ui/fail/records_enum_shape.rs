// `#[derive(CloudKitRecords)]` takes an enum with one record struct per variant; anything else
// is an error at the item or variant, saying what to write.
use cloudkit_runtime::CloudKitRecords;

#[derive(CloudKitRecords)]
struct NotAnEnum {
    name: String,
}

#[derive(CloudKitRecords)]
enum TwoFields {
    Pair(String, String),
}

fn main() {}
