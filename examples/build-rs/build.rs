//! Generates the record structs of `schema/notes.ckdb` into `OUT_DIR/notes.rs`, and those of
//! the Core Data app schema `schema/trips.ckdb` into `OUT_DIR/trips.rs`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    cloudkit_codegen::Builder::new("schema/notes.ckdb")
        .record_types(["Note", "Folder"])
        .derive("PartialEq")
        .module("notes")
        .generate()?;
    // `CD_Trip` becomes `Trip`, `CD_destinationName` becomes `destination_name`.
    cloudkit_codegen::Builder::new("schema/trips.ckdb")
        .core_data(true)
        .derive("PartialEq")
        .module("trips")
        .generate()?;
    Ok(())
}
