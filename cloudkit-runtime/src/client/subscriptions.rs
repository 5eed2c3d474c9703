//! Subscriptions: list, look up, create, update, delete (query and zone subscriptions).

use super::database::{Database, Scope};
use super::error::{Error, ServerFailure, per_item};
use super::operations::{ModifyEndpoint, Sent, send_operations};
use super::request::PreparedRequest;
use super::retry::CallStart;
use super::transport::Transport;
use cloudkit_wire::ws::{
    LookupSubscriptionsRequest, ModifySubscriptionsRequest, ServerError as WireServerError,
    ServerErrorCode, Subscription, SubscriptionLookup, SubscriptionOperation,
    SubscriptionOperationType, SubscriptionsResponse,
};

pub(crate) const LIST: &str = "subscriptions/list";
pub(crate) const LOOKUP: &str = "subscriptions/lookup";
pub(crate) const MODIFY: &str = "subscriptions/modify";

/// Subscription operations of one database. Start with [`Database::subscriptions`].
///
/// Subscriptions in the shared database are unconfirmed on the live service.
#[derive(Clone, Debug)]
pub struct Subscriptions<S: Scope> {
    db: Database<S>,
}

/// A batch of subscription operations. Start with [`Subscriptions::modify`].
#[derive(Clone, Debug)]
#[must_use = "a batch does nothing until `send` is awaited"]
pub struct ModifySubscriptions<S: Scope> {
    db: Database<S>,
    operations: Vec<SubscriptionOperation>,
}

impl<S: Scope> Database<S> {
    /// Subscription operations on this database.
    pub fn subscriptions(&self) -> Subscriptions<S> {
        Subscriptions { db: self.clone() }
    }
}

/// Sends a subscriptions request; one result per subscription in the answer.
async fn send<S: Scope>(
    db: &Database<S>,
    request: &PreparedRequest,
) -> Result<Vec<Result<Subscription, ServerFailure>>, Error> {
    let response: SubscriptionsResponse = db.client.transport.call(request).await?;
    Ok(per_item(request.endpoint, response.subscriptions))
}

fn one(mut items: Vec<Result<Subscription, ServerFailure>>) -> Result<Subscription, Error> {
    match (items.pop(), items.is_empty()) {
        (Some(item), true) => item.map_err(Error::from),
        _ => Err(Error::unexpected(
            MODIFY,
            200,
            "expected exactly one subscription",
            b"",
        )),
    }
}

impl<S: Scope> Subscriptions<S> {
    /// The `subscriptions/list` request.
    pub fn prepare_list(&self) -> PreparedRequest {
        PreparedRequest::get(self.db.path(LIST), LIST, S::SCOPE)
    }

    /// The `subscriptions/lookup` request.
    pub fn prepare_lookup(&self, ids: &[String]) -> Result<PreparedRequest, Error> {
        let body = LookupSubscriptionsRequest {
            subscriptions: ids
                .iter()
                .map(|id| SubscriptionLookup {
                    subscription_id: id.clone(),
                })
                .collect(),
        };
        PreparedRequest::post(self.db.path(LOOKUP), LOOKUP, S::SCOPE, &body)
    }

    /// Every subscription of the database.
    pub async fn list(&self) -> Result<Vec<Subscription>, Error> {
        send(&self.db, &self.prepare_list())
            .await?
            .into_iter()
            .map(|s| s.map_err(Error::from))
            .collect()
    }

    /// Looks subscriptions up; one result per ID, in order.
    pub async fn lookup(
        &self,
        ids: &[String],
    ) -> Result<Vec<Result<Subscription, ServerFailure>>, Error> {
        send(&self.db, &self.prepare_lookup(ids)?).await
    }

    /// Starts a batch of create/update/delete operations.
    pub fn modify(&self) -> ModifySubscriptions<S> {
        ModifySubscriptions {
            db: self.db.clone(),
            operations: Vec::new(),
        }
    }

    /// Creates a subscription (query or zone). Anything convertible into the wire subscription
    /// dictionary works, so typed subscription builders plug in.
    pub async fn save(&self, subscription: impl Into<Subscription>) -> Result<Subscription, Error> {
        one(self.modify().create(subscription).send().await?)
    }

    /// Replaces an existing subscription.
    pub async fn update(
        &self,
        subscription: impl Into<Subscription>,
    ) -> Result<Subscription, Error> {
        one(self.modify().update(subscription).send().await?)
    }

    /// Deletes a subscription by ID.
    pub async fn delete(&self, subscription_id: impl Into<String>) -> Result<(), Error> {
        one(self.modify().delete(subscription_id).send().await?).map(|_| ())
    }
}

impl<S: Scope> ModifySubscriptions<S> {
    /// Adds a `create`.
    pub fn create(mut self, subscription: impl Into<Subscription>) -> Self {
        self.operations
            .push(SubscriptionOperation::create(subscription.into()));
        self
    }

    /// Adds an `update`.
    pub fn update(mut self, subscription: impl Into<Subscription>) -> Self {
        self.operations
            .push(SubscriptionOperation::update(subscription.into()));
        self
    }

    /// Adds a `delete` (the server echoes only the ID).
    pub fn delete(mut self, subscription_id: impl Into<String>) -> Self {
        self.operations
            .push(SubscriptionOperation::delete(subscription_id));
        self
    }

    /// The `subscriptions/modify` request.
    pub fn prepare(&self) -> Result<PreparedRequest, Error> {
        self.request(self.operations.clone())
    }

    /// Sends the batch; one result per operation, in order.
    ///
    /// Sent like a records batch: a request the server refuses as too large goes again as two
    /// halves, and operations answered with a transient error (`THROTTLED`,
    /// `TRY_AGAIN_LATER`...) are sent again on their own, within one retry deadline
    /// ([`RetryPolicy::max_elapsed`](super::RetryPolicy::max_elapsed)).
    ///
    /// When an operation may have been applied by an attempt whose answer was lost, a `delete`
    /// answered `NOT_FOUND` counts as done, and a `create` answered `EXISTS` counts as done
    /// when the server holds that subscription (it is then the server's copy). Otherwise they
    /// stay errors.
    pub async fn send(self) -> Result<Vec<Result<Subscription, ServerFailure>>, Error> {
        let Sent {
            mut results,
            maybe_applied,
        } = send_operations(&self, &self.operations, false, CallStart::now()).await?;
        self.reconcile(&maybe_applied, &mut results).await;
        Ok(results)
    }

    /// Turns the answers a lost earlier attempt explains into successes.
    async fn reconcile(
        &self,
        maybe_applied: &[bool],
        results: &mut [Result<Subscription, ServerFailure>],
    ) {
        for ((operation, result), _) in self
            .operations
            .iter()
            .zip(results.iter_mut())
            .zip(maybe_applied)
            .filter(|(_, maybe)| **maybe)
        {
            let Err(failure) = result else { continue };
            let id = operation.subscription.subscription_id.clone();
            match (operation.operation_type, failure.code()) {
                (SubscriptionOperationType::Delete, ServerErrorCode::NotFound) => {
                    *result = Ok(Subscription::id_only(id));
                }
                (SubscriptionOperationType::Create, ServerErrorCode::Exists) => {
                    let subscriptions = self.db.subscriptions();
                    let found = subscriptions.lookup(std::slice::from_ref(&id)).await;
                    if let Some(Ok(existing)) = found.ok().and_then(|mut s| s.pop()) {
                        *result = Ok(existing);
                    }
                }
                _ => {}
            }
        }
    }
}

impl<S: Scope> ModifyEndpoint for ModifySubscriptions<S> {
    type Operation = SubscriptionOperation;
    type Item = Subscription;
    type Response = SubscriptionsResponse;
    const ENDPOINT: &'static str = MODIFY;

    fn transport(&self) -> &Transport {
        &self.db.client.transport
    }

    fn request(&self, operations: Vec<SubscriptionOperation>) -> Result<PreparedRequest, Error> {
        let body = ModifySubscriptionsRequest { operations };
        PreparedRequest::post(self.db.path(MODIFY), MODIFY, S::SCOPE, &body)
    }

    fn items(response: SubscriptionsResponse) -> Vec<Result<Subscription, WireServerError>> {
        response.subscriptions
    }
}
