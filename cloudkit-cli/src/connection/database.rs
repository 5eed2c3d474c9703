//! The database handle a data command works on, reached through the runtime's sessions:
//! `as_user(token)` for the private and shared databases (and for a signed-in user's public
//! writes), `as_server()` for a server-to-server key, the client itself for anonymous
//! public reads with an API token.

use std::future::Future;

use cloudkit_runtime::ZoneId;
use cloudkit_runtime::client::{PrivateDatabase, PublicDatabase, SharedDatabase};

use super::args::{ConnectionArgs, DatabaseArg, Resolved};

/// One of the three databases; commands run the same generic code on each (see `on_database!` in the parent module).
#[derive(Debug, Clone)]
pub enum AnyDatabase {
    /// The public database.
    Public(PublicDatabase),
    /// The signed-in user's private database.
    Private(PrivateDatabase),
    /// The shared database.
    Shared(SharedDatabase),
}

/// A database handle and the zone the command addresses.
#[derive(Debug, Clone)]
pub struct Connected {
    /// The database.
    pub database: AnyDatabase,
    /// `--zone`.
    pub zone: ZoneId,
}

impl ConnectionArgs {
    /// Resolves the flags and opens the database they name.
    pub fn connect(&self) -> Result<Connected, String> {
        let resolved = self.resolve()?;
        open(resolved)
    }

    /// [`connect`](Self::connect), printing why not on stderr when it cannot.
    pub fn connect_or_report(&self) -> Option<Connected> {
        self.connect()
            .map_err(|error| eprintln!("error: {error}"))
            .ok()
    }
}

fn open(resolved: Resolved) -> Result<Connected, String> {
    let Resolved {
        client,
        web_auth_token,
        has_server_key,
        database,
        zone,
    } = resolved;
    let user = || match web_auth_token.clone() {
        Some(token) => client.as_user(token).map_err(|e| e.to_string()),
        None => Err(format!(
            "the {} database needs a signed-in user: set CLOUDKIT_WEB_AUTH_TOKEN (with \
             CLOUDKIT_API_TOKEN) or pass --web-auth-token",
            match database {
                DatabaseArg::Private => "private",
                _ => "shared",
            }
        )),
    };
    let database = match database {
        DatabaseArg::Public if web_auth_token.is_some() && !has_server_key => {
            AnyDatabase::Public(user()?.public_database())
        }
        DatabaseArg::Public if has_server_key => AnyDatabase::Public(
            client
                .as_server()
                .map_err(|e| e.to_string())?
                .public_database(),
        ),
        DatabaseArg::Public => AnyDatabase::Public(client.public_database()),
        DatabaseArg::Private => AnyDatabase::Private(user()?.private_database()),
        DatabaseArg::Shared => AnyDatabase::Shared(user()?.shared_database()),
    };
    Ok(Connected { database, zone })
}

/// Runs a command's calls on a single-threaded runtime; the CLI makes them one after another
/// (a batch's requests overlap inside the runtime's own `send`).
pub fn block_on<F: Future<Output = T>, T>(future: F) -> Result<T, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    Ok(runtime.block_on(future))
}
