//! `cloudkit schema pull/push/validate/reset/drift/plan` end to end: the real binary over real
//! HTTP on 127.0.0.1.
//!
//! The server is the emulator with its management API on (`--management-token`), except for
//! one test that needs a scripted sequence of 503 answers (a small stand-in, marked as such).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

const TOKEN: &str = "test-management-token-0123";
const TEAM: &str = "ABCDE12345";
const CONTAINER: &str = "iCloud.com.example.notes";

const PRODUCTION: &str =
    "DEFINE SCHEMA\n\n    RECORD TYPE Note (\n        title STRING QUERYABLE\n    );\n";
const DEVELOPMENT: &str = "DEFINE SCHEMA\n\n    RECORD TYPE Note (\n        body STRING,\n        title STRING QUERYABLE\n    );\n";

/// What the busy stand-in was asked.
#[derive(Default)]
struct Live {
    requests: usize,
    /// Answer this many exports with 503 before serving them.
    busy_exports: usize,
}

type Shared = Arc<Mutex<Live>>;

/// A STAND-IN for one thing the emulator cannot be asked to do on demand: answer exactly two
/// exports with 503 and then the schema, so that the client's retries can be counted.
async fn busy_export(State(live): State<Shared>) -> Response {
    let mut live = live.lock().expect("lock");
    live.requests += 1;
    if live.busy_exports > 0 {
        live.busy_exports -= 1;
        let body = serde_json::json!({"code": 503, "message": "busy", "reason": "TRY_AGAIN_LATER"});
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::RETRY_AFTER, "0"),
            ],
            body.to_string(),
        )
            .into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"schema.ckdb\"",
            ),
        ],
        DEVELOPMENT,
    )
        .into_response()
}

/// Runs `app` on 127.0.0.1 in a thread of its own; returns its URL.
fn serve_in_background(app: Router) -> String {
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
    url
}

/// The emulator on 127.0.0.1 serving the management API: `production` is its schema file, and
/// `development` is imported over it (an import adds), so the two environments differ as in a
/// real container. Runs until the test process ends; returns its URL.
fn emulator(development: &str, production: &str) -> String {
    let (ready, url) = std::sync::mpsc::channel();
    let (development, production) = (development.to_owned(), production.to_owned());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let emu = cloudkit_emulator::Emulator::builder()
                .schema_source(production.as_str())
                .container(CONTAINER)
                .add_container(
                    "iCloud.com.example.other",
                    cloudkit_emulator::ContainerSchema::None,
                )
                .add_container(
                    "iCloud.com.example.third",
                    cloudkit_emulator::ContainerSchema::None,
                )
                .management_token(TOKEN)
                .team_id(TEAM)
                .start()
                .await
                .expect("the emulator starts");
            let base = emu.base_url();
            if development != production {
                let client = cloudkit_runtime::management::ManagementClient::builder()
                    .management_token(cloudkit_runtime::management::ManagementToken::new(TOKEN))
                    .base_url(base.clone())
                    .build()
                    .expect("client");
                client
                    .container(TEAM, CONTAINER)
                    .import_schema(cloudkit_emulator::Environment::Development, &development)
                    .await
                    .expect("development is imported");
            }
            let _ = ready.send(base);
            std::future::pending::<()>().await;
            drop(emu);
        });
    });
    url.recv().expect("the emulator's URL")
}

/// The live schema of `environment`, as the emulator exports it.
fn live(url: &str, environment: &str) -> String {
    let dir = scratch(&format!("live-{}", url.replace([':', '/', '.'], "-")));
    let out = cloudkit(
        &dir,
        url,
        TOKEN,
        &["schema", "pull", "--environment", environment],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
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
fn pull_writes_the_live_schema_formatted() {
    let dir = scratch("pull");
    let url = emulator(DEVELOPMENT, PRODUCTION);
    let out = cloudkit(&dir, &url, TOKEN, &["schema", "pull", "-o", "live.ckdb"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let written = std::fs::read_to_string(dir.join("live.ckdb")).expect("written");
    assert_eq!(
        written,
        formatted(&written),
        "pulled as `schema fmt` writes it"
    );
    assert!(written.contains("body "), "{written}");

    let production = live(&url, "production");
    assert_eq!(production, formatted(&production));
    assert!(!production.contains("body "), "{production}");
}

/// The round trip: pull, edit, push, pull gives the edited file back byte for byte
/// after `schema fmt`; drift exits 1 while the live schema differs and 0 after the push.
#[test]
fn pull_edit_push_pull_round_trips_and_drift_follows() {
    let dir = scratch("round-trip");
    let url = emulator(PRODUCTION, PRODUCTION);
    let out = cloudkit(&dir, &url, TOKEN, &["schema", "pull", "-o", "notes.ckdb"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let pulled = std::fs::read_to_string(dir.join("notes.ckdb")).expect("pulled");
    let edited = pulled.replacen(
        "        title ",
        "        subtitle STRING QUERYABLE,\n        title ",
        1,
    );
    assert_ne!(edited, pulled, "the edit applies");
    std::fs::write(dir.join("notes.ckdb"), &edited).expect("write");
    let drift = cloudkit(&dir, &url, TOKEN, &["schema", "drift", "notes.ckdb"]);
    assert_eq!(drift.status.code(), Some(1), "{}", text(&drift));
    assert!(text(&drift).contains("subtitle"), "{}", text(&drift));

    let out = cloudkit(&dir, &url, TOKEN, &["schema", "push", "notes.ckdb"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = cloudkit(&dir, &url, TOKEN, &["schema", "pull", "-o", "again.ckdb"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let again = std::fs::read_to_string(dir.join("again.ckdb")).expect("pulled again");
    assert_eq!(again, formatted(&edited));
    let drift = cloudkit(&dir, &url, TOKEN, &["schema", "drift", "notes.ckdb"]);
    assert_eq!(drift.status.code(), Some(0), "{}", text(&drift));
}

#[test]
fn push_refuses_destructive_changes_unless_allowed() {
    let dir = scratch("push");
    let url = emulator(DEVELOPMENT, PRODUCTION);
    std::fs::write(dir.join("notes.ckdb"), PRODUCTION).expect("write");
    let before = live(&url, "development");

    let out = cloudkit(&dir, &url, TOKEN, &["schema", "push", "notes.ckdb"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let shown = text(&out);
    assert!(shown.contains("field Note.body removed"), "{shown}");
    assert!(shown.contains("--allow-destructive"), "{shown}");
    assert_eq!(live(&url, "development"), before, "nothing imported");

    // Allowed by the CLI, and accepted by the emulator, which (like CloudKit's development
    // environment, spec §13 rule 7) adds what the file has and keeps what it lacks.
    let out = cloudkit(
        &dir,
        &url,
        TOKEN,
        &["schema", "push", "notes.ckdb", "--allow-destructive"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(live(&url, "development"), before);
}

#[test]
fn push_of_additions_imports_and_a_refused_file_does_not() {
    let dir = scratch("push-add");
    let url = emulator(PRODUCTION, PRODUCTION);
    std::fs::write(dir.join("notes.ckdb"), DEVELOPMENT).expect("write");
    let out = cloudkit(&dir, &url, TOKEN, &["schema", "push", "notes.ckdb"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("field Note.body added"),
        "{}",
        text(&out)
    );
    let imported = live(&url, "development");
    assert!(imported.contains("body "), "{imported}");

    // Production has Note: a file without it would lose Note's records there.
    std::fs::write(
        dir.join("refused.ckdb"),
        "DEFINE SCHEMA RECORD TYPE Refused ( a STRING );",
    )
    .expect("write");
    let out = cloudkit(
        &dir,
        &url,
        TOKEN,
        &["schema", "push", "refused.ckdb", "--allow-destructive"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("record type Note removed"),
        "{}",
        text(&out)
    );
    assert_eq!(live(&url, "development"), imported);
}

#[test]
fn push_to_production_is_refused_plainly_without_a_request() {
    let dir = scratch("push-production");
    // Nothing listens at this URL: the refusal comes before any request.
    let url = "http://127.0.0.1:9";
    std::fs::write(dir.join("notes.ckdb"), DEVELOPMENT).expect("write");
    let out = cloudkit(
        &dir,
        url,
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
}

#[test]
fn validate_reports_the_servers_verdict() {
    let dir = scratch("validate");
    let url = emulator(DEVELOPMENT, PRODUCTION);
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
    assert!(
        text(&refused).contains("record type Note removed"),
        "{}",
        text(&refused)
    );
}

#[test]
fn drift_names_each_difference_and_exits_1() {
    let dir = scratch("drift");
    let url = emulator(DEVELOPMENT, PRODUCTION);
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
fn plan_shows_the_deployment_and_what_production_lacks() {
    let dir = scratch("plan");
    let url = emulator(DEVELOPMENT, PRODUCTION);
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
fn reset_without_a_terminal_needs_yes() {
    let dir = scratch("reset");
    let url = emulator(DEVELOPMENT, PRODUCTION);
    let out = cloudkit(&dir, &url, TOKEN, &["schema", "reset"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("pass --yes"), "{}", text(&out));
    assert!(live(&url, "development").contains("body "), "not reset");

    let out = cloudkit(&dir, &url, TOKEN, &["schema", "reset", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(live(&url, "development"), live(&url, "production"));
}

#[test]
fn stand_in_server_a_busy_answer_is_retried_like_the_data_client_does() {
    let dir = scratch("busy");
    let live: Shared = Arc::new(Mutex::new(Live {
        busy_exports: 2,
        ..Live::default()
    }));
    let app = Router::new()
        .route(
            "/v1/database/teams/{team}/containers/{container}/environments/{env}/schema/export",
            get(busy_export),
        )
        .with_state(live.clone());
    let url = serve_in_background(app);
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
fn teams_and_every_container_page_through_the_runtime_client() {
    use cloudkit_runtime::management::{ManagementClient, ManagementToken};
    let url = emulator(DEVELOPMENT, PRODUCTION);
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
        assert_eq!(
            ids,
            [
                "iCloud.com.example.notes",
                "iCloud.com.example.other",
                "iCloud.com.example.third"
            ]
        );
        let first = client
            .containers(
                TEAM,
                &cloudkit_runtime::management::wire::ContainersQuery {
                    limit: Some(2),
                    ..Default::default()
                },
            )
            .await
            .expect("a page");
        assert_eq!(first.containers.len(), 2);
        assert_eq!(first.next_key.as_deref(), Some("iCloud.com.example.other"));
        let missing = client.all_containers("NOPE").await.expect_err("404");
        assert_eq!(missing.status(), Some(404));
        assert_eq!(
            missing.request_error().map(|e| e.reason.as_str()),
            Some("NOT_FOUND")
        );
    });
}

#[test]
fn a_refused_token_is_reported_but_never_printed() {
    let dir = scratch("bad-token");
    let url = emulator(DEVELOPMENT, PRODUCTION);
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
fn a_config_profile_supplies_everything() {
    let dir = scratch("profile");
    let url = emulator(DEVELOPMENT, PRODUCTION);
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
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        live(&url, "development")
    );
}
