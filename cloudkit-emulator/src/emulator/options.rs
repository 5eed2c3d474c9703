//! What an emulator is configured with beside its builder's plain values: where records are
//! kept, the schema of each further container, and the default limits.

use std::path::PathBuf;
use std::time::Duration;

/// Where records are kept.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Storage {
    /// In memory; gone at shutdown.
    #[default]
    Memory,
    /// In a SQLite file (WAL mode), created if missing, kept across restarts.
    File(PathBuf),
}

/// The default asset size limit: 15 MB (15 × 1024 × 1024 bytes), the figure of Apple's
/// upload page. Apple's limits table says 50 MB; the smaller one is the default so that code
/// tested here works under either rule. [`crate::EmulatorBuilder::max_asset_size`] changes it.
pub const DEFAULT_MAX_ASSET_BYTES: u64 = 15 * 1024 * 1024;

/// The default limit of a JSON request body: 8 MB (8 × 1024 × 1024 bytes). CloudKit documents
/// none for Web Services; the native framework's guideline is 2 MB per request, and a record
/// may hold 1 MB of fields, so this leaves room for a batch of several full records while
/// bounding what one request can make the emulator hold. Larger bodies get
/// `413 QUOTA_EXCEEDED` ([`crate::EmulatorBuilder::max_request_size`] changes it).
pub const DEFAULT_MAX_REQUEST_BYTES: usize = 8 * 1024 * 1024;

/// The default budget of request body bytes held at once across all requests: 64 MB, eight
/// full-size JSON bodies. Without it, every open connection could hold a full body
/// ([`crate::EmulatorBuilder::max_body_memory`]).
pub const DEFAULT_MAX_BODY_MEMORY: usize = 64 * 1024 * 1024;

/// The default number of connections open at once: 512, well under the usual limit of 1024
/// open files per process. When all are taken, the oldest connection with no request in
/// progress is closed to make room ([`crate::EmulatorBuilder::max_connections`]).
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// The default time a client has to send a request's headers, and that an idle keep-alive
/// connection stays open: 30 s, hyper's own default once a timer is set
/// ([`crate::EmulatorBuilder::header_read_timeout`]).
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The default time from a request's headers to its answer: 90 s, above the longest web
/// courier hold (60 s) ([`crate::EmulatorBuilder::request_timeout`]). Past it the answer is
/// `503 TRY_AGAIN_LATER`.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(90);

/// The team id the emulator's management API reports when none is set
/// ([`crate::EmulatorBuilder::team_id`]): ten characters, like Apple's.
pub const DEFAULT_TEAM_ID: &str = "EMULATOR00";

/// The schema of a container served beside the builder's own ([`crate::EmulatorBuilder::add_container`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ContainerSchema {
    /// No schema: development grows one just in time; production has no record types.
    #[default]
    None,
    /// The schema as `.ckdb` text.
    Source(String),
    /// A `.ckdb` file.
    File(PathBuf),
}
