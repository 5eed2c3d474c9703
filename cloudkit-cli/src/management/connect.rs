//! A management client for one command, and running its calls to completion.

use std::future::Future;

use cloudkit_runtime::management::{Error, ManagedContainer, ManagementClient};

use super::credentials::Target;

/// A built client and the container a command works on.
pub struct Connection {
    client: ManagementClient,
    target: Target,
}

impl Connection {
    /// Builds the client for `target`.
    pub fn open(target: Target) -> Result<Connection, String> {
        let mut builder = ManagementClient::builder().management_token(target.token.clone());
        if let Some(url) = &target.url {
            builder = builder.base_url(url);
        }
        let client = builder.build().map_err(|e| e.to_string())?;
        Ok(Connection { client, target })
    }

    /// The container's schema calls.
    pub fn container(&self) -> ManagedContainer<'_> {
        self.client
            .container(&self.target.team, &self.target.container)
    }

    /// The container id, for messages.
    pub fn container_id(&self) -> &str {
        &self.target.container
    }
}

/// Runs one call on a single-threaded runtime; the CLI makes its calls one after another.
pub fn block_on<F: Future<Output = Result<T, Error>>, T>(future: F) -> Result<T, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(future).map_err(|e| e.to_string())
}
