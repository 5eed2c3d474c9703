//! Generates the record structs of `schema/notes.ckdb` into `OUT_DIR/notes.rs`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    cloudkit_codegen::Builder::new("schema/notes.ckdb")
        .record_types(["Note", "Folder"])
        .derive("PartialEq")
        .module("notes")
        .generate()?;
    Ok(())
}
