use cloudkit_emulator::Environment;
use cloudkit_wire::ZoneId;
use cloudkit_wire::ws::{
    FiresOn, LookupSubscriptionsRequest, ModifySubscriptionsRequest, Query, Subscription,
    SubscriptionLookup, SubscriptionOperation,
};

use crate::common::{Client, redacted, start};
use crate::records::create_zone;

fn ops(list: Vec<SubscriptionOperation>) -> ModifySubscriptionsRequest {
    ModifySubscriptionsRequest { operations: list }
}

#[tokio::test]
async fn subscriptions_create_list_lookup_delete() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    create_zone(&alice, "Notes").await;
    let q = Subscription::query("notes", Query::new("Note"));
    let mut dup = Subscription::query("notes-2", Query::new("Note"));
    dup.fires_on = Some(vec![FiresOn::Delete, FiresOn::Update, FiresOn::Create]);
    let r = alice
        .post(
            "private",
            "subscriptions/modify",
            &ops(vec![
                SubscriptionOperation::create(q.clone()),
                SubscriptionOperation::create(Subscription::zone("zone-sub", ZoneId::new("Notes"))),
                SubscriptionOperation::create(Subscription::zone("bad-zone", ZoneId::new("Nope"))),
                SubscriptionOperation::create(Subscription::query("bad-type", Query::new("Nope"))),
                SubscriptionOperation::create(dup),
                SubscriptionOperation::create(q.clone()),
            ]),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.item_code("subscriptions", 0), "");
    assert_eq!(r.item_code("subscriptions", 1), "");
    assert_eq!(r.item_code("subscriptions", 2), "ZONE_NOT_FOUND");
    assert_eq!(r.item_code("subscriptions", 3), "BAD_REQUEST");
    assert_eq!(r.item_code("subscriptions", 4), "INTERNAL_ERROR");
    assert_eq!(
        r.item_code("subscriptions", 5),
        "",
        "creating the same ID again returns it"
    );
    redacted().bind(|| insta::assert_json_snapshot!("subscriptions_modify", r.json));

    let r = alice.get("private", "subscriptions/list").await;
    assert_eq!(r.json["subscriptions"].as_array().map(Vec::len), Some(2));
    let look = LookupSubscriptionsRequest {
        subscriptions: vec![
            SubscriptionLookup {
                subscription_id: "notes".into(),
            },
            SubscriptionLookup {
                subscription_id: "nope".into(),
            },
        ],
    };
    let r = alice.post("private", "subscriptions/lookup", &look).await;
    assert_eq!(r.item_code("subscriptions", 0), "");
    assert_eq!(r.json["subscriptions"][0]["zoneWide"], true);
    assert_eq!(r.item_code("subscriptions", 1), "NOT_FOUND");
    assert_eq!(r.json["subscriptions"][1]["subscriptionID"], "nope");

    let r = alice
        .post(
            "private",
            "subscriptions/modify",
            &ops(vec![
                SubscriptionOperation::delete("notes"),
                SubscriptionOperation::delete("notes"),
            ]),
        )
        .await;
    assert_eq!(
        r.json["subscriptions"][0],
        serde_json::json!({"subscriptionID": "notes"})
    );
    assert_eq!(r.item_code("subscriptions", 1), "NOT_FOUND");
    let r = alice
        .post(
            "private",
            "subscriptions/modify",
            &ops(vec![SubscriptionOperation::update(Subscription::query(
                "never",
                Query::new("Note"),
            ))]),
        )
        .await;
    assert_eq!(r.item_code("subscriptions", 0), "NOT_FOUND");

    // bob has his own; anonymous callers have none
    let bob = Client::user(&emu, "bob");
    let r = bob.get("private", "subscriptions/list").await;
    assert_eq!(r.json["subscriptions"].as_array().map(Vec::len), Some(0));
    let anon = Client::anonymous(&emu);
    let r = anon.get("public", "subscriptions/list").await;
    assert_eq!(
        (r.status.as_u16(), r.code()),
        (421, "AUTHENTICATION_REQUIRED")
    );
    // CloudKit JS style: the dictionary passed through as given
    let body = r#"{"operations":[{"operationType":"create","subscription":{"subscriptionID":"js","subscriptionType":"query","query":{"recordType":"Folder"},"firesOn":["create"],"firesOnce":false}}]}"#;
    let r = alice.post_raw("public", "subscriptions/modify", body).await;
    assert_eq!(r.item_code("subscriptions", 0), "", "{}", r.json);
    emu.shutdown().await;
}
