//! Zone and subscription batches against per-item transient errors, which the emulator never
//! gives (its faults fail whole requests): only the operations answered that way are sent
//! again, and results stay in operation order.

use super::{client, fast_retries, http, scripted};
use cloudkit_wire::ws::{Subscription, ZoneId, ZoneOperation};

#[tokio::test]
async fn zone_operations_answered_zone_busy_are_sent_again_alone() {
    let (url, seen) = scripted(vec![
        http(
            "200 OK",
            "",
            r#"{"zones":[{"zoneID":{"zoneName":"a"},"serverErrorCode":"ZONE_BUSY","retryAfter":0},
                         {"zoneID":{"zoneName":"b"}}]}"#,
        ),
        http("200 OK", "", r#"{"zones":[{"zoneID":{"zoneName":"a"}}]}"#),
    ])
    .await;
    let zones = client(&url, fast_retries())
        .signed_in()
        .expect("signed in")
        .private_database()
        .zones()
        .modify(vec![
            ZoneOperation::create(ZoneId::new("a")),
            ZoneOperation::create(ZoneId::new("b")),
        ])
        .await
        .expect("modify");
    let names: Vec<_> = zones
        .iter()
        .map(|z| z.as_ref().map(|z| z.zone_id.zone_name.clone()).ok())
        .collect();
    assert_eq!(names, [Some("a".to_owned()), Some("b".to_owned())]);
    let log = seen.lock().expect("log").clone();
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(
        log[1].contains(r#""zoneName":"a""#) && !log[1].contains(r#""zoneName":"b""#),
        "{log:?}"
    );
}

#[tokio::test]
async fn subscription_operations_answered_throttled_are_sent_again_alone() {
    let (url, seen) = scripted(vec![
        http(
            "200 OK",
            "",
            r#"{"subscriptions":[{"subscriptionID":"s1","subscriptionType":"zone"},
                {"subscriptionID":"s2","serverErrorCode":"THROTTLED","retryAfter":0}]}"#,
        ),
        http(
            "200 OK",
            "",
            r#"{"subscriptions":[{"subscriptionID":"s2","subscriptionType":"zone"}]}"#,
        ),
    ])
    .await;
    let saved = client(&url, fast_retries())
        .signed_in()
        .expect("signed in")
        .private_database()
        .subscriptions()
        .modify()
        .create(Subscription::zone("s1", ZoneId::new("a")))
        .create(Subscription::zone("s2", ZoneId::new("b")))
        .send()
        .await
        .expect("send");
    let ids: Vec<_> = saved
        .iter()
        .map(|s| s.as_ref().map(|s| s.subscription_id.clone()).ok())
        .collect();
    assert_eq!(ids, [Some("s1".to_owned()), Some("s2".to_owned())]);
    let log = seen.lock().expect("log").clone();
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(
        log[1].contains(r#""subscriptionID":"s2""#) && !log[1].contains(r#""subscriptionID":"s1""#),
        "{log:?}"
    );
}
