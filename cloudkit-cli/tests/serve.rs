//! `cloudkit serve`: the real binary, a real HTTP request on loopback, a clean Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};

fn cloudkit() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cloudkit"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// One HTTP/1.1 GET over a plain socket; returns the whole response text.
fn get(base_url: &str, path: &str) -> String {
    let host = base_url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("the emulator accepts connections");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("request is sent");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("response is read");
    response
}

#[test]
fn serves_until_interrupted_and_exports_the_schema() {
    let export = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-export.ckdb");
    let _ = std::fs::remove_file(&export);
    let mut child = cloudkit()
        .args([
            "serve",
            "--schema",
            "tests/fixtures/notes.ckdb",
            "--container",
            "iCloud.com.example.notes",
            "--api-token",
            "test-token",
            "--sign-in",
            "alice",
            "--export-schema",
        ])
        .arg(&export)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cloudkit serve starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines
        .next()
        .and_then(Result::ok)
        .expect("a first line with the URL");
    assert!(
        first.starts_with("CloudKit emulator for iCloud.com.example.notes (development) listening on http://127.0.0.1:"),
        "{first}"
    );
    let base_url = first.rsplit(' ').next().expect("the URL ends the line");
    let token_line = lines
        .next()
        .and_then(Result::ok)
        .expect("a line with alice's token");
    let token = token_line
        .strip_prefix("web auth token for alice: ")
        .unwrap_or_else(|| panic!("unexpected line {token_line}"));
    assert!(!token.is_empty());
    let encoded: String = token
        .chars()
        .map(|c| match c {
            '+' => "%2B".to_owned(),
            '/' => "%2F".to_owned(),
            '=' => "%3D".to_owned(),
            c => c.to_string(),
        })
        .collect();
    let private = get(
        base_url,
        &format!(
            "/database/1/iCloud.com.example.notes/development/private/zones/list?ckAPIToken=test-token&ckWebAuthToken={encoded}"
        ),
    );
    assert!(private.starts_with("HTTP/1.1 200"), "{private}");

    let response = get(
        base_url,
        "/database/1/iCloud.com.example.notes/development/public/zones/list?ckAPIToken=test-token",
    );
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("_defaultZone"), "{response}");

    let unauthenticated = get(
        base_url,
        "/database/1/iCloud.com.example.notes/development/public/zones/list",
    );
    assert!(
        unauthenticated.contains("AUTHENTICATION_FAILED")
            || unauthenticated.contains("AUTHENTICATION_REQUIRED"),
        "{unauthenticated}"
    );

    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = child.wait().expect("cloudkit serve exits");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(exit.success(), "exit {exit:?}, output {rest:?}");
    assert!(
        rest.iter().any(|l| l.starts_with("schema written to")),
        "{rest:?}"
    );
    let exported = std::fs::read_to_string(&export).expect("the schema was exported");
    assert!(exported.starts_with("DEFINE SCHEMA\n"), "{exported}");
    assert!(exported.contains("RECORD TYPE Note ("), "{exported}");
}

#[test]
fn a_bad_server_key_argument_is_a_usage_error() {
    let output = cloudkit()
        .args([
            "serve",
            "--container",
            "iCloud.x",
            "--server-key",
            "no-equals-sign",
        ])
        .output()
        .expect("cloudkit runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("expected KEY_ID=PEM_FILE"), "{stderr}");
}

#[test]
fn a_missing_schema_file_is_reported() {
    let output = cloudkit()
        .args([
            "serve",
            "--container",
            "iCloud.x",
            "--schema",
            "tests/fixtures/absent.ckdb",
        ])
        .output()
        .expect("cloudkit runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("absent.ckdb"), "{stderr}");
}

#[test]
fn host_picks_the_listening_address() {
    let mut child = cloudkit()
        .args(["serve", "--container", "iCloud.x", "--host", "127.0.0.2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cloudkit serve starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let first = BufReader::new(stdout)
        .lines()
        .next()
        .and_then(Result::ok)
        .expect("a first line with the URL");
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();
    assert!(first.contains("listening on http://127.0.0.2:"), "{first}");

    let bad = cloudkit()
        .args(["serve", "--container", "iCloud.x", "--host", "localhost:80"])
        .output()
        .expect("cloudkit runs");
    assert_eq!(bad.status.code(), Some(2));
}

/// Serves, sends one request with a wrong API token, stops; everything written to stderr.
fn stderr_of_one_refused_request(extra: &[&str]) -> String {
    let mut child = cloudkit()
        .args([
            "serve",
            "--container",
            "iCloud.com.example.notes",
            "--api-token",
            "test-token",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cloudkit serve starts");
    // Kept open to the end: the server still prints to it.
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
    let first = stdout
        .next()
        .and_then(Result::ok)
        .expect("a first line with the URL");
    let base_url = first.rsplit(' ').next().expect("the URL ends the line");
    let refused = get(
        base_url,
        "/database/1/iCloud.com.example.notes/development/public/zones/list?ckAPIToken=secret-wrong-token",
    );
    assert!(refused.starts_with("HTTP/1.1 4"), "{refused}");
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let output = child.wait_with_output().expect("cloudkit serve exits");
    assert!(output.status.success(), "{output:?}");
    drop(stdout);
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn logs_one_line_per_request_unless_quiet() {
    let stderr = stderr_of_one_refused_request(&[]);
    let line = stderr
        .lines()
        .find(|l| l.contains("/zones/list"))
        .unwrap_or_else(|| panic!("no request line in {stderr:?}"));
    assert!(
        line.contains(
            "GET /database/1/iCloud.com.example.notes/development/public/zones/list 401 AUTHENTICATION_FAILED"
        ),
        "{line}"
    );
    assert!(line.ends_with("ms"), "{line}");
    // Not a terminal: no color. And the token in the query string is never logged.
    assert!(!line.contains('\u{1b}'), "{line}");
    assert!(!stderr.contains("secret-wrong-token"), "{stderr}");

    let quiet = stderr_of_one_refused_request(&["--quiet"]);
    assert!(!quiet.contains("zones/list"), "{quiet}");
}
