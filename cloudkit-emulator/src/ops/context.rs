//! One request's context for the operations: who calls, on which database, and the zone it
//! addresses resolved to a stored database.

use cloudkit_wire::ZoneId;
use cloudkit_wire::ws::{self as wire, DatabaseScope};

use super::names;
use crate::auth::Caller;
use crate::error::{ServerError, ServerErrorCode};
use crate::state::Shared;
use crate::storage::{DatabaseKey, StoredZone, Tx};
use crate::sync_token::SyncToken;

/// Owner name CloudKit reports for the public database's zone.
const PUBLIC_OWNER: &str = "_defaultOwner";

/// One request's context.
pub struct Ctx<'a> {
    /// Shared state.
    pub shared: &'a Shared,
    /// The database the request addresses.
    pub scope: DatabaseScope,
    /// The caller.
    pub caller: &'a Caller,
}

/// The zone a request addresses, resolved to a stored database.
#[derive(Debug, Clone)]
pub struct ZoneTarget {
    /// The database it is stored in.
    pub db: DatabaseKey,
    /// The zone name.
    pub zone_name: String,
    /// The zone's owner as reported in zone IDs.
    pub owner_record_name: String,
}

impl ZoneTarget {
    /// Whether this is the database's default zone.
    pub fn is_default(&self) -> bool {
        self.zone_name == ZoneId::DEFAULT_ZONE_NAME
    }

    /// The zone ID dictionary sent back.
    pub fn zone_id(&self) -> ZoneId {
        let mut id = ZoneId::new(self.zone_name.clone()).with_owner(self.owner_record_name.clone());
        id.zone_type = Some(
            if self.is_default() {
                "DEFAULT_ZONE"
            } else {
                "REGULAR_CUSTOM_ZONE"
            }
            .to_owned(),
        );
        id
    }
}

impl Ctx<'_> {
    /// The user the request acts as; every endpoint that gets here without one is public.
    pub fn user_record_name(&self) -> Option<&str> {
        self.caller.user_record_name()
    }

    /// The stored database of this request's scope (for the shared scope: none until sharing
    /// exists, so every zone there is missing).
    pub fn database(&self) -> Result<Option<DatabaseKey>, ServerError> {
        Ok(match self.scope {
            DatabaseScope::Public => Some(DatabaseKey::public()),
            DatabaseScope::Private => {
                let user = self.user_record_name().ok_or_else(|| {
                    ServerError::new(
                        ServerErrorCode::AuthenticationRequired,
                        "request needs authorization",
                    )
                })?;
                Some(DatabaseKey::private(user))
            }
            // Shares (cloudkit.share records and accepted participants) are a later piece; the
            // shared database of every user is empty until then.
            DatabaseScope::Shared => None,
        })
    }

    /// Resolves a zone ID of the request (absent = default zone) without checking that the
    /// zone exists.
    pub fn zone_target(&self, zone_id: Option<&ZoneId>) -> Result<ZoneTarget, ServerError> {
        let zone_name = zone_id.map_or(ZoneId::DEFAULT_ZONE_NAME, |z| z.zone_name.as_str());
        if zone_name.is_empty() {
            return Err(ServerError::bad_request("zoneName must not be empty"));
        }
        names::check_zone_name(zone_name)?;
        if let Some(owner) = zone_id.and_then(|z| z.owner_record_name.as_deref()) {
            names::check_owner_name(owner)?;
        }
        let db = self.database()?.ok_or_else(|| {
            ServerError::new(
                ServerErrorCode::ZoneNotFound,
                format!("zone '{zone_name}' does not exist"),
            )
        })?;
        if let Some(owner) = zone_id.and_then(|z| z.owner_record_name.as_deref()) {
            let own = match self.scope {
                DatabaseScope::Public => owner == PUBLIC_OWNER,
                _ => owner == db.owner || owner == "__defaultOwner__" || owner == PUBLIC_OWNER,
            };
            if !own {
                return Err(ServerError::new(
                    ServerErrorCode::ZoneNotFound,
                    format!("zone '{zone_name}' of owner '{owner}' does not exist"),
                ));
            }
        }
        let owner_record_name = match self.scope {
            DatabaseScope::Public => PUBLIC_OWNER.to_owned(),
            _ => db.owner.clone(),
        };
        Ok(ZoneTarget {
            db,
            zone_name: zone_name.to_owned(),
            owner_record_name,
        })
    }

    /// Resolves a zone and checks that it exists; returns its stored row (none for the
    /// default zone).
    pub fn existing_zone(
        &self,
        tx: &Tx<'_>,
        zone_id: Option<&ZoneId>,
    ) -> Result<(ZoneTarget, Option<StoredZone>), ServerError> {
        let target = self.zone_target(zone_id)?;
        if target.is_default() {
            return Ok((target, None));
        }
        if self.scope == DatabaseScope::Public {
            return Err(ServerError::new(
                ServerErrorCode::ZoneNotFound,
                format!(
                    "zone '{}' does not exist: the public database has only the default zone",
                    target.zone_name
                ),
            ));
        }
        match tx.zone(&target.db, &target.zone_name)? {
            Some(z) if !z.deleted => Ok((target, Some(z))),
            _ => Err(ServerError::new(
                ServerErrorCode::ZoneNotFound,
                format!("zone '{}' does not exist", target.zone_name),
            )),
        }
    }
}

/// The zone dictionary of a zone.
pub fn zone_dict(target: &ZoneTarget, stored: Option<&StoredZone>) -> wire::Zone {
    let mut zone = wire::Zone::new(target.zone_id());
    if let Some(z) = stored {
        zone.sync_token = Some(
            SyncToken::Zone {
                zone_name: z.zone_name.clone(),
                epoch: z.epoch,
                seq: z.change_seq,
            }
            .encode(),
        );
        zone.atomic = Some(true);
    } else {
        zone.atomic = Some(false);
    }
    zone
}
