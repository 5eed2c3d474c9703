//! Runs the built `cloudkit` binary on fixture files and checks exit codes and output.
//!
//! Every command runs with the crate folder as its working directory and relative paths, so
//! the file names in snapshots do not depend on where the repository is checked out.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

mod check;
mod codegen;
mod diff;
mod fmt_command;
mod show;

/// The outcome of one `cloudkit` run.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl fmt::Display for Run {
    /// The form snapshots record: exit code, then both streams.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "exit: {}", self.code)?;
        writeln!(f, "--- stdout")?;
        f.write_str(&self.stdout)?;
        writeln!(f, "--- stderr")?;
        f.write_str(&self.stderr)
    }
}

/// Runs `cloudkit ARGS…` in the crate folder.
fn cloudkit(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_cloudkit"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the cloudkit binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The real exported schemas, relative to the crate folder, or `None` (with a message) when
/// this checkout has no shared test data.
fn real_schemas() -> Option<(&'static str, Vec<String>)> {
    const REAL: &str = "../../shared/testdata/schemas/real";
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(REAL);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipping: {} is absent", dir.display());
        return None;
    };
    let mut files: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".ckdb"))
        .map(|name| format!("{REAL}/{name}"))
        .collect();
    files.sort();
    Some((REAL, files))
}

/// A fresh scratch copy of fixture `name`, for commands that write.
fn scratch_copy(name: &str, test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(test);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let path = dir.join(name);
    std::fs::copy(fixture(name), &path).expect("fixture copies");
    path
}

/// The absolute path of fixture `name`.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}
