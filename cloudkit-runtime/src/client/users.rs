//! Users: who is signed in (`users/caller`, `users/current`) and user discovery
//! (`users/discover`, `users/lookup/email`, `users/lookup/id`), spec §3.22–3.27.
//!
//! Every call here needs a signed-in user (API token + web auth token); they all go to the
//! public database path, as CloudKit requires.

use super::error::{Error, ServerFailure};
use super::handle::Client;
use super::request::PreparedRequest;
use cloudkit_wire::ws::DatabaseScope;
use cloudkit_wire::ws::{
    CallerResponse, DiscoverRequest, DiscoverResponse, LookupInfo, User, UserIdentity,
    UsersLookupRequest, UsersLookupResponse,
};

pub(crate) const CALLER: &str = "users/caller";
pub(crate) const CURRENT: &str = "users/current";
pub(crate) const DISCOVER: &str = "users/discover";
pub(crate) const LOOKUP_EMAIL: &str = "users/lookup/email";
pub(crate) const LOOKUP_ID: &str = "users/lookup/id";

/// User calls of one client. Start with [`Client::users`].
#[derive(Clone, Debug)]
pub struct Users {
    client: Client,
}

impl Client {
    /// User identity and discovery calls.
    pub fn users(&self) -> Users {
        Users {
            client: self.clone(),
        }
    }
}

impl Users {
    fn path(&self, endpoint: &str) -> String {
        self.client.transport.path(DatabaseScope::Public, endpoint)
    }

    /// The `users/caller` request.
    pub fn prepare_caller(&self) -> PreparedRequest {
        PreparedRequest::get(self.path(CALLER), CALLER, DatabaseScope::Public)
    }

    /// The signed-in user's identity. Both answer shapes are read (`{"users": [identity]}` and
    /// the identity itself). Without a user this fails with `AUTHENTICATION_REQUIRED`; see
    /// [`Error::sign_in_required`].
    pub async fn caller(&self) -> Result<UserIdentity, Error> {
        let response: CallerResponse = self.client.transport.call(&self.prepare_caller()).await?;
        Ok(response.identity)
    }

    /// The signed-in user in the legacy dictionary (`users/current`).
    pub async fn current(&self) -> Result<User, Error> {
        let request = PreparedRequest::get(self.path(CURRENT), CURRENT, DatabaseScope::Public);
        self.client.transport.call(&request).await
    }

    /// The `users/discover` POST request.
    pub fn prepare_discover(&self, lookup_infos: &[LookupInfo]) -> Result<PreparedRequest, Error> {
        let body = DiscoverRequest {
            lookup_infos: lookup_infos.to_vec(),
        };
        PreparedRequest::post(self.path(DISCOVER), DISCOVER, DatabaseScope::Public, &body)
    }

    /// The discoverable users these lookup infos name (each with exactly one of email, phone,
    /// user record name). Users that are not found are simply absent from the answer; each
    /// identity found carries the lookup info it was found by.
    pub async fn discover(&self, lookup_infos: &[LookupInfo]) -> Result<Vec<UserIdentity>, Error> {
        identities(
            self.client
                .transport
                .call(&self.prepare_discover(lookup_infos)?)
                .await?,
        )
    }

    /// Every discoverable user (`GET users/discover`). The live service has answered this with
    /// `INTERNAL_ERROR` for years (spec §3.24); the emulator answers it.
    pub async fn discover_all(&self) -> Result<Vec<UserIdentity>, Error> {
        let request = PreparedRequest::get(self.path(DISCOVER), DISCOVER, DatabaseScope::Public);
        identities(self.client.transport.call(&request).await?)
    }

    /// Legacy lookup by email (`users/lookup/email`): one result per address, in order;
    /// unknown addresses are a per-item `NOT_FOUND`.
    pub async fn lookup_email(
        &self,
        emails: &[&str],
    ) -> Result<Vec<Result<User, ServerFailure>>, Error> {
        let users = emails.iter().map(|e| LookupInfo::email(*e)).collect();
        self.lookup(LOOKUP_EMAIL, users).await
    }

    /// Legacy lookup by user record name (`users/lookup/id`): one result per name, in order.
    pub async fn lookup_id(
        &self,
        user_record_names: &[&str],
    ) -> Result<Vec<Result<User, ServerFailure>>, Error> {
        let users = user_record_names
            .iter()
            .map(|n| LookupInfo::user_record_name(*n))
            .collect();
        self.lookup(LOOKUP_ID, users).await
    }

    async fn lookup(
        &self,
        endpoint: &'static str,
        users: Vec<LookupInfo>,
    ) -> Result<Vec<Result<User, ServerFailure>>, Error> {
        let count = users.len();
        let request = PreparedRequest::post(
            self.path(endpoint),
            endpoint,
            DatabaseScope::Public,
            &UsersLookupRequest { users },
        )?;
        self.client
            .transport
            .call_items(
                &request,
                count,
                "users asked for",
                |r: UsersLookupResponse| r.users,
            )
            .await
    }
}

fn identities(response: DiscoverResponse) -> Result<Vec<UserIdentity>, Error> {
    response
        .users
        .into_iter()
        .map(|u| u.map_err(|d| Error::from(ServerFailure::new(DISCOVER, None, d))))
        .collect()
}
