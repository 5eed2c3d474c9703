//! The build.rs entry point, in the prost-build / tonic-build pattern.

use std::path::{Path, PathBuf};

use crate::module::{CodegenError, Options, generate};
use crate::schema_file::{self, LoadError};

/// Generates record structs from a schema file in a build script.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     cloudkit_codegen::Builder::new("schema/notes.ckdb")
///         .record_types(["Note", "Folder"])
///         .derive("PartialEq")
///         .module("notes")
///         .generate()?;
///     Ok(())
/// }
/// ```
///
/// and in the crate: `mod records { cloudkit_runtime::include_records!("notes"); }`.
#[derive(Debug, Clone)]
pub struct Builder {
    schema: PathBuf,
    module: String,
    out_dir: Option<PathBuf>,
    options: Options,
    core_data: bool,
}

impl Builder {
    /// A builder for the schema at `schema`, relative to `CARGO_MANIFEST_DIR` (or absolute).
    pub fn new(schema: impl AsRef<Path>) -> Self {
        let schema = schema.as_ref().to_path_buf();
        Builder {
            options: Options {
                schema_display: schema.display().to_string(),
                ..Options::default()
            },
            schema,
            module: "cloudkit_records".to_owned(),
            out_dir: None,
            core_data: false,
        }
    }

    /// Generates only these record types (default: every type whose name is a Rust
    /// identifier, except `Users`). Names that are not identifiers (`cloudkit.share`) may be
    /// listed here; their struct name is made from the parts (`CloudkitShare`).
    pub fn record_types<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.options.record_types = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Adds a derive to every generated struct (`"PartialEq"`, `"serde::Serialize"`).
    /// `Debug`, `Clone` and `Default` are always derived (every field is an `Option`).
    pub fn derive(mut self, path: impl Into<String>) -> Self {
        self.options.derives.push(path.into());
        self
    }

    /// The output file's name without `.rs` (default `cloudkit_records`); pass the same name
    /// to `include_records!`.
    pub fn module(mut self, name: impl Into<String>) -> Self {
        self.module = name.into();
        self
    }

    /// Where the runtime crate is, if it is renamed (default `::cloudkit_runtime`).
    pub fn runtime_crate(mut self, path: impl Into<String>) -> Self {
        self.options.runtime_crate = path.into();
        self
    }

    /// Generates each `CD_` record type (one that NSPersistentCloudKitContainer mirrors for a
    /// Core Data or SwiftData app) as `#[cloudkit(core_data)]` would map it: record type
    /// `CD_TodoItem` becomes struct `TodoItem`, field `CD_completionTime` becomes
    /// `completion_time`, and `CD_entityName` is left out of the struct and written with every
    /// record as the entity's name. Other record types are generated as usual.
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() -> Result<(), Box<dyn std::error::Error>> {
    ///     cloudkit_codegen::Builder::new("schema/todo.ckdb")
    ///         .record_types(["CD_TodoItem"])
    ///         .core_data(true)
    ///         .generate()?;
    ///     Ok(())
    /// }
    /// ```
    pub fn core_data(mut self, on: bool) -> Self {
        self.core_data = on;
        self
    }

    /// Writes to this directory instead of `OUT_DIR` (for tests and the CLI).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates the file. Writes it only if its content changed, so nothing downstream
    /// rebuilds needlessly, and prints `cargo:rerun-if-changed` for the schema.
    /// Returns the path of the generated file.
    pub fn generate(self) -> Result<PathBuf, CodegenError> {
        let display = self.schema.display().to_string();
        let abs = schema_file::resolve(&display).map_err(CodegenError::Schema)?;
        println!("cargo:rerun-if-changed={}", abs.display());
        let source = std::fs::read_to_string(&abs).map_err(|e| {
            CodegenError::Schema(LoadError::Unreadable {
                path: abs.clone(),
                reason: e.to_string(),
            })
        })?;
        let options = Options {
            schema_abs: Some(abs),
            ..self.options
        };
        let code = generate(&source, &options, self.core_data)?;
        let dir = match self.out_dir {
            Some(dir) => dir,
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| CodegenError::Io {
                    path: PathBuf::from("$OUT_DIR"),
                    source: std::io::Error::other(
                        "OUT_DIR is not set; call generate() from a build script or set out_dir()",
                    ),
                })?,
        };
        let path = dir.join(format!("{}.rs", self.module));
        let unchanged = std::fs::read_to_string(&path).is_ok_and(|old| old == code);
        if !unchanged {
            std::fs::write(&path, code).map_err(|source| CodegenError::Io {
                path: path.clone(),
                source,
            })?;
        }
        Ok(path)
    }
}
