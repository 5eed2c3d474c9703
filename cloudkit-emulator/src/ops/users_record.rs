//! The `Users` record: CloudKit keeps one per user of the app in the public database, named by
//! the user record name `users/caller` reports (the schema language's system type `Users`).
//! The emulator creates it on the user's first request, created and owned by that user, so it
//! reads and writes under the `Users` grants (or, where the schema has none, the just-in-time
//! grants: everyone reads, the creator writes).

use cloudkit_wire::ZoneId;

use super::context::Ctx;
use crate::change_tag;
use crate::error::ServerError;
use crate::storage::{DatabaseKey, Stamp, StoredRecord};

/// The system record type of user records.
pub const USERS: &str = "Users";

/// Makes sure the calling user (if any) has a `Users` record in the public database. Users
/// already seen by this process skip the store.
pub fn ensure(ctx: &Ctx<'_>) -> Result<(), ServerError> {
    let Some(me) = ctx.user_record_name() else {
        return Ok(());
    };
    let seen = |name: &str| {
        ctx.shared
            .users_seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(name)
    };
    if seen(me) {
        return Ok(());
    }
    let db = DatabaseKey::public();
    ctx.shared.store.run_transaction(|tx| {
        // A tombstone counts too: a deleted user record is not brought back behind the
        // user's back.
        if tx.record(&db, ZoneId::DEFAULT_ZONE_NAME, me)?.is_some() {
            return Ok::<_, ServerError>(());
        }
        let seq = tx.next_seq()?;
        let stamp = Stamp {
            timestamp: ctx.shared.clock.now_ms(),
            user_record_name: me.to_owned(),
        };
        tx.put_record(
            &db,
            &StoredRecord {
                zone_name: ZoneId::DEFAULT_ZONE_NAME.to_owned(),
                record_name: me.to_owned(),
                record_type: USERS.to_owned(),
                change_tag: change_tag::from_seq(seq),
                fields: "{}".to_owned(),
                created: stamp.clone(),
                modified: stamp,
                change_seq: seq,
                deleted: false,
                parent: None,
                short_guid: None,
            },
        )?;
        Ok(())
    })?;
    ctx.shared
        .users_seen
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(me.to_owned());
    Ok(())
}
