//! Why the emulator could not start.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// The schema file could not be read.
    #[error("cannot read schema file {path}: {source}")]
    SchemaFile {
        /// The path given.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The schema has errors (rendered diagnostics, one per line).
    #[error("the schema has errors:\n{0}")]
    Schema(String),
    /// A server key could not be loaded.
    #[error(transparent)]
    ServerKey(#[from] crate::auth::signature::KeyError),
    /// A server key file could not be read.
    #[error("cannot read server key file {path}: {source}")]
    ServerKeyFile {
        /// The path given.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The fault spec did not parse.
    #[error(transparent)]
    Faults(#[from] crate::faults::FaultSpecError),
    /// A container identifier that cannot be served: empty, not letters, digits, `.`, `-`
    /// and `_`, or given twice.
    #[error(
        "cannot serve the container `{0}`: give each container once, as letters, digits, `.`, `-` and `_` (e.g. iCloud.com.example.app)"
    )]
    Container(String),
    /// The store could not be opened.
    #[error("cannot open the store: {0}")]
    Store(String),
    /// The port could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address tried.
        addr: SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },
}
