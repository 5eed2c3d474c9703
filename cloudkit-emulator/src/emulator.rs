//! The running emulator and how it starts: the builder for tests, examples and
//! `cloudkit serve` (whose options live in `serve_options`).

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, SystemTime};

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::signature::ServerKeys;
use crate::auth::{ApiToken, Authenticator, Sessions, User, WebAuthToken};
use crate::clock::Clock;
use crate::courier::Courier;
use crate::emulator_error::EmulatorError;
use crate::faults::{FaultSpec, Faults};
use crate::http;
use crate::http::WebPolicy;
use crate::http::listen::Limits;
use crate::schema::LiveSchema;
use crate::services::Services;
use crate::state::Shared;
use crate::storage::Store;
use cloudkit_wire::ws::Environment;

mod options;

pub use options::{
    ContainerSchema, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_MAX_ASSET_BYTES, DEFAULT_MAX_BODY_MEMORY,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_REQUEST_TIMEOUT, DEFAULT_TEAM_ID,
    Storage,
};

/// Configures an [`Emulator`]; see the crate example. `Debug` leaves the API tokens out.
#[derive(Clone)]
pub struct EmulatorBuilder {
    schema_source: Option<String>,
    schema_file: Option<PathBuf>,
    container: String,
    more_containers: Vec<(String, ContainerSchema)>,
    environment: Environment,
    storage: Storage,
    api_tokens: Vec<String>,
    server_keys: Vec<(String, String)>,
    faults: FaultSpec,
    seed: u64,
    port: u16,
    host: IpAddr,
    signature_window: Duration,
    signature_clock: Option<SystemTime>,
    strict_token_rotation: bool,
    directory: crate::directory::Directory,
    web_auth_token_lifetime: Option<Duration>,
    max_asset_bytes: u64,
    max_request_bytes: usize,
    max_body_memory: usize,
    connection_limits: Limits,
    allowed_hosts: Vec<String>,
    allowed_origins: Vec<String>,
    management_token: Option<String>,
    team_id: String,
}

impl std::fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field("schema_file", &self.schema_file)
            .field("has_schema_source", &self.schema_source.is_some())
            .field("container", &self.container)
            .field(
                "more_containers",
                &self
                    .more_containers
                    .iter()
                    .map(|(id, _)| id)
                    .collect::<Vec<_>>(),
            )
            .field("environment", &self.environment)
            .field("storage", &self.storage)
            .field(
                "api_tokens",
                &format_args!("<{} redacted>", self.api_tokens.len()),
            )
            .field(
                "server_key_ids",
                &self
                    .server_keys
                    .iter()
                    .map(|(id, _)| id)
                    .collect::<Vec<_>>(),
            )
            .field("faults", &self.faults)
            .field("seed", &self.seed)
            .field("port", &self.port)
            .field(
                "management_token",
                &self.management_token.as_ref().map(|_| "<redacted>"),
            )
            .field("team_id", &self.team_id)
            .finish_non_exhaustive()
    }
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            schema_source: None,
            schema_file: None,
            container: "iCloud.com.example.app".to_owned(),
            more_containers: Vec::new(),
            environment: Environment::Development,
            storage: Storage::Memory,
            api_tokens: Vec::new(),
            server_keys: Vec::new(),
            faults: FaultSpec::none(),
            seed: 0,
            port: 0,
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            signature_window: Duration::from_secs(600),
            signature_clock: None,
            strict_token_rotation: false,
            directory: crate::directory::Directory::default(),
            web_auth_token_lifetime: None,
            max_asset_bytes: DEFAULT_MAX_ASSET_BYTES,
            max_request_bytes: DEFAULT_MAX_REQUEST_BYTES,
            max_body_memory: DEFAULT_MAX_BODY_MEMORY,
            connection_limits: Limits {
                max_connections: DEFAULT_MAX_CONNECTIONS,
                header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
                request_timeout: DEFAULT_REQUEST_TIMEOUT,
            },
            allowed_hosts: Vec::new(),
            allowed_origins: Vec::new(),
            management_token: None,
            team_id: DEFAULT_TEAM_ID.to_owned(),
        }
    }
}

impl EmulatorBuilder {
    /// The schema as `.ckdb` text.
    pub fn schema_source(mut self, text: impl Into<String>) -> Self {
        self.schema_source = Some(text.into());
        self
    }

    /// The schema from a `.ckdb` file.
    pub fn schema_file(mut self, path: impl AsRef<Path>) -> Self {
        self.schema_file = Some(path.as_ref().to_owned());
        self
    }

    /// The container identifier served (other containers are refused).
    pub fn container(mut self, id: impl Into<String>) -> Self {
        self.container = id.into();
        self
    }

    /// The environment served (the other one is refused).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Serve the management API (what `cktool` and CKTool JS use: teams, containers, schema
    /// export, validate, import, reset) to requests carrying this token in
    /// `X-Apple-CloudKit-Management-Token`. Without one the API is off.
    pub fn management_token(mut self, token: impl Into<String>) -> Self {
        self.management_token = Some(token.into());
        self
    }

    /// The team id of the management API's one team, which holds every container served
    /// (default [`DEFAULT_TEAM_ID`]).
    pub fn team_id(mut self, team_id: impl Into<String>) -> Self {
        self.team_id = team_id.into();
        self
    }

    /// Also serve the container `id`, with its own schema and data, beside the one named by
    /// [`EmulatorBuilder::container`] (repeatable). Every container is served in both
    /// environments; see [`Emulator::sign_in_to`] for its users. With a data file, its data
    /// is kept in files beside it (`data.<container>.<environment>.sqlite`).
    pub fn add_container(mut self, id: impl Into<String>, schema: ContainerSchema) -> Self {
        self.more_containers.push((id.into(), schema));
        self
    }

    /// Keep records in memory.
    pub fn memory(mut self) -> Self {
        self.storage = Storage::Memory;
        self
    }

    /// Keep records in a SQLite file.
    pub fn data_file(mut self, path: impl AsRef<Path>) -> Self {
        self.storage = Storage::File(path.as_ref().to_owned());
        self
    }

    /// Accept this API token. Without any, API tokens are not checked.
    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.api_tokens.push(token.into());
        self
    }

    /// Accept server-to-server requests signed with this key: a PEM of its public key
    /// (SubjectPublicKeyInfo), or of the private key itself (SEC1 or PKCS#8), from which only
    /// the public half is kept.
    pub fn server_key(mut self, key_id: impl Into<String>, pem: impl Into<String>) -> Self {
        self.server_keys.push((key_id.into(), pem.into()));
        self
    }

    /// Inject faults at these rates.
    pub fn faults(mut self, spec: FaultSpec) -> Self {
        self.faults = spec;
        self
    }

    /// Seed of the fault generator.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Port to listen on; 0 (the default) picks a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Address to listen on (default 127.0.0.1, this machine only). Another address exposes
    /// the emulator, with its test users and tokens, to whoever can reach it.
    pub fn host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// Also accept requests whose `Host` names `host` (a name or address, any port), for an
    /// emulator bound to another interface or reached through a proxy. By default only
    /// loopback names and addresses with the emulator's port (and the address it was bound
    /// to) are accepted, so that a web page cannot reach it through DNS rebinding.
    pub fn allowed_host(mut self, host: impl Into<String>) -> Self {
        self.allowed_hosts.push(host.into());
        self
    }

    /// Also let web pages of `origin` (`scheme://host[:port]`) call the emulator (CORS), and
    /// receive web auth tokens from its sign-in page (callback URLs, post-message). Pages on
    /// loopback (`http(s)://localhost`, `127.0.0.1`, `[::1]`, any port) are always allowed.
    pub fn allowed_origin(mut self, origin: impl Into<String>) -> Self {
        self.allowed_origins.push(origin.into());
        self
    }

    /// Allowed skew of a signed request's date, either way (default 10 minutes).
    pub fn signature_window(mut self, window: Duration) -> Self {
        self.signature_window = window;
        self
    }

    /// Check signature dates against this time instead of the clock (for replaying captured
    /// requests in tests).
    pub fn signature_clock(mut self, now: SystemTime) -> Self {
        self.signature_clock = Some(now);
        self
    }

    /// Make every web auth token good for one request only (Apple's documented rule). Off by
    /// default, as on the live service.
    pub fn strict_token_rotation(mut self, strict: bool) -> Self {
        self.strict_token_rotation = strict;
        self
    }

    /// Adds (or replaces by name) a test user; the defaults are alice, bob and carol (carol
    /// not discoverable).
    pub fn test_user(mut self, user: crate::directory::TestUser) -> Self {
        self.directory.insert(user);
        self
    }

    /// Largest asset file the upload URLs accept (default [`DEFAULT_MAX_ASSET_BYTES`]); larger
    /// uploads get `413 QUOTA_EXCEEDED`.
    pub fn max_asset_size(mut self, bytes: u64) -> Self {
        self.max_asset_bytes = bytes;
        self
    }

    /// Largest JSON request body read (default [`DEFAULT_MAX_REQUEST_BYTES`]); larger bodies
    /// get `413 QUOTA_EXCEEDED` before they are parsed, and only after the caller's
    /// credentials passed.
    pub fn max_request_size(mut self, bytes: usize) -> Self {
        self.max_request_bytes = bytes;
        self
    }

    /// Bytes of request bodies held at once across all requests (default
    /// [`DEFAULT_MAX_BODY_MEMORY`], and never less than one largest body or asset). A request
    /// whose body does not fit in what is left is answered `503 TRY_AGAIN_LATER` with a
    /// `retryAfter`, before its body is read.
    pub fn max_body_memory(mut self, bytes: usize) -> Self {
        self.max_body_memory = bytes;
        self
    }

    /// The body budget in force: at least one largest body or asset must fit.
    fn body_budget(&self) -> usize {
        let asset = usize::try_from(self.max_asset_bytes).unwrap_or(usize::MAX);
        self.max_body_memory
            .max(self.max_request_bytes)
            .max(asset)
            .min(tokio::sync::Semaphore::MAX_PERMITS)
    }

    /// Connections open at once (default [`DEFAULT_MAX_CONNECTIONS`], at least 1). A new
    /// connection past it closes the oldest one that has no request in progress, or is turned
    /// away when every one is busy.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.connection_limits.max_connections = connections.max(1);
        self
    }

    /// Time a client has to send a request's headers, and that an idle keep-alive connection
    /// stays open (default [`DEFAULT_HEADER_READ_TIMEOUT`]); then the connection is closed.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.connection_limits.header_read_timeout = timeout;
        self
    }

    /// Time a request has from its headers to its answer, body included (default
    /// [`DEFAULT_REQUEST_TIMEOUT`]); then it is answered `503 TRY_AGAIN_LATER`.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.connection_limits.request_timeout = timeout;
        self
    }

    /// How long a web auth token stays valid (default 30 minutes, CloudKit's default).
    pub fn web_auth_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.web_auth_token_lifetime = Some(lifetime);
        self
    }

    /// Opens the store, binds `127.0.0.1` and starts serving.
    pub async fn start(self) -> Result<Emulator, EmulatorError> {
        let first_schema = match (&self.schema_source, &self.schema_file) {
            (Some(text), _) => ContainerSchema::Source(text.clone()),
            (None, Some(path)) => ContainerSchema::File(path.clone()),
            (None, None) => ContainerSchema::None,
        };
        let mut containers = vec![(self.container.clone(), first_schema)];
        containers.extend(self.more_containers.iter().cloned());
        let mut seen = HashSet::new();
        for (id, _) in &containers {
            if !crate::services::valid_container_id(id) || !seen.insert(id.clone()) {
                return Err(EmulatorError::Container(id.clone()));
            }
        }
        let containers_served: Vec<String> = containers.iter().map(|(id, _)| id.clone()).collect();
        let addr = SocketAddr::new(self.host, self.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| EmulatorError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind { addr, source })?;
        let web = WebPolicy::new(addr, &self.allowed_hosts, &self.allowed_origins);
        let body_budget = Arc::new(tokio::sync::Semaphore::new(self.body_budget()));
        let mut list = Vec::new();
        for (id, schema) in &containers {
            let source = match schema {
                ContainerSchema::None => None,
                ContainerSchema::Source(text) => Some((text.clone(), "<schema>".to_owned())),
                ContainerSchema::File(path) => Some((
                    std::fs::read_to_string(path).map_err(|source| EmulatorError::SchemaFile {
                        path: path.clone(),
                        source,
                    })?,
                    path.display().to_string(),
                )),
            };
            let mut auth: Option<Arc<Authenticator>> = None;
            for environment in [self.environment, crate::services::other(self.environment)] {
                let storage = match &self.storage {
                    Storage::File(first) if !list.is_empty() => {
                        Storage::File(crate::services::sibling_data_file(first, id, environment))
                    }
                    other => other.clone(),
                };
                let store = match &storage {
                    Storage::Memory => Store::memory(),
                    Storage::File(path) => Store::file(path),
                }
                .map_err(|e| EmulatorError::Store(e.to_string()))?;
                let schema = LiveSchema::load(
                    environment,
                    source.as_ref().map(|(t, n)| (t.as_str(), n.as_str())),
                    &store,
                )?;
                let store = Arc::new(store);
                let auth = match &auth {
                    Some(shared_auth) => Arc::clone(shared_auth),
                    None => {
                        let made = Arc::new(self.authenticator(&storage, &store)?);
                        auth = Some(Arc::clone(&made));
                        made
                    }
                };
                let shared = Arc::new(Shared {
                    container: id.clone(),
                    containers_served: containers_served.clone(),
                    environment,
                    store,
                    auth,
                    faults: Faults::new(self.faults.clone(), self.seed),
                    schema: RwLock::new(schema),
                    base_url: OnceLock::new(),
                    directory: self.directory.clone(),
                    max_asset_bytes: self.max_asset_bytes,
                    max_request_bytes: self.max_request_bytes,
                    body_budget: Arc::clone(&body_budget),
                    web: web.clone(),
                    courier: Courier::default(),
                    clock: Clock::system(),
                    subscription_queries: Default::default(),
                    deliveries: Default::default(),
                    users_seen: Default::default(),
                });
                let prefix = crate::services::url_prefix(list.len());
                let _ = shared.base_url.set(format!("http://{addr}{prefix}"));
                list.push(shared);
            }
        }
        let services = Services::new(list);
        let (tx, rx) = oneshot::channel::<()>();
        let limits = self.connection_limits;
        let management = Arc::new(http::management::Management {
            services: services.clone(),
            token: self.management_token.clone(),
            team_id: self.team_id.clone(),
        });
        let app = http::services_router(&services, management, limits.request_timeout);
        let task = tokio::spawn(http::listen::serve(listener, app, limits, rx));
        Ok(Emulator {
            shared: Arc::clone(services.first()),
            services,
            addr,
            shutdown: Some(tx),
            task,
        })
    }

    /// The credentials of one container (both its environments): sign-ins kept in `store`
    /// when the data is in a file.
    fn authenticator(
        &self,
        storage: &Storage,
        store: &Arc<Store>,
    ) -> Result<Authenticator, EmulatorError> {
        let mut sessions = Sessions::new(
            self.web_auth_token_lifetime
                .unwrap_or(Duration::from_secs(30 * 60)),
            self.strict_token_rotation,
        );
        if matches!(storage, Storage::File(_)) {
            sessions = sessions
                .persisted_in(Arc::clone(store))
                .map_err(|e| EmulatorError::Store(e.to_string()))?;
        }
        let mut keys = ServerKeys::default();
        for (id, pem) in &self.server_keys {
            keys.insert(id, pem)?;
        }
        Ok(Authenticator {
            api_tokens: self
                .api_tokens
                .iter()
                .cloned()
                .map(ApiToken)
                .collect::<HashSet<_>>(),
            server_keys: keys,
            sessions,
            signature_window: self.signature_window,
            signature_clock: Clock::fixed_or_system(self.signature_clock),
        })
    }
}

/// A running emulator. Dropping it without [`Emulator::shutdown`] stops accepting requests
/// when the runtime ends.
#[derive(Debug)]
pub struct Emulator {
    /// The first service (the builder's container and environment).
    shared: Arc<Shared>,
    services: Services,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Emulator {
    /// A builder with defaults: development, in memory, no credentials checked, port 0.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// `http://127.0.0.1:PORT`, to put in place of `https://api.apple-cloudkit.com`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address listened on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The container identifier served.
    pub fn container(&self) -> &str {
        &self.shared.container
    }

    /// Signs out: the sign-in `token` belongs to, with every token rotated from it, is refused
    /// from now on with `AUTHENTICATION_REQUIRED`.
    pub fn sign_out(&self, token: &str) {
        self.shared.auth.sessions.revoke(token);
    }

    /// The test users of this emulator.
    pub fn directory(&self) -> &crate::directory::Directory {
        &self.shared.directory
    }

    /// Signs in the test user `name`; send the token as `ckWebAuthToken`. It holds in both
    /// environments of the builder's container.
    pub fn sign_in(&self, name: &str) -> WebAuthToken {
        self.shared.auth.sessions.sign_in(name)
    }

    /// Signs in the test user `name` to `container` (one added with
    /// [`EmulatorBuilder::add_container`], or the builder's own); `None` for a container not
    /// served.
    pub fn sign_in_to(&self, container: &str, name: &str) -> Option<WebAuthToken> {
        let shared = self
            .services
            .all()
            .iter()
            .find(|s| s.container == container)?;
        Some(shared.auth.sessions.sign_in(name))
    }

    /// Every (container, environment) served, the builder's first.
    pub fn served(&self) -> Vec<(String, Environment)> {
        self.services
            .all()
            .iter()
            .map(|s| (s.container.clone(), s.environment))
            .collect()
    }

    /// The test user `name` (its user record name is stable).
    pub fn user(&self, name: &str) -> User {
        User::named(name)
    }

    /// The schema as it stands now, in `.ckdb` form: in development it includes every record
    /// type and field added just in time.
    pub fn export_schema(&self) -> String {
        match self.shared.schema.read() {
            Ok(s) => s.export(),
            Err(p) => p.into_inner().export(),
        }
    }

    /// The schema of `container` in `environment` as it stands now (`None` when not served).
    pub fn export_schema_of(&self, container: &str, environment: Environment) -> Option<String> {
        let shared = self.services.get(container, environment)?;
        Some(match shared.schema.read() {
            Ok(s) => s.export(),
            Err(p) => p.into_inner().export(),
        })
    }

    /// Stops serving and waits for in-flight requests to finish.
    pub async fn shutdown(mut self) {
        for shared in self.services.all() {
            shared.courier.close();
        }
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}
