use cloudkit_emulator::Environment;
use cloudkit_wire::ZoneId;
use cloudkit_wire::ws::{ZoneOperation, ZonesLookupRequest, ZonesModifyRequest};

use crate::common::{Client, redacted, start};

#[tokio::test]
async fn zones_list_lookup_modify() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let r = alice.get("private", "zones/list").await;
    assert_eq!(r.status, 200);
    redacted().bind(|| insta::assert_json_snapshot!("zones_list_default_only", r.json));

    let ops = ZonesModifyRequest {
        operations: vec![
            ZoneOperation::create(ZoneId::new("Notes")),
            ZoneOperation::create(ZoneId::new("Notes")),
            ZoneOperation::delete(ZoneId::new("Missing")),
            ZoneOperation::create(ZoneId::default_zone()),
        ],
    };
    let r = alice.post("private", "zones/modify", &ops).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.item_code("zones", 0), "");
    assert_eq!(r.item_code("zones", 1), "EXISTS");
    assert_eq!(r.item_code("zones", 2), "ZONE_NOT_FOUND");
    assert_eq!(r.item_code("zones", 3), "BAD_REQUEST");
    redacted().bind(|| insta::assert_json_snapshot!("zones_modify_partial", r.json));

    let r = alice.get("private", "zones/list").await;
    assert_eq!(r.json["zones"].as_array().map(Vec::len), Some(2));
    let look = ZonesLookupRequest {
        zones: vec![
            ZoneId::new("Notes"),
            ZoneId::new("Nope"),
            ZoneId::default_zone(),
        ],
    };
    let r = alice.post("private", "zones/lookup", &look).await;
    assert_eq!(r.item_code("zones", 0), "");
    assert_eq!(r.item_code("zones", 1), "ZONE_NOT_FOUND");
    assert_eq!(r.json["zones"][1]["zoneID"]["zoneName"], "Nope");
    assert_eq!(r.item_code("zones", 2), "");

    // bob does not see alice's zones
    let bob = Client::user(&emu, "bob");
    let r = bob.get("private", "zones/list").await;
    assert_eq!(r.json["zones"].as_array().map(Vec::len), Some(1));
    let r = bob
        .post(
            "private",
            "zones/lookup",
            &ZonesLookupRequest {
                zones: vec![ZoneId::new("Notes")],
            },
        )
        .await;
    assert_eq!(r.item_code("zones", 0), "ZONE_NOT_FOUND");

    // no custom zones in the public database; the shared database is empty
    let r = alice
        .post(
            "public",
            "zones/modify",
            &ZonesModifyRequest {
                operations: vec![ZoneOperation::create(ZoneId::new("P"))],
            },
        )
        .await;
    assert_eq!(r.item_code("zones", 0), "BAD_REQUEST");
    let r = alice.get("public", "zones/list").await;
    assert_eq!(r.json["zones"].as_array().map(Vec::len), Some(1));
    let r = alice.get("shared", "zones/list").await;
    assert_eq!(r.json["zones"].as_array().map(Vec::len), Some(0));

    let r = alice
        .post(
            "private",
            "zones/modify",
            &ZonesModifyRequest {
                operations: vec![ZoneOperation::delete(ZoneId::new("Notes"))],
            },
        )
        .await;
    assert_eq!(r.json["zones"][0]["deleted"], true, "{}", r.json);
    emu.shutdown().await;
}
