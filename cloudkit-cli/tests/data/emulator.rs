//! An emulator on 127.0.0.1 for the data command tests, and running the CLI against it.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use cloudkit_emulator::Emulator;

/// The container every test uses.
pub const CONTAINER: &str = "iCloud.com.example.notes";
/// The API token the emulator accepts.
pub const API_TOKEN: &str = "data-cli-api-token";

/// An emulator serving the notes fixture schema, on its own runtime so that it keeps
/// answering while the test waits for a child process.
pub struct TestEmulator {
    runtime: tokio::runtime::Runtime,
    emulator: Option<Emulator>,
    /// alice's web auth token.
    pub alice: String,
}

impl TestEmulator {
    /// Starts one, in memory.
    pub fn start() -> TestEmulator {
        Self::start_with(|builder| builder)
    }

    /// Starts one with extra builder settings (a data file, …).
    pub fn start_with(
        configure: impl FnOnce(cloudkit_emulator::EmulatorBuilder) -> cloudkit_emulator::EmulatorBuilder,
    ) -> TestEmulator {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/notes.ckdb");
        let emulator = runtime
            .block_on(
                configure(
                    Emulator::builder()
                        .schema_file(schema)
                        .container(CONTAINER)
                        .api_token(API_TOKEN),
                )
                .start(),
            )
            .expect("the emulator starts");
        let alice = emulator.sign_in("alice").expose().to_owned();
        TestEmulator {
            runtime,
            emulator: Some(emulator),
            alice,
        }
    }

    /// Runs `future` on the emulator's runtime (for setting up with the runtime client).
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// A runtime client signed in as alice.
    pub fn alice_session(&self) -> cloudkit_runtime::client::UserSession {
        cloudkit_runtime::Client::builder()
            .container(CONTAINER)
            .base_url(self.base_url())
            .api_token(API_TOKEN)
            .build()
            .expect("client")
            .as_user(cloudkit_runtime::client::WebAuthToken::new(
                self.alice.clone(),
            ))
            .expect("an API token client")
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.emulator.as_ref().expect("running").base_url()
    }

    /// `cloudkit ARGS…` with the connection in environment variables (as alice); `--database`
    /// and the rest come from `args`.
    pub fn cloudkit(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cloudkit"));
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", env!("CARGO_TARGET_TMPDIR"))
            .env("CLOUDKIT_CONFIG", "/nonexistent/cloudkit-config.toml")
            .env("CLOUDKIT_BASE_URL", self.base_url())
            .env("CLOUDKIT_CONTAINER", CONTAINER)
            .env("CLOUDKIT_API_TOKEN", API_TOKEN)
            .env("CLOUDKIT_WEB_AUTH_TOKEN", &self.alice)
            .stdin(Stdio::null());
        command
    }

    /// Runs `cloudkit ARGS…` to the end.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.cloudkit(args).output().expect("cloudkit runs"))
    }
}

impl Drop for TestEmulator {
    fn drop(&mut self) {
        if let Some(emulator) = self.emulator.take() {
            self.runtime.block_on(emulator.shutdown());
        }
    }
}

/// A finished run: exit code, stdout, stderr.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// stdout.
    pub stdout: String,
    /// stderr.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts exit code 0 and returns stdout.
    pub fn ok(self) -> String {
        assert_eq!(self.code, 0, "{self:#?}");
        self.stdout
    }

    /// stdout as JSON values, one per line.
    pub fn json_lines(self) -> Vec<serde_json::Value> {
        self.ok()
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON line"))
            .collect()
    }
}
