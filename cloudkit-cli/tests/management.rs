//! `cloudkit schema pull/push/validate/reset/drift/plan` end to end: the real binary over real
//! HTTP on 127.0.0.1.
//!
//! The server here is a STAND-IN: a few lines of axum that serve the spec's example answers
//! (`spec/management-api.md` §4) for the five endpoints these commands use, until
//! cloudkit-emulator serves the v1 management API. Tests named `stand_in_server_*` switch to
//! the emulator then; the others need no server.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};

const TOKEN: &str = "test-management-token-0123";
const TEAM: &str = "ABCDE12345";
const CONTAINER: &str = "iCloud.com.example.notes";

const PRODUCTION: &str =
    "DEFINE SCHEMA\n\n    RECORD TYPE Note (\n        title STRING QUERYABLE\n    );\n";
const DEVELOPMENT: &str = "DEFINE SCHEMA\n\n    RECORD TYPE Note (\n        body STRING,\n        title STRING QUERYABLE\n    );\n";

/// What the stand-in holds and what it was asked.
#[derive(Default)]
struct Live {
    development: String,
    production: String,
    imports: usize,
    resets: usize,
    requests: usize,
    /// Answer this many exports with 503 before serving them.
    busy_exports: usize,
}

type Shared = Arc<Mutex<Live>>;

fn error(status: StatusCode, reason: &str, message: &str) -> Response {
    // §8.1 RequestError.
    let body = serde_json::json!({"code": status.as_u16(), "message": message, "reason": reason});
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// The 401 answer for a missing or wrong token, or `None` when the token is right.
fn rejected(live: &Shared, headers: &HeaderMap) -> Option<Response> {
    live.lock().expect("lock").requests += 1;
    match headers.get("X-Apple-CloudKit-Management-Token") {
        Some(token) if token == TOKEN => None,
        _ => Some(error(
            StatusCode::UNAUTHORIZED,
            "AUTHENTICATION_FAILED",
            "bad management token",
        )),
    }
}

/// The `file` part of the fixed-boundary upload (§4.4).
fn uploaded(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let start = text.find("\r\n\r\n").map_or(0, |i| i + 4);
    let end = text
        .rfind("\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW--")
        .unwrap_or(text.len());
    text[start..end.max(start)].to_owned()
}

async fn teams(State(live): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(e) = rejected(&live, &headers) {
        return e;
    }
    let body = r#"{"teams":[{"teamId":"ABCDE12345","teamName":"Example Inc."}]}"#;
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// §4.2 with paging: two containers per page, `startingAfterKey` continues.
async fn containers(
    State(live): State<Shared>,
    axum::extract::Path(team): axum::extract::Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    headers: HeaderMap,
) -> Response {
    if let Some(e) = rejected(&live, &headers) {
        return e;
    }
    if team != TEAM {
        return error(StatusCode::NOT_FOUND, "NOT_FOUND", "no such team");
    }
    let ids = ["iCloud.a", "iCloud.b", "iCloud.c"];
    let after = query
        .as_deref()
        .and_then(|q| q.strip_prefix("startingAfterKey="))
        .map(str::to_owned);
    let start = after
        .and_then(|key| ids.iter().position(|id| *id == key).map(|i| i + 1))
        .unwrap_or(0);
    let page: Vec<_> = ids[start..].iter().take(2).collect();
    let containers: Vec<_> = page
        .iter()
        .map(|id| serde_json::json!({"id": id, "teamId": TEAM, "name": id}))
        .collect();
    let mut body = serde_json::json!({ "containers": containers });
    if start + 2 < ids.len() {
        body["nextKey"] = serde_json::json!(page.last());
    }
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn export(
    State(live): State<Shared>,
    axum::extract::Path((team, container, env)): axum::extract::Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(e) = rejected(&live, &headers) {
        return e;
    }
    if team != TEAM || container != CONTAINER {
        return error(StatusCode::NOT_FOUND, "NOT_FOUND", "no such container");
    }
    let mut live = live.lock().expect("lock");
    if live.busy_exports > 0 {
        live.busy_exports -= 1;
        let mut busy = error(StatusCode::SERVICE_UNAVAILABLE, "TRY_AGAIN_LATER", "busy");
        busy.headers_mut()
            .insert(header::RETRY_AFTER, "0".parse().expect("header"));
        return busy;
    }
    let text = match env.as_str() {
        "DEVELOPMENT" => live.development.clone(),
        "PRODUCTION" => live.production.clone(),
        _ => return error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "environment"),
    };
    // §4.3: text with an attachment disposition.
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"schema.ckdb\"",
            ),
        ],
        text,
    )
        .into_response()
}

async fn validate(State(live): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(e) = rejected(&live, &headers) {
        return e;
    }
    let answer = if uploaded(&body).contains("Refused") {
        r#"{"isValid":false,"errorMessage":"Record type 'Refused' is not allowed"}"#
    } else {
        r#"{"isValid":true}"#
    };
    ([(header::CONTENT_TYPE, "application/json")], answer).into_response()
}

async fn import(State(live): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(e) = rejected(&live, &headers) {
        return e;
    }
    let multipart = "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW";
    if headers
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v != multipart)
    {
        return error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "expected a multipart upload",
        );
    }
    let mut live = live.lock().expect("lock");
    live.development = uploaded(&body);
    live.imports += 1;
    StatusCode::ACCEPTED.into_response()
}

async fn reset(State(live): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(e) = rejected(&live, &headers) {
        return e;
    }
    let mut live = live.lock().expect("lock");
    live.development = live.production.clone();
    live.resets += 1;
    StatusCode::ACCEPTED.into_response()
}

/// Starts a stand-in on 127.0.0.1 with the two schemas; returns its URL and state.
fn stand_in(development: &str, production: &str) -> (String, Shared) {
    let live: Shared = Arc::new(Mutex::new(Live {
        development: development.to_owned(),
        production: production.to_owned(),
        ..Live::default()
    }));
    let base = "/v1/database/teams/{team}/containers/{container}/environments/{env}";
    let app = Router::new()
        .route("/users/current/teams", get(teams))
        .route("/teams/{team}/containers", get(containers))
        .route(&format!("{base}/schema/export"), get(export))
        .route(&format!("{base}/schema/validate"), post(validate))
        .route(&format!("{base}/schema"), put(import))
        .route(&format!("{base}/reset"), post(reset))
        .with_state(live.clone());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            axum::serve(listener, app).await.expect("serve");
        });
    });
    (url, live)
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("management")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Runs `cloudkit` with credentials in the environment (no config file, no terminal).
fn cloudkit(dir: &Path, url: &str, token: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cloudkit"))
        .current_dir(dir)
        .args(args)
        .env("CLOUDKIT_CONFIG", dir.join("no-config.toml"))
        .env("CLOUDKIT_MANAGEMENT_URL", url)
        .env("CLOUDKIT_MANAGEMENT_TOKEN", token)
        .env("CLOUDKIT_TEAM", TEAM)
        .env("CLOUDKIT_CONTAINER", CONTAINER)
        .stdin(Stdio::null())
        .output()
        .expect("cloudkit runs")
}

fn text(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn formatted(schema: &str) -> String {
    cloudkit_schema::format(
        &cloudkit_schema::parse_and_check(schema)
            .expect("valid")
            .schema,
    )
}

#[test]
fn stand_in_server_pull_writes_the_live_schema_formatted() {
    let dir = scratch("pull");
    let messy = "DEFINE SCHEMA RECORD TYPE Note ( title   STRING QUERYABLE );";
    let (url, _) = stand_in(messy, PRODUCTION);
    let out = cloudkit(&dir, &url, TOKEN, &["schema", "pull", "-o", "live.ckdb"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let written = std::fs::read_to_string(dir.join("live.ckdb")).expect("written");
    assert_eq!(written, formatted(messy));

    let out = cloudkit(
        &dir,
        &url,
        TOKEN,
        &["schema", "pull", "--environment", "production"],
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        formatted(PRODUCTION),
        "{}",
        text(&out)
    );
}

#[test]
fn stand_in_server_push_refuses_destructive_changes_unless_allowed() {
    let dir = scratch("push");
    let (url, live) = stand_in(DEVELOPMENT, PRODUCTION);
    std::fs::write(dir.join("notes.ckdb"), PRODUCTION).expect("write");

    let out = cloudkit(&dir, &url, TOKEN, &["schema", "push", "notes.ckdb"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let shown = text(&out);
    assert!(shown.contains("field Note.body removed"), "{shown}");
    assert!(shown.contains("--allow-destructive"), "{shown}");
    assert_eq!(live.lock().expect("lock").imports, 0, "nothing imported");

    let out = cloudkit(
        &dir,
        &url,
        TOKEN,
        &["schema", "push", "notes.ckdb", "--allow-destructive"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let live = live.lock().expect("lock");
    assert_eq!((live.imports, live.development.as_str()), (1, PRODUCTION));
}

#[test]
fn stand_in_server_push_of_additions_imports_and_a_refused_file_does_not() {
    let dir = scratch("push-add");
    let (url, live) = stand_in(PRODUCTION, PRODUCTION);
    std::fs::write(dir.join("notes.ckdb"), DEVELOPMENT).expect("write");
    let out = cloudkit(&dir, &url, TOKEN, &["schema", "push", "notes.ckdb"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("field Note.body added"),
        "{}",
        text(&out)
    );
    assert_eq!(live.lock().expect("lock").development, DEVELOPMENT);

    std::fs::write(
        dir.join("refused.ckdb"),
        "DEFINE SCHEMA RECORD TYPE Refused ( a STRING );",
    )
    .expect("write");
    let out = cloudkit(&dir, &url, TOKEN, &["schema", "push", "refused.ckdb"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("Record type 'Refused' is not allowed"),
        "{}",
        text(&out)
    );
    assert_eq!(live.lock().expect("lock").imports, 1);
}

#[test]
fn push_to_production_is_refused_plainly_without_a_request() {
    let dir = scratch("push-production");
    let (url, live) = stand_in(DEVELOPMENT, PRODUCTION);
    std::fs::write(dir.join("notes.ckdb"), DEVELOPMENT).expect("write");
    let out = cloudkit(
        &dir,
        &url,
        TOKEN,
        &[
            "schema",
            "push",
            "notes.ckdb",
            "--environment",
            "production",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("cktool import into development only"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("CloudKit Console"), "{}", text(&out));
    assert_eq!(live.lock().expect("lock").requests, 0);
}

#[test]
fn stand_in_server_validate_reports_the_servers_verdict() {
    let dir = scratch("validate");
    let (url, _) = stand_in(DEVELOPMENT, PRODUCTION);
    std::fs::write(dir.join("ok.ckdb"), DEVELOPMENT).expect("write");
    std::fs::write(
        dir.join("refused.ckdb"),
        "DEFINE SCHEMA RECORD TYPE Refused ( a STRING );",
    )
    .expect("write");
    let ok = cloudkit(&dir, &url, TOKEN, &["schema", "validate", "ok.ckdb"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    let refused = cloudkit(&dir, &url, TOKEN, &["schema", "validate", "refused.ckdb"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(text(&refused).contains("Record type 'Refused' is not allowed"));
}

#[test]
fn stand_in_server_drift_names_each_difference_and_exits_1() {
    let dir = scratch("drift");
    let (url, _) = stand_in(DEVELOPMENT, PRODUCTION);
    std::fs::write(dir.join("same.ckdb"), formatted(DEVELOPMENT)).expect("write");
    let same = cloudkit(&dir, &url, TOKEN, &["schema", "drift", "same.ckdb"]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same));

    let file = "DEFINE SCHEMA RECORD TYPE Note ( title STRING QUERYABLE SORTABLE ); RECORD TYPE Folder ( name STRING );";
    std::fs::write(dir.join("notes.ckdb"), file).expect("write");
    let out = cloudkit(&dir, &url, TOKEN, &["schema", "drift", "notes.ckdb"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for line in [
        "only in notes.ckdb: record type Folder",
        "only in notes.ckdb: index SORTABLE on Note.title",
        "only in live development: field Note.body (STRING)",
    ] {
        assert!(stdout.contains(line), "missing `{line}` in\n{stdout}");
    }
    let prod = cloudkit(
        &dir,
        &url,
        TOKEN,
        &[
            "schema",
            "drift",
            "same.ckdb",
            "--environment",
            "production",
        ],
    );
    assert_eq!(prod.status.code(), Some(1), "{}", text(&prod));
    assert!(
        text(&prod).contains("only in same.ckdb: field Note.body"),
        "{}",
        text(&prod)
    );
}

#[test]
fn stand_in_server_plan_shows_the_deployment_and_what_production_lacks() {
    let dir = scratch("plan");
    let (url, _) = stand_in(DEVELOPMENT, PRODUCTION);
    std::fs::write(dir.join("notes.ckdb"), DEVELOPMENT).expect("write");
    let out = cloudkit(&dir, &url, TOKEN, &["schema", "plan", "notes.ckdb"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("deploying development to production: 1 change"),
        "{stdout}"
    );
    assert!(
        stdout.contains("production lacks 1 thing of notes.ckdb"),
        "{stdout}"
    );
    assert!(
        stdout.contains("development holds everything notes.ckdb needs"),
        "{stdout}"
    );

    std::fs::write(dir.join("old.ckdb"), PRODUCTION).expect("write");
    let out = cloudkit(&dir, &url, TOKEN, &["schema", "plan", "old.ckdb"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn stand_in_server_reset_without_a_terminal_needs_yes() {
    let dir = scratch("reset");
    let (url, live) = stand_in(DEVELOPMENT, PRODUCTION);
    let out = cloudkit(&dir, &url, TOKEN, &["schema", "reset"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("pass --yes"), "{}", text(&out));
    assert_eq!(live.lock().expect("lock").requests, 0);

    let out = cloudkit(&dir, &url, TOKEN, &["schema", "reset", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let live = live.lock().expect("lock");
    assert_eq!((live.resets, live.development.as_str()), (1, PRODUCTION));
}

#[test]
fn stand_in_server_a_busy_answer_is_retried_like_the_data_client_does() {
    let dir = scratch("busy");
    let (url, live) = stand_in(DEVELOPMENT, PRODUCTION);
    live.lock().expect("lock").busy_exports = 2;
    let out = cloudkit(&dir, &url, TOKEN, &["schema", "pull"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), formatted(DEVELOPMENT));
    assert_eq!(
        live.lock().expect("lock").requests,
        3,
        "two 503s, then the answer"
    );
}

#[test]
fn stand_in_server_teams_and_every_container_page_through_the_runtime_client() {
    use cloudkit_runtime::management::{ManagementClient, ManagementToken};
    let (url, _) = stand_in(DEVELOPMENT, PRODUCTION);
    let client = ManagementClient::builder()
        .management_token(ManagementToken::new(TOKEN))
        .base_url(url)
        .build()
        .expect("client");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let teams = client.teams().await.expect("teams");
        assert_eq!(teams.teams[0].team_id, TEAM);
        let all = client.all_containers(TEAM).await.expect("containers");
        let ids: Vec<_> = all.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["iCloud.a", "iCloud.b", "iCloud.c"]);
        let missing = client.all_containers("NOPE").await.expect_err("404");
        assert_eq!(missing.status(), Some(404));
        assert_eq!(
            missing.request_error().map(|e| e.reason.as_str()),
            Some("NOT_FOUND")
        );
    });
}

#[test]
fn stand_in_server_a_refused_token_is_reported_but_never_printed() {
    let dir = scratch("bad-token");
    let (url, _) = stand_in(DEVELOPMENT, PRODUCTION);
    let wrong = "wrong-token-should-stay-secret";
    let out = cloudkit(&dir, &url, wrong, &["schema", "pull"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("AUTHENTICATION_FAILED"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains(wrong), "{}", text(&out));
}

#[cfg(unix)]
#[test]
fn a_config_file_others_can_read_is_refused_when_it_holds_a_token() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = scratch("config");
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!("[profiles.notes]\nteam = \"{TEAM}\"\ncontainer = \"{CONTAINER}\"\nmanagement_token = \"file-secret\"\nurl = \"http://127.0.0.1:9\"\n"),
    )
    .expect("write");
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let out = Command::new(env!("CARGO_BIN_EXE_cloudkit"))
        .args(["schema", "pull", "--profile", "notes"])
        .env("CLOUDKIT_CONFIG", &config)
        .env_remove("CLOUDKIT_MANAGEMENT_TOKEN")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("chmod 600"), "{}", text(&out));
    assert!(!text(&out).contains("file-secret"), "{}", text(&out));
}

#[test]
fn stand_in_server_a_config_profile_supplies_everything() {
    let dir = scratch("profile");
    let (url, _) = stand_in(DEVELOPMENT, PRODUCTION);
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!("[profiles.notes]\nteam = \"{TEAM}\"\ncontainer = \"{CONTAINER}\"\nmanagement_token = \"{TOKEN}\"\nurl = \"{url}\"\n"),
    )
    .expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_cloudkit"))
        .args(["schema", "pull", "--container", CONTAINER])
        .env("CLOUDKIT_CONFIG", &config)
        .env_remove("CLOUDKIT_MANAGEMENT_TOKEN")
        .env_remove("CLOUDKIT_TEAM")
        .env_remove("CLOUDKIT_MANAGEMENT_URL")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), formatted(DEVELOPMENT));
}
