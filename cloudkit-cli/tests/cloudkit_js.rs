//! The CloudKit JS conformance suite (`conformance/cloudkit-js/`): Apple's CloudKit JS 2.6.4 in
//! Node against the real `cloudkit serve`.
//!
//! CloudKit JS comes from `npm pack tsl-apple-cloudkit@0.2.34`, unpacked (never installed: its
//! install script downloads from Apple's CDN) into a cache under `CARGO_TARGET_TMPDIR`. Without
//! `node`/`npm`, or when `npm pack` fails (no registry), the test prints why and passes; in CI
//! (`CI=true`) a missing `node`/`npm` fails it instead.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

const PACKAGE: &str = "tsl-apple-cloudkit@0.2.34";
const CONTAINER: &str = "iCloud.com.example.conformance";
const THROTTLED_CONTAINER: &str = "iCloud.com.example.throttled";
const API_TOKEN: &str = "conformance-api-token";
const KEY_ID: &str = "conformance-key";
/// The whole suite normally takes well under a minute; this only stops a hung run.
const SUITE_DEADLINE: Duration = Duration::from_secs(540);

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate sits in the workspace")
        .to_path_buf()
}

fn cloudkit() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cloudkit"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// Why the suite cannot run here, or `None` when `program --version` works.
fn missing(program: &str) -> Option<String> {
    match Command::new(program).arg("--version").output() {
        Ok(out) if out.status.success() => None,
        Ok(out) => Some(format!("`{program} --version` exited with {}", out.status)),
        Err(e) => Some(format!("`{program}` cannot be run: {e}")),
    }
}

/// Unpacks CloudKit JS into `cache` (once) and returns the path of `lib/index.js`.
fn fetch_cloudkit_js(cache: &Path) -> Result<PathBuf, String> {
    let lib = cache.join("package/lib/index.js");
    if lib.is_file() {
        return Ok(lib);
    }
    std::fs::create_dir_all(cache)
        .map_err(|e| format!("cannot create {}: {e}", cache.display()))?;
    let pack = Command::new("npm")
        .args([
            "pack",
            PACKAGE,
            "--ignore-scripts",
            "--silent",
            "--pack-destination",
        ])
        .arg(cache)
        .output()
        .map_err(|e| format!("npm pack cannot run: {e}"))?;
    if !pack.status.success() {
        return Err(format!(
            "`npm pack {PACKAGE}` failed ({}): {}",
            pack.status,
            String::from_utf8_lossy(&pack.stderr).trim()
        ));
    }
    let tarball = String::from_utf8_lossy(&pack.stdout).trim().to_owned();
    let untar = Command::new("tar")
        .arg("xzf")
        .arg(cache.join(&tarball))
        .arg("-C")
        .arg(cache)
        .status()
        .map_err(|e| format!("tar cannot run: {e}"))?;
    if !untar.success() || !lib.is_file() {
        return Err(format!("{tarball} did not unpack to package/lib/index.js"));
    }
    Ok(lib)
}

/// The CloudKit JS version string compiled into the bundle, e.g. `2.6.4`.
fn bundled_version(lib: &Path) -> Option<String> {
    let text = std::fs::read_to_string(lib).ok()?;
    // The version module is `t["default"]="2.6.4"` right after the build-number module.
    let at = text.find("\"2420ProjectDev22\"")?;
    let rest = &text[at..];
    let start = rest.find("t[\"default\"]=\"")? + "t[\"default\"]=\"".len();
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].to_owned())
}

/// A running `cloudkit serve`: its URL, the tokens it printed, and a clean Ctrl-C on drop.
struct Served {
    child: Child,
    base_url: String,
    tokens: HashMap<String, String>,
    // Kept open so that the emulator's last lines never meet a closed pipe.
    _stdout: std::io::Lines<BufReader<ChildStdout>>,
}

impl Served {
    fn start(args: &[&str]) -> Served {
        let mut child = cloudkit()
            .args(["serve", "--quiet"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("cloudkit serve starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let mut base_url = String::new();
        let mut tokens = HashMap::new();
        for line in lines.by_ref() {
            let line = line.expect("cloudkit serve prints lines");
            if let Some((_, url)) = line.split_once(" listening on ") {
                base_url = url.to_owned();
            } else if let Some(rest) = line.strip_prefix("web auth token for ") {
                let (name, token) = rest.split_once(": ").expect("NAME: TOKEN");
                tokens.insert(name.to_owned(), token.to_owned());
            } else if line.starts_with("press Ctrl-C") {
                break;
            }
        }
        assert!(
            base_url.starts_with("http://127.0.0.1:"),
            "no URL from cloudkit serve {args:?}"
        );
        Served {
            child,
            base_url,
            tokens,
            _stdout: lines,
        }
    }

    fn token(&self, user: &str) -> String {
        self.tokens
            .get(user)
            .cloned()
            .unwrap_or_else(|| panic!("no token for {user}"))
    }

    fn stop(mut self) {
        self.interrupt();
    }

    fn interrupt(&mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.interrupt();
        }
    }
}

fn key_pair(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let private = dir.join(format!("{name}.pem"));
    let public = dir.join(format!("{name}.pub.pem"));
    let status = cloudkit()
        .args(["key", "new", "--force", "-o"])
        .arg(&private)
        .arg("--public-out")
        .arg(&public)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("cloudkit key new runs");
    assert!(status.success(), "cloudkit key new failed");
    (private, public)
}

/// Runs the suite with a deadline; returns its exit success and its output.
fn run_suite(env: &[(&str, String)]) -> (bool, String) {
    let mut child = Command::new("node")
        .arg(workspace().join("conformance/cloudkit-js/suite.js"))
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env_remove("CKJS_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node starts");
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("node can be waited for") {
            break Some(status);
        }
        if started.elapsed() > SUITE_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = reader.join().unwrap_or_default();
    println!("{output}");
    eprintln!("suite took {:.1} s", started.elapsed().as_secs_f64());
    (status.is_some_and(|s| s.success()), output)
}

/// `(passed, failed)` from the last line, `N passed, N failed`.
fn counts(output: &str) -> Option<(usize, usize)> {
    let last = output.lines().rev().find(|l| !l.trim().is_empty())?;
    let (passed, failed) = last.split_once(" passed, ")?;
    Some((
        passed.parse().ok()?,
        failed.strip_suffix(" failed")?.parse().ok()?,
    ))
}

#[test]
fn cloudkit_js_conforms() {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    for program in ["node", "npm"] {
        if let Some(reason) = missing(program) {
            assert!(
                !ci,
                "CI=true and the CloudKit JS suite cannot run: {reason}"
            );
            println!("skipped: the CloudKit JS conformance suite needs {program}: {reason}");
            return;
        }
    }
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cloudkit-js");
    let lib = match fetch_cloudkit_js(&cache) {
        Ok(lib) => lib,
        Err(reason) => {
            println!("skipped: CloudKit JS cannot be had: {reason}");
            return;
        }
    };
    let version = bundled_version(&lib);
    println!(
        "CloudKit JS {} from {PACKAGE}",
        version.as_deref().unwrap_or("(version not found)")
    );
    assert_eq!(
        version.as_deref(),
        Some("2.6.4"),
        "the package no longer ships CloudKit JS 2.6.4"
    );

    let run_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cloudkit-js-run");
    let _ = std::fs::remove_dir_all(&run_dir);
    std::fs::create_dir_all(&run_dir).expect("run directory");
    let (private_key, public_key) = key_pair(&run_dir, "registered");
    let (other_key, _) = key_pair(&run_dir, "unregistered");
    let server_key = format!("{KEY_ID}={}", public_key.display());

    let second = format!("{CONTAINER}.second");
    let main = Served::start(&[
        "--schema",
        "tests/fixtures/conformance/conformance.ckdb",
        "--container",
        CONTAINER,
        "--container",
        &second,
        "--api-token",
        API_TOKEN,
        "--sign-in",
        "alice",
        "--sign-in",
        "bob",
        "--server-key",
        &server_key,
    ]);
    let throttled = Served::start(&[
        "--container",
        THROTTLED_CONTAINER,
        "--faults",
        "throttled=1,retry_after=3",
        "--server-key",
        &server_key,
    ]);
    // Sign in on an emulator with a data file, restart it on the same file, keep the old token.
    let data = run_dir.join("restarted.sqlite");
    let data_arg = data.display().to_string();
    let durable = [
        "--container",
        CONTAINER,
        "--api-token",
        API_TOKEN,
        "--data",
        &data_arg,
    ];
    let before = Served::start(&[&durable[..], &["--sign-in", "alice"][..]].concat());
    let restarted_token = before.token("alice");
    before.stop();
    let restarted = Served::start(&durable);

    let env = [
        ("CKJS_LIB", lib.display().to_string()),
        ("CKJS_BASE_URL", main.base_url.clone()),
        ("CKJS_CONTAINER", CONTAINER.to_owned()),
        ("CKJS_API_TOKEN", API_TOKEN.to_owned()),
        ("CKJS_KEY_ID", KEY_ID.to_owned()),
        ("CKJS_KEY_FILE", private_key.display().to_string()),
        ("CKJS_OTHER_KEY_FILE", other_key.display().to_string()),
        ("CKJS_ALICE_TOKEN", main.token("alice")),
        ("CKJS_BOB_TOKEN", main.token("bob")),
        ("CKJS_THROTTLED_URL", throttled.base_url.clone()),
        ("CKJS_THROTTLED_CONTAINER", THROTTLED_CONTAINER.to_owned()),
        ("CKJS_RESTARTED_URL", restarted.base_url.clone()),
        ("CKJS_RESTARTED_TOKEN", restarted_token),
    ];
    let (success, output) = run_suite(&env);
    let checks = output
        .lines()
        .filter(|l| l.starts_with("ok ") || l.starts_with("not ok "))
        .count();
    let (passed, failed) =
        counts(&output).unwrap_or_else(|| panic!("no `N passed, N failed` line"));
    assert_eq!(
        failed, 0,
        "unexpected failures in the CloudKit JS suite (see the output above)"
    );
    assert!(success, "the suite exited unsuccessfully");
    assert!(checks >= 60, "only {checks} checks ran");
    assert!(passed >= 60, "only {passed} checks passed");
}
