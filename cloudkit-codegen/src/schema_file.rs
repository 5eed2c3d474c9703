//! Finding, reading, parsing and caching the schema file a struct names.
//!
//! A proc macro runs in a long-lived process (rustc, and rust-analyzer for hours), once per
//! derived struct. Parsing the same `.ckdb` two hundred times would be waste, and serving a
//! parse of yesterday's file would be wrong. So, as sqlx does, parsed schemas are cached by
//! absolute path and re-validated on every call by modification time and length: an edited
//! file is always parsed again.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use cloudkit_schema::Schema;

/// A parsed and checked schema, with what is needed to point at it in messages.
#[derive(Debug)]
pub struct LoadedSchema {
    /// The path as the user wrote it (`schema/notes.ckdb`), used in messages.
    pub display: String,
    /// The absolute path, when the schema came from a file; generated code `include_bytes!`
    /// it so that cargo rebuilds when it changes.
    pub abs_path: Option<PathBuf>,
    /// The checked model.
    pub schema: Schema,
}

impl LoadedSchema {
    /// Parses and checks `source`; `display` names it in messages.
    pub fn from_source(
        display: &str,
        abs_path: Option<PathBuf>,
        source: &str,
    ) -> Result<LoadedSchema, LoadError> {
        match cloudkit_schema::parse_and_check(source) {
            Ok(checked) => Ok(LoadedSchema {
                display: display.to_owned(),
                abs_path,
                schema: checked.schema,
            }),
            Err(diagnostics) => {
                let rendered: Vec<String> = diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| d.render(display, source))
                    .collect();
                Err(LoadError::Invalid {
                    display: display.to_owned(),
                    rendered: rendered.join("\n"),
                })
            }
        }
    }

    /// `FILE:LINE:COL` of a span in this schema.
    pub fn location(&self, span: cloudkit_schema::Span) -> String {
        format!("{}:{}:{}", self.display, span.start.line, span.start.column)
    }
}

/// Why a schema could not be used.
#[derive(Debug, Clone)]
pub enum LoadError {
    /// `CARGO_MANIFEST_DIR` is not set, so a relative path cannot be resolved.
    NoManifestDir,
    /// The file could not be read.
    Unreadable {
        /// The resolved absolute path that was tried.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// The file has schema errors.
    Invalid {
        /// The path as written.
        display: String,
        /// The schema crate's rendered diagnostics (file:line:col, source line, caret).
        rendered: String,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NoManifestDir => f.write_str(
                "CARGO_MANIFEST_DIR is not set, so the schema path cannot be resolved; build with cargo",
            ),
            LoadError::Unreadable { path, reason } => {
                write!(f, "cannot read schema file `{}`: {reason}", path.display())
            }
            LoadError::Invalid { display, rendered } => {
                write!(f, "schema file `{display}` has errors:\n{rendered}")
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// Resolves `relative` against the crate being compiled (`CARGO_MANIFEST_DIR`).
pub fn resolve(relative: &str) -> Result<PathBuf, LoadError> {
    let path = Path::new(relative);
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").ok_or(LoadError::NoManifestDir)?;
    Ok(PathBuf::from(dir).join(path))
}

struct Entry {
    modified: Option<SystemTime>,
    len: u64,
    result: Result<Arc<LoadedSchema>, LoadError>,
}

type Cache = Mutex<HashMap<(PathBuf, String), Entry>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Whether generated code in this process still needs to `include_bytes!` the schema at
/// `path`; true only the first time per path.
///
/// One inclusion per crate is enough for cargo to rebuild when the schema changes, and every
/// derive of a crate is expanded in the same rustc process. Including a large schema once per
/// struct would copy it into the compiler hundreds of times.
pub fn claim_include(path: &Path) -> bool {
    static INCLUDED: OnceLock<Mutex<std::collections::HashSet<PathBuf>>> = OnceLock::new();
    let mut set = INCLUDED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    set.insert(path.to_path_buf())
}

/// Loads the schema at `path` (absolute), from the cache when the file is unchanged.
pub fn load(path: &Path, display: &str) -> Result<Arc<LoadedSchema>, LoadError> {
    let unreadable = |e: std::io::Error| LoadError::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    let modified = meta.modified().ok();
    let len = meta.len();
    let key = (path.to_path_buf(), display.to_owned());
    // A poisoned lock only means another expansion panicked mid-insert; the map is still usable.
    let mut map = cache().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(entry) = map.get(&key) {
        // Without an mtime there is no way to know the file is unchanged: read it again.
        if entry.modified.is_some() && entry.modified == modified && entry.len == len {
            return entry.result.clone();
        }
    }
    let source = std::fs::read_to_string(path).map_err(unreadable)?;
    // The canonical path reads better in generated code; fall back to the path as resolved.
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let result = LoadedSchema::from_source(display, Some(canonical), &source).map(Arc::new);
    map.insert(
        key,
        Entry {
            modified,
            len,
            result: result.clone(),
        },
    );
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_file_is_parsed_again() {
        let dir = std::env::temp_dir().join(format!("ck-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let path = dir.join("a.ckdb");
        std::fs::write(&path, "DEFINE SCHEMA\nRECORD TYPE A (x STRING);\n").ok();
        let first = load(&path, "a.ckdb").ok();
        assert!(first.is_some_and(|s| s.schema.record_type("A").is_some()));
        // Different length, so the change is seen even within one mtime tick.
        std::fs::write(&path, "DEFINE SCHEMA\nRECORD TYPE Bb (x STRING);\n").ok();
        let second = load(&path, "a.ckdb").ok();
        assert!(second.is_some_and(|s| s.schema.record_type("Bb").is_some()));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_missing_file_names_the_resolved_path() {
        let error = load(Path::new("/nonexistent/x.ckdb"), "x.ckdb").err();
        assert!(error.is_some_and(|e| e.to_string().contains("/nonexistent/x.ckdb")));
    }
}
