//! `cloudkit serve`'s options and its serve-until-shutdown loop, over [`EmulatorBuilder`].

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use crate::emulator::{Emulator, EmulatorBuilder, Storage};
use crate::emulator_error::EmulatorError;
use crate::faults::FaultSpec;
use cloudkit_wire::ws::Environment;

/// Options of `cloudkit serve`, one per flag. [`ServeOptions::builder`] turns them into an
/// [`EmulatorBuilder`]; [`run`] serves until a shutdown signal. `Debug` leaves the API tokens
/// out.
#[derive(Clone, Default)]
pub struct ServeOptions {
    /// `--schema FILE`.
    pub schema_file: Option<PathBuf>,
    /// The first `--container ID[=SCHEMA]`: the container the address and `--sign-in` are for.
    pub container: String,
    /// The other `--container ID[=SCHEMA]` values: served beside the first, each with its
    /// schema file (`None`: no schema, grown just in time in development).
    pub more_containers: Vec<(String, Option<PathBuf>)>,
    /// `--port N` (0 = any free port).
    pub port: u16,
    /// `--host ADDR`; `None` is 127.0.0.1.
    pub host: Option<IpAddr>,
    /// `--data FILE` or `--memory`.
    pub storage: Storage,
    /// `--environment development|production`.
    pub environment: Environment,
    /// `--api-token TOKEN`, repeatable.
    pub api_tokens: Vec<String>,
    /// `--server-key KEY_ID=PEM_FILE`, repeatable: key ID and public key file.
    pub server_keys: Vec<(String, PathBuf)>,
    /// `--faults SPEC`.
    pub faults: Option<String>,
    /// `--seed N`.
    pub seed: u64,
    /// `--allowed-host NAME`, repeatable.
    pub allowed_hosts: Vec<String>,
    /// `--allowed-origin ORIGIN`, repeatable.
    pub allowed_origins: Vec<String>,
    /// `--management-token TOKEN`: turns the management API on.
    pub management_token: Option<String>,
    /// `--team ID`: the management API's team id.
    pub team_id: Option<String>,
}

impl std::fmt::Debug for ServeOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeOptions")
            .field("schema_file", &self.schema_file)
            .field("container", &self.container)
            .field("more_containers", &self.more_containers)
            .field("port", &self.port)
            .field("host", &self.host)
            .field("storage", &self.storage)
            .field("environment", &self.environment)
            .field(
                "api_tokens",
                &format_args!("<{} redacted>", self.api_tokens.len()),
            )
            .field("server_keys", &self.server_keys)
            .field("faults", &self.faults)
            .field("seed", &self.seed)
            .field("allowed_hosts", &self.allowed_hosts)
            .field("allowed_origins", &self.allowed_origins)
            .field(
                "management_token",
                &self.management_token.as_ref().map(|_| "<redacted>"),
            )
            .field("team_id", &self.team_id)
            .finish()
    }
}

impl ServeOptions {
    /// The builder these options describe (reads the key files).
    pub fn builder(&self) -> Result<EmulatorBuilder, EmulatorError> {
        let mut b = Emulator::builder()
            .container(&self.container)
            .environment(self.environment)
            .port(self.port)
            .host(self.host.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST)))
            .seed(self.seed);
        if let Some(path) = &self.schema_file {
            b = b.schema_file(path);
        }
        for (id, schema) in &self.more_containers {
            let schema = match schema {
                Some(path) => crate::emulator::ContainerSchema::File(path.clone()),
                None => crate::emulator::ContainerSchema::None,
            };
            b = b.add_container(id, schema);
        }
        b = match &self.storage {
            Storage::Memory => b.memory(),
            Storage::File(p) => b.data_file(p),
        };
        for t in &self.api_tokens {
            b = b.api_token(t);
        }
        for h in &self.allowed_hosts {
            b = b.allowed_host(h);
        }
        for o in &self.allowed_origins {
            b = b.allowed_origin(o);
        }
        if let Some(token) = &self.management_token {
            b = b.management_token(token);
        }
        if let Some(team) = &self.team_id {
            b = b.team_id(team);
        }
        for (key_id, path) in &self.server_keys {
            let pem =
                std::fs::read_to_string(path).map_err(|source| EmulatorError::ServerKeyFile {
                    path: path.clone(),
                    source,
                })?;
            b = b.server_key(key_id, &pem);
        }
        if let Some(spec) = &self.faults {
            b = b.faults(spec.parse::<FaultSpec>()?);
        }
        Ok(b)
    }
}

/// Serves with `options` until `shutdown` completes. Logs the base URL through `tracing` and
/// calls `on_ready` with it once the port is bound.
pub async fn run(
    options: ServeOptions,
    on_ready: impl FnOnce(&str),
    shutdown: impl Future<Output = ()>,
) -> Result<(), EmulatorError> {
    let emu = options.builder()?.start().await?;
    tracing::info!(base_url = %emu.base_url(), "CloudKit emulator listening");
    on_ready(&emu.base_url());
    shutdown.await;
    emu.shutdown().await;
    Ok(())
}
