//! Database handles. Each scope offers only what CloudKit supports there; calls that cannot
//! work (a change feed on the public database, creating zones outside the private database)
//! do not compile.

use std::marker::PhantomData;

use super::handle::Client;
use cloudkit_wire::ws::DatabaseScope;

mod sealed {
    pub trait Sealed {}
}

/// A database scope marker: [`Public`], [`Private`] or [`Shared`].
pub trait Scope: sealed::Sealed + Send + Sync + 'static {
    /// The path segment this marker stands for.
    const SCOPE: DatabaseScope;
}

/// Scopes with change feeds (`changes/database`, `changes/zone`): private and shared.
#[diagnostic::on_unimplemented(
    message = "the public database has no change feeds",
    label = "change feeds exist only in the private and shared databases",
    note = "use `client.signed_in()?.private_database()` or `.shared_database()`"
)]
pub trait HasChangeFeeds: Scope {}

/// Scopes where the caller can create and delete zones: private only.
#[diagnostic::on_unimplemented(
    message = "zones cannot be created or deleted in the public or shared database",
    label = "custom zones are created in the private database",
    note = "use `client.signed_in()?.private_database().zones()`"
)]
pub trait HasCustomZones: Scope {}

/// Marker for the public database.
#[derive(Clone, Copy, Debug)]
pub struct Public;
/// Marker for the private database (needs a signed-in user).
#[derive(Clone, Copy, Debug)]
pub struct Private;
/// Marker for the shared database (needs a signed-in user).
#[derive(Clone, Copy, Debug)]
pub struct Shared;

impl sealed::Sealed for Public {}
impl sealed::Sealed for Private {}
impl sealed::Sealed for Shared {}
impl Scope for Public {
    const SCOPE: DatabaseScope = DatabaseScope::Public;
}
impl Scope for Private {
    const SCOPE: DatabaseScope = DatabaseScope::Private;
}
impl Scope for Shared {
    const SCOPE: DatabaseScope = DatabaseScope::Shared;
}
impl HasChangeFeeds for Private {}
impl HasChangeFeeds for Shared {}
impl HasCustomZones for Private {}

impl std::fmt::Display for Public {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("public")
    }
}
impl std::fmt::Display for Private {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("private")
    }
}
impl std::fmt::Display for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("shared")
    }
}

/// A handle on one database of the client's container. Cheap to clone.
///
/// ```compile_fail
/// # async fn f(client: cloudkit_runtime::client::Client) {
/// // The public database has no change feeds: this does not compile.
/// let feed = client.public_database().database_changes(None);
/// # }
/// ```
///
/// ```compile_fail
/// # async fn f(user: cloudkit_runtime::client::UserSession) {
/// // Zones are created in the private database only.
/// user.shared_database().zones().create(cloudkit_runtime::ZoneId::new("Notes")).await;
/// # }
/// ```
pub struct Database<S: Scope> {
    pub(crate) client: Client,
    scope: PhantomData<S>,
}

impl<S: Scope> Clone for Database<S> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            scope: PhantomData,
        }
    }
}

impl<S: Scope> std::fmt::Debug for Database<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("scope", &S::SCOPE)
            .field("container", &self.client.container())
            .finish()
    }
}

/// The public database.
pub type PublicDatabase = Database<Public>;
/// The signed-in user's private database.
pub type PrivateDatabase = Database<Private>;
/// The shared database.
pub type SharedDatabase = Database<Shared>;

impl Client {
    /// The public database. The private and shared databases need a signed-in user: reach
    /// them through [`Client::signed_in`] or [`Client::as_user`].
    ///
    /// ```compile_fail
    /// # fn f(client: cloudkit_runtime::client::Client) {
    /// // A client's type does not say a user is signed in: this does not compile.
    /// let private = client.private_database();
    /// # }
    /// ```
    pub fn public_database(&self) -> PublicDatabase {
        Database::new(self.clone())
    }
}

impl<S: Scope> Database<S> {
    pub(crate) fn new(client: Client) -> Self {
        Self {
            client,
            scope: PhantomData,
        }
    }

    /// Which database this is.
    pub fn scope(&self) -> DatabaseScope {
        S::SCOPE
    }

    /// The client this handle belongs to.
    pub fn client(&self) -> &Client {
        &self.client
    }

    pub(crate) fn path(&self, endpoint: &str) -> String {
        self.client.transport.path(S::SCOPE, endpoint)
    }
}
