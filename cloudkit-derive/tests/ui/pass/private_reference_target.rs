//! A private record struct whose REFERENCE fields point at private structs: the typed handles
//! must not leak the target type through a public impl.

use cloudkit_runtime::{CloudKitRecord, Reference, SystemFields};

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/types.ckdb", record_type = "Everything")]
#[allow(dead_code)]
struct Everything {
    #[cloudkit(system)]
    meta: SystemFields,
    typed_link: Option<Reference<Other>>,
    links: Vec<Reference<Other>>,
}

struct Other;

fn main() {
    let _ = Everything::fields().typed_link();
    let _ = Everything::fields().links();
}
