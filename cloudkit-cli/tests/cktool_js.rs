//! Apple's CKTool JS (npm `@apple/cktool.database` 1.3.2 and its siblings) in Node against the
//! real `cloudkit serve --management-token`: the management API as Apple's own client uses it
//! (`conformance/cktool-js/suite.js`).
//!
//! The packages are installed with `npm install --ignore-scripts` into a cache under
//! `CARGO_TARGET_TMPDIR`, never vendored (their license forbids derived works). Without
//! `node`/`npm`, or when the install fails (no registry), the test prints why and passes; in CI
//! (`CI=true`) a missing `node`/`npm` fails it instead.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const PACKAGES: [&str; 2] = [
    "@apple/cktool.database@1.3.2",
    "@apple/cktool.target.nodejs@1.3.2",
];
const TOKEN: &str = "cktool-management-token";
const TEAM: &str = "CKTOOLTEAM";
const CONTAINER: &str = "iCloud.com.example.cktool";
const OTHER: &str = "iCloud.com.example.cktool.other";
const API_TOKEN: &str = "cktool-api-token";

fn missing(program: &str) -> Option<String> {
    match Command::new(program).arg("--version").output() {
        Ok(out) if out.status.success() => None,
        Ok(out) => Some(format!("`{program} --version` exited with {}", out.status)),
        Err(e) => Some(format!("`{program}` cannot be run: {e}")),
    }
}

/// Installs CKTool JS into `cache` (once); returns its `node_modules`.
fn install(cache: &Path) -> Result<PathBuf, String> {
    let modules = cache.join("node_modules");
    if modules
        .join("@apple/cktool.database/package.json")
        .is_file()
        && modules
            .join("@apple/cktool.target.nodejs/package.json")
            .is_file()
    {
        return Ok(modules);
    }
    std::fs::create_dir_all(cache)
        .map_err(|e| format!("cannot create {}: {e}", cache.display()))?;
    std::fs::write(
        cache.join("package.json"),
        "{\"name\":\"cktool-conformance\",\"version\":\"1.0.0\",\"private\":true}\n",
    )
    .map_err(|e| format!("cannot write package.json: {e}"))?;
    let out = Command::new("npm")
        .args([
            "install",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--silent",
            "--prefix",
        ])
        .arg(cache)
        .args(PACKAGES)
        .output()
        .map_err(|e| format!("npm install cannot run: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`npm install {}` failed ({}): {}",
            PACKAGES.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(modules)
}

#[test]
fn cktool_js_drives_the_management_api() {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    for program in ["node", "npm"] {
        if let Some(reason) = missing(program) {
            assert!(!ci, "CI=true and the CKTool JS suite cannot run: {reason}");
            println!("skipped: the CKTool JS suite needs {program}: {reason}");
            return;
        }
    }
    let modules = match install(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("cktool-js")) {
        Ok(modules) => modules,
        Err(reason) => {
            println!("skipped: CKTool JS cannot be had: {reason}");
            return;
        }
    };
    let mut serve = Command::new(env!("CARGO_BIN_EXE_cloudkit"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "serve",
            "--quiet",
            "--schema",
            "tests/fixtures/conformance/conformance.ckdb",
            "--container",
            CONTAINER,
            "--container",
            OTHER,
            "--management-token",
            TOKEN,
            "--team",
            TEAM,
            "--api-token",
            API_TOKEN,
            "--sign-in",
            "alice",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("cloudkit serve starts");
    let mut lines = BufReader::new(serve.stdout.take().expect("stdout is piped")).lines();
    let mut url = String::new();
    let mut web_auth_token = String::new();
    for line in lines.by_ref().map_while(Result::ok) {
        if let Some((_, found)) = line.split_once(" listening on ") {
            url = found.to_owned();
        } else if let Some(token) = line.strip_prefix("web auth token for alice: ") {
            web_auth_token = token.to_owned();
        } else if line.starts_with("press Ctrl-C") {
            break;
        }
    }
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "cloudkit serve prints its URL"
    );
    let output = Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/cktool-js/suite.js"))
        .env("CKTOOL_MODULES", &modules)
        .env("CKTOOL_URL", &url)
        .env("CKTOOL_TOKEN", TOKEN)
        .env("CKTOOL_TEAM", TEAM)
        .env("CKTOOL_CONTAINER", CONTAINER)
        .env("CKTOOL_OTHER_CONTAINER", OTHER)
        .env("CKTOOL_API_TOKEN", API_TOKEN)
        .env("CKTOOL_WEB_AUTH_TOKEN", &web_auth_token)
        .output()
        .expect("node runs");
    let _ = Command::new("kill")
        .args(["-INT", &serve.id().to_string()])
        .status();
    let _ = serve.wait();
    drop(lines);
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    let last = stdout
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    assert!(
        last.ends_with(" passed, 0 failed"),
        "CKTool JS suite: {last}"
    );
    assert!(output.status.success(), "the suite exited unsuccessfully");
    let passed: usize = last
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(passed >= 22, "only {passed} checks passed");
}
