//! Talking to CloudKit's management API from the CLI: which container, which token, which
//! host (`credentials`, `config`), and a client for one command (`connect`). The config file
//! is shared with the data commands (`crate::connection`).

pub mod config;
mod connect;
mod credentials;

pub use connect::{Connection, block_on};
pub use credentials::TargetArgs;
