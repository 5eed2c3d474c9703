//! Every response the emulator sends decodes with the wire model the client uses.

use cloudkit_emulator::Environment;
use cloudkit_wire::ZoneId;
use cloudkit_wire::ws::{
    CallerResponse, DatabaseChangesRequest, DatabaseChangesResponse, LookupSubscriptionsRequest,
    ModifySubscriptionsRequest, Query, QueryRecordsRequest, QueryRecordsResponse,
    RecordOperationType as Op, RecordsResponse, ServerError, Subscription, SubscriptionLookup,
    SubscriptionOperation, SubscriptionsResponse, User, ZoneChangesRequest, ZoneChangesRequestZone,
    ZoneChangesResponse, ZonesLookupRequest, ZonesResponse,
};

use crate::common::{Client, start};
use crate::records::{create_zone, modify, note, op};

#[tokio::test]
async fn every_response_decodes_with_the_wire_model() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    create_zone(&alice, "Notes").await;
    let r = alice
        .post(
            "private",
            "records/modify",
            &modify(
                vec![
                    op(Op::Create, note("a", "t")),
                    op(Op::Create, note("a", "dup")),
                ],
                Some("Notes"),
                Some(false),
            ),
        )
        .await;
    let m: RecordsResponse = r.decode();
    assert!(m.records[0].is_ok() && m.records[1].is_err());
    let q: QueryRecordsResponse = alice
        .post(
            "private",
            "records/query",
            &QueryRecordsRequest {
                zone_id: Some(ZoneId::new("Notes")),
                ..QueryRecordsRequest::new(Query::new("Note"))
            },
        )
        .await
        .decode();
    assert_eq!(q.records.len(), 1);
    let z: ZonesResponse = alice.get("private", "zones/list").await.decode();
    assert_eq!(z.zones.len(), 2);
    let z: ZonesResponse = alice
        .post(
            "private",
            "zones/lookup",
            &ZonesLookupRequest {
                zones: vec![ZoneId::new("Nope")],
            },
        )
        .await
        .decode();
    assert!(z.zones[0].is_err());
    let d: DatabaseChangesResponse = alice
        .post(
            "private",
            "changes/database",
            &DatabaseChangesRequest::default(),
        )
        .await
        .decode();
    assert!(d.sync_token.is_some());
    let c: ZoneChangesResponse = alice
        .post(
            "private",
            "changes/zone",
            &ZoneChangesRequest {
                zones: vec![ZoneChangesRequestZone::new(ZoneId::new("Notes"), None)],
                ..ZoneChangesRequest::default()
            },
        )
        .await
        .decode();
    assert!(c.zones[0].as_ref().is_ok_and(|z| z.records.len() == 1));
    let s: SubscriptionsResponse = alice
        .post(
            "private",
            "subscriptions/modify",
            &ModifySubscriptionsRequest {
                operations: vec![
                    SubscriptionOperation::create(Subscription::zone("z", ZoneId::new("Notes"))),
                    SubscriptionOperation::delete("z"),
                ],
            },
        )
        .await
        .decode();
    assert_eq!(s.subscriptions.len(), 2);
    let s: SubscriptionsResponse = alice
        .post(
            "private",
            "subscriptions/lookup",
            &LookupSubscriptionsRequest {
                subscriptions: vec![SubscriptionLookup {
                    subscription_id: "z".into(),
                }],
            },
        )
        .await
        .decode();
    assert!(s.subscriptions[0].is_err());
    let s: SubscriptionsResponse = alice.get("private", "subscriptions/list").await.decode();
    assert!(s.subscriptions.is_empty());
    let caller: CallerResponse = alice.get("public", "users/caller").await.decode();
    assert_eq!(
        caller.identity.user_record_name.as_deref(),
        Some(emu.user("alice").user_record_name.as_str())
    );
    let current: User = alice.get("public", "users/current").await.decode();
    assert!(current.user_record_name.is_some());
    let anon = Client::anonymous(&emu);
    let e: ServerError = anon.get("private", "zones/list").await.decode();
    assert_eq!(e.http_status(), 421);
    assert!(e.redirect_url.is_some() && e.uuid.is_some());
    emu.shutdown().await;
}
