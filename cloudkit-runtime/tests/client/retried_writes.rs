//! Zone and subscription writes whose first attempt landed but whose answer was lost (the
//! emulator's `drop` fault): the retry must neither fail falsely nor duplicate anything.

use crate::support::{emulator, user_client};
use cloudkit_emulator::FaultSpec;
use cloudkit_runtime::ZoneId;
use cloudkit_runtime::wire::Subscription;

const ZONES: usize = 12;

#[tokio::test]
async fn zone_and_subscription_writes_survive_lost_answers() {
    let spec: FaultSpec = "drop=0.35".parse().expect("spec");
    let emu = emulator(Some(spec)).await;
    let client = user_client(&emu, "zoe");
    let db = client.signed_in().expect("signed in").private_database();
    let zone = |i: usize| ZoneId::new(format!("z{i}"));

    for i in 0..ZONES {
        let created = db.zones().create(zone(i)).await.expect("zone create");
        assert_eq!(created.zone_id.zone_name, format!("z{i}"));
    }
    for i in 0..ZONES {
        db.subscriptions()
            .save(Subscription::zone(format!("s{i}"), zone(i)))
            .await
            .expect("subscription create");
    }
    let subscriptions = db.subscriptions().list().await.expect("list");
    assert_eq!(subscriptions.len(), ZONES, "no duplicates");
    for i in 0..ZONES {
        db.subscriptions()
            .delete(format!("s{i}"))
            .await
            .expect("subscription delete");
    }
    for i in 0..ZONES {
        db.zones().delete(zone(i)).await.expect("zone delete");
    }
    assert!(db.subscriptions().list().await.expect("list").is_empty());
    let zones = db.zones().list().await.expect("zones");
    assert!(
        zones.iter().all(|z| z.zone_id.zone_name == "_defaultZone"),
        "{zones:?}"
    );
    assert!(client.stats().retries > 0, "answers were dropped");
    emu.shutdown().await;
}

#[tokio::test]
async fn on_a_first_attempt_exists_and_not_found_stay_errors() {
    let emu = emulator(None).await;
    let db = user_client(&emu, "zed")
        .signed_in()
        .expect("signed in")
        .private_database();
    db.zones().create(ZoneId::new("z")).await.expect("create");
    let err = db
        .zones()
        .create(ZoneId::new("z"))
        .await
        .expect_err("exists");
    assert_eq!(
        err.code(),
        Some(cloudkit_runtime::wire::ServerErrorCode::Exists)
    );
    let err = db
        .zones()
        .delete(ZoneId::new("nope"))
        .await
        .expect_err("missing");
    assert!(err.is_not_found(), "{err}");
    let err = db
        .subscriptions()
        .delete("nope")
        .await
        .expect_err("missing");
    assert!(err.is_not_found(), "{err}");
    emu.shutdown().await;
}
