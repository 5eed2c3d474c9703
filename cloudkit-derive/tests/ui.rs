//! Compile-time behaviour of the derive: every error it reports, every query method the schema
//! forbids, and every type mapping and option that must compile. One test binary, so trybuild's
//! build is paid once.
//!
//! Schemas are under `tests/schema/`; paths in the cases are relative to trybuild's project
//! directory (`target/tests/trybuild/cloudkit-derive`).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
