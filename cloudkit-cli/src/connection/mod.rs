//! The connection every data command shares (`records`, `zones`, `subscriptions`,
//! `changes`): which host, container, environment, database and zone, with which
//! credentials (`args`), and the database handle built from them (`database`).

mod args;
mod database;

pub use args::ConnectionArgs;
pub use database::{AnyDatabase, block_on};

/// Runs `$body` with `$db` bound to whichever database handle `$any` holds: the commands'
/// code is generic over the scope, and this picks the instance.
macro_rules! on_database {
    ($any:expr, $db:ident => $body:expr) => {
        match $any {
            $crate::connection::AnyDatabase::Public($db) => $body,
            $crate::connection::AnyDatabase::Private($db) => $body,
            $crate::connection::AnyDatabase::Shared($db) => $body,
        }
    };
}
pub(crate) use on_database;
