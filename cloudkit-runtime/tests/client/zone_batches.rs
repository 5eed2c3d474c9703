//! Zone and subscription batches are sent like record batches: a request the emulator refuses
//! as too large (more than 200 operations) goes again as halves, through injected faults, and
//! nothing is lost or duplicated.

use crate::support::{emulator, user_client};
use cloudkit_emulator::FaultSpec;
use cloudkit_runtime::ZoneId;
use cloudkit_runtime::wire::{Subscription, ZoneOperation};

const COUNT: usize = 250;

#[tokio::test]
async fn zone_and_subscription_batches_over_the_limit_are_split_through_faults() {
    // A fifth of the requests throttled or dropped after being applied.
    let spec: FaultSpec = "throttled=0.1,drop=0.1,retry_after=0"
        .parse()
        .expect("spec");
    let emu = emulator(Some(spec)).await;
    let client = user_client(&emu, "zoe");
    let db = client.signed_in().expect("signed in").private_database();
    let zone = |i: usize| ZoneId::new(format!("batch{i:03}"));

    let created = db
        .zones()
        .modify((0..COUNT).map(|i| ZoneOperation::create(zone(i))).collect())
        .await
        .expect("250 zone creates, split");
    assert_eq!(created.len(), COUNT);
    for (i, result) in created.iter().enumerate() {
        let zone_created = result.as_ref().expect("zone created");
        assert_eq!(
            zone_created.zone_id.zone_name,
            zone(i).zone_name,
            "in order"
        );
    }
    let zones = db.zones().list().await.expect("zones");
    assert_eq!(
        zones.len(),
        COUNT + 1,
        "each zone once, plus the default zone"
    );

    let saved = (0..COUNT)
        .fold(db.subscriptions().modify(), |batch, i| {
            batch.create(Subscription::zone(format!("sub{i:03}"), zone(i)))
        })
        .send()
        .await
        .expect("250 subscription creates, split");
    assert_eq!(saved.len(), COUNT);
    for (i, result) in saved.iter().enumerate() {
        let subscription = result.as_ref().expect("subscription created");
        assert_eq!(
            subscription.subscription_id,
            format!("sub{i:03}"),
            "in order"
        );
    }
    assert_eq!(db.subscriptions().list().await.expect("list").len(), COUNT);

    let deleted = (0..COUNT)
        .fold(db.subscriptions().modify(), |batch, i| {
            batch.delete(format!("sub{i:03}"))
        })
        .send()
        .await
        .expect("250 subscription deletes, split");
    assert!(
        deleted.iter().all(Result::is_ok),
        "{:?}",
        first_error(&deleted)
    );
    let deleted = db
        .zones()
        .modify((0..COUNT).map(|i| ZoneOperation::delete(zone(i))).collect())
        .await
        .expect("250 zone deletes, split");
    assert!(
        deleted.iter().all(Result::is_ok),
        "{:?}",
        first_error(&deleted)
    );
    assert!(db.subscriptions().list().await.expect("list").is_empty());
    assert_eq!(db.zones().list().await.expect("zones").len(), 1);
    emu.shutdown().await;
}

fn first_error<T, E: std::fmt::Debug>(results: &[Result<T, E>]) -> Option<&E> {
    results.iter().find_map(|r| r.as_ref().err())
}
