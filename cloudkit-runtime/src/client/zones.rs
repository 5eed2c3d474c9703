//! Zones: list and look up in every database; create and delete in the private database.

use super::database::{Database, HasCustomZones, Scope};
use super::error::{Error, ServerFailure, per_item};
use super::operations::{ModifyEndpoint, Sent, send_operations};
use super::request::PreparedRequest;
use super::retry::CallStart;
use super::transport::Transport;
use cloudkit_wire::ws::{
    ServerError as WireServerError, ServerErrorCode, Zone, ZoneId, ZoneOperation,
    ZoneOperationType, ZonesLookupRequest, ZonesModifyRequest, ZonesResponse,
};

pub(crate) const LIST: &str = "zones/list";
pub(crate) const LOOKUP: &str = "zones/lookup";
pub(crate) const MODIFY: &str = "zones/modify";

/// Zone operations of one database. Start with [`Database::zones`].
#[derive(Clone, Debug)]
pub struct Zones<S: Scope> {
    db: Database<S>,
}

impl<S: Scope> Database<S> {
    /// Zone operations on this database.
    pub fn zones(&self) -> Zones<S> {
        Zones { db: self.clone() }
    }
}

fn one(endpoint: &'static str, mut zones: Vec<Result<Zone, ServerFailure>>) -> Result<Zone, Error> {
    match (zones.pop(), zones.is_empty()) {
        (Some(zone), true) => zone.map_err(Error::from),
        _ => Err(Error::unexpected(
            endpoint,
            200,
            "expected exactly one zone",
            b"",
        )),
    }
}

impl<S: Scope> Zones<S> {
    /// The `zones/list` request.
    pub fn prepare_list(&self) -> PreparedRequest {
        PreparedRequest::get(self.db.path(LIST), LIST, S::SCOPE)
    }

    /// The `zones/lookup` request.
    pub fn prepare_lookup(&self, zone_ids: &[ZoneId]) -> Result<PreparedRequest, Error> {
        let body = ZonesLookupRequest {
            zones: zone_ids.to_vec(),
        };
        PreparedRequest::post(self.db.path(LOOKUP), LOOKUP, S::SCOPE, &body)
    }

    /// Every zone of the database.
    pub async fn list(&self) -> Result<Vec<Zone>, Error> {
        self.send(&self.prepare_list())
            .await?
            .into_iter()
            .map(|z| z.map_err(Error::from))
            .collect()
    }

    /// Looks zones up; one result per ID, in order (`ZONE_NOT_FOUND` for missing ones).
    pub async fn lookup(
        &self,
        zone_ids: &[ZoneId],
    ) -> Result<Vec<Result<Zone, ServerFailure>>, Error> {
        self.send(&self.prepare_lookup(zone_ids)?).await
    }

    /// Sends a zones request; one result per zone in the answer.
    async fn send(
        &self,
        request: &PreparedRequest,
    ) -> Result<Vec<Result<Zone, ServerFailure>>, Error> {
        let response: ZonesResponse = self.db.client.transport.call(request).await?;
        Ok(per_item(request.endpoint, response.zones))
    }
}

// Bounds on the methods, not the impl: only then does rustc print `HasCustomZones`'s message.
impl<S: Scope> Zones<S> {
    /// The `zones/modify` request.
    pub fn prepare_modify(&self, operations: Vec<ZoneOperation>) -> Result<PreparedRequest, Error>
    where
        S: HasCustomZones,
    {
        let body = ZonesModifyRequest { operations };
        PreparedRequest::post(self.db.path(MODIFY), MODIFY, S::SCOPE, &body)
    }

    /// Creates and deletes zones; one result per operation, in order.
    ///
    /// Sent like a records batch: a request the server refuses as too large goes again as two
    /// halves, and operations answered with a transient error (`ZONE_BUSY`, `THROTTLED`...)
    /// are sent again on their own, within one retry deadline
    /// ([`RetryPolicy::max_elapsed`](super::RetryPolicy::max_elapsed)).
    ///
    /// When an operation may have been applied by an attempt whose answer was lost, a `create`
    /// answered `EXISTS` and a `delete` answered `ZONE_NOT_FOUND` count as done: the zone is
    /// where the operation wanted it. Otherwise they stay errors.
    pub async fn modify(
        &self,
        operations: Vec<ZoneOperation>,
    ) -> Result<Vec<Result<Zone, ServerFailure>>, Error>
    where
        S: HasCustomZones,
    {
        let Sent {
            mut results,
            maybe_applied,
        } = send_operations(self, &operations, false, CallStart::now()).await?;
        self.reconcile(&operations, &maybe_applied, &mut results)
            .await;
        Ok(results)
    }

    /// Turns the answers a lost earlier attempt explains into successes.
    async fn reconcile(
        &self,
        operations: &[ZoneOperation],
        maybe_applied: &[bool],
        results: &mut [Result<Zone, ServerFailure>],
    ) where
        S: HasCustomZones,
    {
        for ((operation, result), _) in operations
            .iter()
            .zip(results.iter_mut())
            .zip(maybe_applied)
            .filter(|(_, maybe)| **maybe)
        {
            let Err(failure) = result else { continue };
            let zone_id = operation.zone.zone_id.clone();
            match (operation.operation_type, failure.code()) {
                (ZoneOperationType::Create, ServerErrorCode::Exists) => {
                    // The zone's own dictionary when it can be read; the ID otherwise.
                    let found = self.lookup(std::slice::from_ref(&zone_id)).await;
                    let zone = match found.ok().and_then(|mut z| z.pop()) {
                        Some(Ok(zone)) => zone,
                        _ => Zone::new(zone_id),
                    };
                    *result = Ok(zone);
                }
                (ZoneOperationType::Delete, ServerErrorCode::ZoneNotFound) => {
                    let mut zone = Zone::new(zone_id);
                    zone.deleted = Some(true);
                    *result = Ok(zone);
                }
                _ => {}
            }
        }
    }

    /// Creates one zone.
    pub async fn create(&self, zone_id: ZoneId) -> Result<Zone, Error>
    where
        S: HasCustomZones,
    {
        one(
            MODIFY,
            self.modify(vec![ZoneOperation::create(zone_id)]).await?,
        )
    }

    /// Deletes one zone and every record in it.
    pub async fn delete(&self, zone_id: ZoneId) -> Result<(), Error>
    where
        S: HasCustomZones,
    {
        one(
            MODIFY,
            self.modify(vec![ZoneOperation::delete(zone_id)]).await?,
        )
        .map(|_| ())
    }
}

impl<S: HasCustomZones> ModifyEndpoint for Zones<S> {
    type Operation = ZoneOperation;
    type Item = Zone;
    type Response = ZonesResponse;
    const ENDPOINT: &'static str = MODIFY;

    fn transport(&self) -> &Transport {
        &self.db.client.transport
    }

    fn request(&self, operations: Vec<ZoneOperation>) -> Result<PreparedRequest, Error> {
        self.prepare_modify(operations)
    }

    fn items(response: ZonesResponse) -> Vec<Result<Zone, WireServerError>> {
        response.zones
    }
}
