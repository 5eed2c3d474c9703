//! `cloudkit serve`: the local CloudKit Web Services emulator, until Ctrl-C.

use std::path::PathBuf;

use cloudkit_emulator::{Environment, ServeOptions, Storage};

/// Prints a line to stdout, ignoring a closed pipe: `cloudkit serve | head -1` (a script that
/// only wants the URL) must not bring the emulator down.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// Arguments of `cloudkit serve`. `Debug` leaves the tokens out.
#[derive(clap::Args)]
pub struct Args {
    /// The container's schema (`.ckdb`). Without it the emulator starts empty; in the
    /// development environment record types and fields then grow just in time.
    #[arg(long, value_name = "FILE")]
    schema: Option<PathBuf>,
    /// A container to serve, e.g. `iCloud.com.example.notes`, optionally with its own schema
    /// (`ID=FILE`; otherwise `--schema`). Repeatable: one process serves several containers,
    /// each in both environments, with its own data. The first is the one the printed
    /// address, `--sign-in`, `--export-schema` and `--environment` are about.
    #[arg(long, value_name = "ID[=SCHEMA]", required = true, value_parser = parse_container)]
    container: Vec<(String, Option<PathBuf>)>,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, value_name = "N", default_value_t = 0)]
    port: u16,
    /// The address to listen on. The default, 127.0.0.1, keeps the emulator (its test users
    /// and their tokens) on this machine.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// Keep records in this SQLite file (created if missing) across restarts.
    #[arg(long, value_name = "FILE", conflicts_with = "memory")]
    data: Option<PathBuf>,
    /// Keep records in memory only (the default).
    #[arg(long)]
    memory: bool,
    /// `development` grows the schema just in time; `production` refuses unknown types and fields.
    #[arg(long, value_name = "ENV", default_value = "development", value_parser = parse_environment)]
    environment: Environment,
    /// An API token clients may send as `ckAPIToken` (repeatable).
    #[arg(long = "api-token", value_name = "TOKEN")]
    api_tokens: Vec<String>,
    /// A server-to-server key: its key ID and a PEM file holding its public key, or the private
    /// key itself (the public half is derived; nothing else of it is kept). Repeatable.
    #[arg(long = "server-key", value_name = "KEY_ID=PEM_FILE", value_parser = parse_server_key)]
    server_keys: Vec<(String, PathBuf)>,
    /// Inject faults, e.g. `throttled=0.1,try_again_later=0.1,unavailable=0.05,zone_busy=0.05,drop=0.05`.
    #[arg(long, value_name = "SPEC")]
    faults: Option<String>,
    /// Seed for fault injection, so a run can be repeated.
    #[arg(long, value_name = "N", default_value_t = 0)]
    seed: u64,
    /// Sign in a test user of this name and print a web auth token for it (repeatable), to
    /// pass as `ckWebAuthToken` (e.g. `CLOUDKIT_WEB_AUTH_TOKEN`) for private-database requests.
    #[arg(long = "sign-in", value_name = "NAME")]
    sign_in: Vec<String>,
    /// Also accept requests whose `Host` is NAME (repeatable), when the emulator is reached
    /// under another name than `localhost`, `127.0.0.1` or `[::1]` (another `--host`, a
    /// proxy). Other hosts are refused so that web pages cannot reach the emulator by DNS
    /// rebinding.
    #[arg(long = "allowed-host", value_name = "NAME")]
    allowed_hosts: Vec<String>,
    /// Also let web pages of ORIGIN (e.g. `https://app.example`) call the emulator and receive
    /// sign-in tokens (repeatable). Pages on `localhost`, `127.0.0.1` and `[::1]` always may.
    #[arg(long = "allowed-origin", value_name = "ORIGIN")]
    allowed_origins: Vec<String>,
    /// Serve the management API (`cloudkit schema pull|push|validate|reset|drift`, `cktool`,
    /// CKTool JS) to requests carrying this token in `X-Apple-CloudKit-Management-Token`.
    /// Off without it.
    #[arg(long = "management-token", value_name = "TOKEN")]
    management_token: Option<String>,
    /// The management API's team id, which holds every container served.
    #[arg(long = "team", value_name = "ID", default_value = cloudkit_emulator::DEFAULT_TEAM_ID)]
    team: String,
    /// On shutdown, write the schema as it has grown (canonical `.ckdb`) to this file.
    #[arg(long = "export-schema", value_name = "FILE")]
    export_schema: Option<PathBuf>,
    /// Print no line per request on stderr (time, method, endpoint, status, CloudKit error
    /// code and reason, latency).
    #[arg(long)]
    quiet: bool,
}

fn parse_environment(value: &str) -> Result<Environment, String> {
    value
        .parse()
        .map_err(|e: cloudkit_emulator::UnknownEnvironment| e.to_string())
}

impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Args")
            .field("container", &self.container)
            .field("schema", &self.schema)
            .field("environment", &self.environment)
            .field(
                "api_tokens",
                &format_args!("<{} redacted>", self.api_tokens.len()),
            )
            .field(
                "management_token",
                &self.management_token.as_ref().map(|_| "<redacted>"),
            )
            .finish_non_exhaustive()
    }
}

fn parse_container(value: &str) -> Result<(String, Option<PathBuf>), String> {
    match value.split_once('=') {
        None if !value.is_empty() => Ok((value.to_owned(), None)),
        Some((id, path)) if !id.is_empty() && !path.is_empty() => {
            Ok((id.to_owned(), Some(PathBuf::from(path))))
        }
        _ => Err(format!("expected ID or ID=SCHEMA_FILE, got `{value}`")),
    }
}

fn parse_server_key(value: &str) -> Result<(String, PathBuf), String> {
    match value.split_once('=') {
        Some((key_id, path)) if !key_id.is_empty() && !path.is_empty() => {
            Ok((key_id.to_owned(), PathBuf::from(path)))
        }
        _ => Err(format!("expected KEY_ID=PEM_FILE, got `{value}`")),
    }
}

/// Serves until Ctrl-C. Returns false when the emulator could not start or the schema could
/// not be exported; the reason has been printed.
pub fn run(args: Args) -> bool {
    if !args.quiet {
        use std::io::IsTerminal as _;
        cloudkit_emulator::request_log::install(std::io::stderr().is_terminal());
    }
    let mut containers = args.container.into_iter();
    let Some((container, own_schema)) = containers.next() else {
        eprintln!("error: give at least one --container");
        return false;
    };
    let more_containers = containers
        .map(|(id, schema)| (id, schema.or_else(|| args.schema.clone())))
        .collect();
    let options = ServeOptions {
        schema_file: own_schema.or(args.schema),
        container,
        more_containers,
        port: args.port,
        host: Some(args.host),
        storage: match args.data {
            Some(path) => Storage::File(path),
            None => Storage::Memory,
        },
        environment: args.environment,
        api_tokens: args.api_tokens,
        server_keys: args.server_keys,
        faults: args.faults,
        seed: args.seed,
        allowed_hosts: args.allowed_hosts,
        allowed_origins: args.allowed_origins,
        management_token: args.management_token,
        team_id: Some(args.team),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return false;
        }
    };
    runtime.block_on(async move {
        let emulator = match options.builder() {
            Ok(builder) => builder.start().await,
            Err(error) => Err(error),
        };
        let emulator = match emulator {
            Ok(emulator) => emulator,
            Err(error) => {
                eprintln!("error: {error}");
                return false;
            }
        };
        // Install the Ctrl-C handler before announcing the address: tokio installs it on the
        // first poll, and a Ctrl-C that came before would kill the process unhandled.
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        let early = tokio::select! {
            biased;
            result = &mut ctrl_c => Some(result),
            () = std::future::ready(()) => None,
        };
        say!(
            "CloudKit emulator for {} ({}) listening on {}",
            options.container,
            options.environment.as_str(),
            emulator.base_url()
        );
        for name in &args.sign_in {
            // A token of a local test user: printing it is the point of the flag.
            say!(
                "web auth token for {name}: {}",
                emulator.sign_in(name).expose()
            );
        }
        let other = match options.environment {
            Environment::Development => Environment::Production,
            Environment::Production => Environment::Development,
        };
        say!(
            "{} is served in {} too, at the same address",
            options.container,
            other.as_str()
        );
        for (container, _) in &options.more_containers {
            say!("also serving {container} (development and production) at the same address");
            for name in &args.sign_in {
                if let Some(token) = emulator.sign_in_to(container, name) {
                    say!(
                        "web auth token for {name} in {container}: {}",
                        token.expose()
                    );
                }
            }
        }
        say!("press Ctrl-C to stop");
        let stopped = match early {
            Some(result) => result,
            None => ctrl_c.await,
        };
        if let Err(error) = stopped {
            eprintln!("error: cannot wait for Ctrl-C: {error}");
        }
        let exported = args
            .export_schema
            .as_ref()
            .map(|path| (path, emulator.export_schema()));
        emulator.shutdown().await;
        match exported {
            Some((path, schema)) => match std::fs::write(path, schema) {
                Ok(()) => {
                    say!("schema written to {}", path.display());
                    true
                }
                Err(error) => {
                    eprintln!("error: cannot write {}: {error}", path.display());
                    false
                }
            },
            None => true,
        }
    })
}
