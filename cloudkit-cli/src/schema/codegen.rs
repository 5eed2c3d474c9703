//! `cloudkit schema codegen FILE [--check OUT]`: the Rust code build.rs generation writes,
//! printed (or compared with a checked-in copy).

use std::fs;
use std::path::PathBuf;

use cloudkit_codegen::{CodegenError, Options, generate_module};

use super::source::SchemaFile;
use crate::report::Outcome;

/// Arguments of `cloudkit schema codegen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Compare with this previously generated file instead of printing; exit 1 if it is stale.
    #[arg(long, value_name = "OUT")]
    check: Option<PathBuf>,
    /// Generate only these record types (repeatable). Default: every record type whose name
    /// is a Rust identifier, except `Users`.
    #[arg(long = "record-type", value_name = "NAME")]
    record_types: Vec<String>,
    /// An extra derive for every generated struct (repeatable), e.g. `serde::Serialize`.
    #[arg(long = "derive", value_name = "PATH")]
    derives: Vec<String>,
    /// The path of the runtime crate in the generated code.
    #[arg(long, value_name = "PATH", default_value = "::cloudkit_runtime")]
    runtime_crate: String,
}

/// Generates the module; prints it or compares it with `--check`'s file.
pub fn run(args: &Args) -> Outcome {
    let Some(file) = SchemaFile::read(&args.file) else {
        return Outcome::Failure;
    };
    let options = Options {
        schema_display: file.name.clone(),
        schema_abs: None,
        record_types: (!args.record_types.is_empty()).then(|| args.record_types.clone()),
        derives: args.derives.clone(),
        runtime_crate: args.runtime_crate.clone(),
    };
    let code = match generate_module(&file.text, &options) {
        Ok(code) => code,
        Err(CodegenError::Schema(error)) => {
            // Already rendered with file:line:col and carets.
            eprintln!("{}", error.to_string().trim_end());
            return Outcome::Failure;
        }
        Err(error @ (CodegenError::BadOption { .. } | CodegenError::UnknownRecordType { .. })) => {
            eprintln!("error: {error}");
            return Outcome::Usage;
        }
        Err(error) => {
            eprintln!("error: {error}");
            return Outcome::Failure;
        }
    };
    let Some(out) = &args.check else {
        print!("{code}");
        return Outcome::Success;
    };
    match fs::read_to_string(out) {
        Ok(existing) if existing == code => Outcome::Success,
        Ok(_) => {
            println!(
                "{}: stale; regenerate it with `cloudkit schema codegen {} > {}`",
                out.display(),
                file.name,
                out.display()
            );
            Outcome::Failure
        }
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", out.display());
            Outcome::Failure
        }
    }
}
