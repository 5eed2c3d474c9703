//! Notifications, client against the emulator over HTTP on 127.0.0.1: tokens, subscriptions
//! firing on record changes, delivery through the web courier stream.

use std::time::Duration;

use crate::support::{Note, emulator, key_client, user_client};
use cloudkit_runtime::client::{Client, CloudKitNotification, NotificationDatabase};
use cloudkit_runtime::wire::{
    ApnsEnvironment, Comparator, FieldValue, Filter, FiresOn, Query, ServerErrorCode, Subscription,
    Value,
};
use futures_util::{Stream, StreamExt as _};

fn big_notes() -> Query {
    Query::new("Note").filter(Filter::new(
        "n",
        Comparator::GreaterThan,
        FieldValue::from(Value::Int64(10)),
    ))
}

async fn next(
    stream: &mut (
             impl Stream<Item = Result<CloudKitNotification, cloudkit_runtime::client::Error>> + Unpin
         ),
) -> CloudKitNotification {
    tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("a notification within 10 s")
        .expect("stream open")
        .expect("notification")
}

async fn nothing_within(
    stream: &mut (
             impl Stream<Item = Result<CloudKitNotification, cloudkit_runtime::client::Error>> + Unpin
         ),
    wait: Duration,
) -> bool {
    tokio::time::timeout(wait, stream.next()).await.is_err()
}

fn query_parts(n: &CloudKitNotification) -> (String, String, Option<FiresOn>) {
    match n {
        CloudKitNotification::Query {
            subscription_id,
            record_name,
            reason,
            ..
        } => (subscription_id.clone(), record_name.clone(), *reason),
        other => panic!("expected a query notification, got {other:?}"),
    }
}

#[tokio::test]
async fn a_query_subscription_fires_on_matching_create_and_update_only() {
    let emu = emulator(None).await;
    let alice: Client = user_client(&emu, "alice");
    let db = alice.signed_in().expect("signed in").private_database();
    let mut sub = Subscription::query("big", big_notes());
    sub.fires_on = Some(vec![FiresOn::Create, FiresOn::Update]);
    db.subscriptions().save(sub).await.expect("subscribe");
    let mut stream = Box::pin(alice.notifications().await.expect("stream"));

    let small = db.save(&Note::new("small", "s", 1)).await.expect("small");
    db.save(&Note::new("big1", "b", 50))
        .await
        .expect("big create");
    let first = next(&mut stream).await;
    assert_eq!(
        query_parts(&first),
        ("big".into(), "big1".into(), Some(FiresOn::Create))
    );
    if let CloudKitNotification::Query {
        zone_id,
        database,
        payload,
        ..
    } = &first
    {
        assert_eq!(zone_id.zone_name, "_defaultZone");
        assert_eq!(*database, Some(NotificationDatabase::Private));
        let mut shown = serde_json::to_value(payload).expect("json");
        if let Some(ck) = shown.get_mut("ck").and_then(|c| c.as_object_mut()) {
            ck.insert("nid".into(), "<nid>".into());
            ck.insert("ckuserid".into(), "<user>".into());
            if let Some(q) = ck.get_mut("qry").and_then(|q| q.as_object_mut()) {
                q.insert("zoid".into(), "<owner>".into());
            }
        }
        insta::assert_json_snapshot!("query_notification", shown);
    }

    // A non-matching change (small stays small) fires nothing; an update of a match fires.
    let mut small = small;
    small.title = "still small".into();
    db.save(&small).await.expect("small update");
    let big = db.lookup::<Note>("big1").await.expect("lookup");
    let mut big = big;
    big.title = "bigger".into();
    db.save(&big).await.expect("big update");
    let second = next(&mut stream).await;
    assert_eq!(
        query_parts(&second),
        ("big".into(), "big1".into(), Some(FiresOn::Update))
    );
    // Delete is not in firesOn.
    db.delete::<Note>("big1").await.expect("delete");
    assert!(nothing_within(&mut stream, Duration::from_millis(600)).await);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_fires_once_subscription_fires_once_and_is_gone() {
    let emu = emulator(None).await;
    let alice = user_client(&emu, "alice");
    let db = alice.signed_in().expect("signed in").private_database();
    let mut sub = Subscription::query("once", Query::new("Note"));
    sub.fires_once = Some(true);
    db.subscriptions().save(sub).await.expect("subscribe");
    let mut stream = Box::pin(alice.notifications().await.expect("stream"));

    db.save(&Note::new("a", "a", 1)).await.expect("a");
    db.save(&Note::new("b", "b", 2)).await.expect("b");
    let n = next(&mut stream).await;
    assert_eq!(query_parts(&n).1, "a");
    assert!(nothing_within(&mut stream, Duration::from_millis(600)).await);
    let left = db.subscriptions().list().await.expect("list");
    assert!(left.is_empty(), "{left:?}");

    // Another user's changes do not reach alice.
    let bob = user_client(&emu, "bob");
    bob.signed_in()
        .expect("signed in")
        .private_database()
        .subscriptions()
        .save(Subscription::query("bobs", Query::new("Note")))
        .await
        .expect("bob subscribes");
    bob.signed_in()
        .expect("signed in")
        .private_database()
        .save(&Note::new("c", "c", 3))
        .await
        .expect("bob saves");
    assert!(nothing_within(&mut stream, Duration::from_millis(400)).await);
    emu.shutdown().await;
}

#[tokio::test]
async fn token_endpoints_and_their_refusals() {
    let emu = emulator(None).await;
    let alice = user_client(&emu, "alice");
    let token = alice
        .create_notification_token(ApnsEnvironment::Development)
        .await
        .expect("create");
    assert!(token.webcourier_url.starts_with(&emu.base_url()));
    alice
        .register_notification_token(ApnsEnvironment::Development, &token.apns_token)
        .await
        .expect("register");
    let err = alice
        .register_notification_token(ApnsEnvironment::Development, "bm90LWEtdG9rZW4=")
        .await
        .expect_err("unknown token");
    assert_eq!(err.code(), Some(ServerErrorCode::BadRequest));
    // Registering needs a user.
    let err = key_client(&emu)
        .register_notification_token(ApnsEnvironment::Development, &token.apns_token)
        .await
        .expect_err("no user");
    assert_eq!(err.code(), Some(ServerErrorCode::AuthenticationRequired));

    // The token endpoints under /database/ are 405.
    let http = reqwest::Client::new();
    let wrong = format!(
        "{}/database/1/{}/development/public/tokens/create",
        emu.base_url(),
        crate::support::CONTAINER
    );
    let status = http
        .post(wrong)
        .body("{}")
        .send()
        .await
        .expect("send")
        .status();
    assert_eq!(status.as_u16(), 405);

    // An unknown web courier URL ends the stream with NOT_FOUND.
    let mut stream = Box::pin(alice.web_courier(format!("{}/webcourier/nope", emu.base_url())));
    let err = next_err(&mut stream).await;
    assert_eq!(err.code(), Some(ServerErrorCode::NotFound));
    emu.shutdown().await;
}

async fn next_err(
    stream: &mut (
             impl Stream<Item = Result<CloudKitNotification, cloudkit_runtime::client::Error>> + Unpin
         ),
) -> cloudkit_runtime::client::Error {
    tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("answer")
        .expect("item")
        .expect_err("error")
}

#[test]
fn token_request_dictionaries() {
    let create = cloudkit_runtime::wire::TokenCreateRequest {
        apns_environment: ApnsEnvironment::Development,
        client_id: None,
    };
    insta::assert_json_snapshot!("token_create_request", create);
}

#[tokio::test]
async fn zone_subscriptions_and_zone_scoped_query_subscriptions() {
    let emu = emulator(None).await;
    let alice = user_client(&emu, "alice");
    let db = alice.signed_in().expect("signed in").private_database();
    let zone = cloudkit_runtime::ZoneId::new("Work");
    db.zones().create(zone.clone()).await.expect("zone");
    db.subscriptions()
        .save(Subscription::zone("work-zone", zone.clone()))
        .await
        .expect("zone subscription");
    // A query subscription limited to the default zone (not zone-wide).
    let mut default_only = Subscription::query("default-notes", Query::new("Note"));
    default_only.zone_wide = Some(false);
    db.subscriptions()
        .save(default_only)
        .await
        .expect("query subscription");
    let mut stream = Box::pin(alice.notifications().await.expect("stream"));

    db.save_in(&Note::new("w1", "work", 1), Some(zone.clone()))
        .await
        .expect("save in zone");
    match next(&mut stream).await {
        CloudKitNotification::Zone {
            subscription_id,
            zone_id,
            ..
        } => {
            assert_eq!(subscription_id, "work-zone");
            assert_eq!(zone_id.zone_name, "Work");
        }
        other => panic!("expected a zone notification, got {other:?}"),
    }
    assert!(nothing_within(&mut stream, Duration::from_millis(400)).await);

    db.save(&Note::new("d1", "default", 1))
        .await
        .expect("default");
    assert_eq!(query_parts(&next(&mut stream).await).0, "default-notes");
    emu.shutdown().await;
}
