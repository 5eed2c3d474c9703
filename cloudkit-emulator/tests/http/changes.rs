use cloudkit_emulator::Environment;
use cloudkit_wire::ZoneId;
use cloudkit_wire::ws::{
    DatabaseChangesRequest, Record, RecordChangesRequest, RecordOperationType as Op,
    ZoneChangesRequest, ZoneChangesRequestZone, ZoneOperation, ZonesModifyRequest,
};

use crate::common::{Client, Reply, redacted, start};
use crate::records::{create_zone, modify, note, op, tag_of};

fn zone_req(zone: &str, token: Option<String>, limit: Option<u32>) -> ZoneChangesRequest {
    let mut z = ZoneChangesRequestZone::new(ZoneId::new(zone), token);
    z.results_limit = limit;
    ZoneChangesRequest {
        zones: vec![z],
        ..ZoneChangesRequest::default()
    }
}

fn token(r: &Reply) -> Option<String> {
    r.json["zones"][0]["syncToken"].as_str().map(str::to_owned)
}

fn names(r: &Reply) -> Vec<String> {
    r.json["zones"][0]["records"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["recordName"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn zone_changes_with_tokens_paging_and_tombstones() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    create_zone(&alice, "Notes").await;
    let ops = (0..5)
        .map(|i| op(Op::Create, note(&format!("c{i}"), "t")))
        .collect();
    let created = alice
        .post(
            "private",
            "records/modify",
            &modify(ops, Some("Notes"), Some(false)),
        )
        .await;

    let first = alice
        .post("private", "changes/zone", &zone_req("Notes", None, Some(3)))
        .await;
    assert_eq!(first.status, 200, "{}", first.json);
    assert_eq!(names(&first), ["c0", "c1", "c2"]);
    assert_eq!(first.json["zones"][0]["moreComing"], true);
    let second = alice
        .post(
            "private",
            "changes/zone",
            &zone_req("Notes", token(&first), Some(3)),
        )
        .await;
    assert_eq!(names(&second), ["c3", "c4"]);
    assert_eq!(second.json["zones"][0]["moreComing"], false);

    // nothing new: same position, no records
    let idle = alice
        .post(
            "private",
            "changes/zone",
            &zone_req("Notes", token(&second), None),
        )
        .await;
    assert!(names(&idle).is_empty());

    // a delete shows up as a tombstone, an update as the new version
    let del = Record {
        record_name: Some("c1".into()),
        record_change_tag: Some(tag_of(&created, 1)),
        ..Record::default()
    };
    alice
        .post(
            "private",
            "records/modify",
            &modify(
                vec![
                    op(Op::Delete, del),
                    op(Op::ForceUpdate, note("c2", "changed")),
                ],
                Some("Notes"),
                Some(false),
            ),
        )
        .await;
    let after = alice
        .post(
            "private",
            "changes/zone",
            &zone_req("Notes", token(&idle), None),
        )
        .await;
    assert_eq!(names(&after), ["c1", "c2"]);
    assert_eq!(after.json["zones"][0]["records"][0]["deleted"], true);
    assert_eq!(
        after.json["zones"][0]["records"][1]["fields"]["title"]["value"],
        "changed"
    );
    redacted().bind(|| insta::assert_json_snapshot!("changes_zone_tombstone", after.json));

    // records/changes is the same feed in the older shape
    let r = alice
        .post(
            "private",
            "records/changes",
            &RecordChangesRequest {
                zone_id: ZoneId::new("Notes"),
                sync_token: token(&idle),
                results_limit: None,
                desired_keys: None,
                numbers_as_strings: None,
            },
        )
        .await;
    assert_eq!(
        r.json["records"].as_array().map(Vec::len),
        Some(2),
        "{}",
        r.json
    );
    assert_eq!(r.json["moreComing"], false);

    // default zone, unknown zone, token of another zone, garbage token
    let r = alice
        .post(
            "private",
            "changes/zone",
            &zone_req("_defaultZone", None, None),
        )
        .await;
    assert_eq!(r.item_code("zones", 0), "BAD_REQUEST");
    let r = alice
        .post(
            "private",
            "records/changes",
            &RecordChangesRequest {
                zone_id: ZoneId::default_zone(),
                sync_token: None,
                results_limit: None,
                desired_keys: None,
                numbers_as_strings: None,
            },
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json["reason"].as_str()),
        (400, Some("cannot get changes in default zone"))
    );
    let r = alice
        .post("private", "changes/zone", &zone_req("Nope", None, None))
        .await;
    assert_eq!(r.item_code("zones", 0), "ZONE_NOT_FOUND");
    create_zone(&alice, "Other").await;
    let r = alice
        .post(
            "private",
            "changes/zone",
            &zone_req("Other", token(&first), None),
        )
        .await;
    assert_eq!(r.item_code("zones", 0), "BAD_REQUEST");
    let r = alice
        .post(
            "private",
            "changes/zone",
            &zone_req("Notes", Some("garbage".into()), None),
        )
        .await;
    assert_eq!(r.item_code("zones", 0), "BAD_REQUEST");
    // public database has no change feeds
    let r = alice
        .post("public", "changes/zone", &zone_req("Notes", None, None))
        .await;
    assert_eq!(r.status, 400);
    emu.shutdown().await;
}

#[tokio::test]
async fn database_changes_report_changed_and_deleted_zones() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    let r = alice.post_raw("private", "changes/database", "{}").await;
    assert_eq!(r.status, 200, "{}", r.json);
    let t0 = r.json["syncToken"].as_str().map(str::to_owned);
    create_zone(&alice, "A").await;
    create_zone(&alice, "B").await;
    let r = alice
        .post(
            "private",
            "changes/database",
            &DatabaseChangesRequest {
                sync_token: t0.clone(),
                results_limit: Some(1),
            },
        )
        .await;
    assert_eq!(r.json["zones"].as_array().map(Vec::len), Some(1));
    assert_eq!(r.json["moreComing"], true);
    let r2 = alice
        .post(
            "private",
            "changes/database",
            &DatabaseChangesRequest {
                sync_token: r.json["syncToken"].as_str().map(str::to_owned),
                results_limit: None,
            },
        )
        .await;
    assert_eq!(r2.json["zones"][0]["zoneID"]["zoneName"], "B");
    let t1 = r2.json["syncToken"].as_str().map(str::to_owned);
    alice
        .post(
            "private",
            "records/modify",
            &modify(vec![op(Op::Create, note("x", "t"))], Some("A"), None),
        )
        .await;
    alice
        .post(
            "private",
            "zones/modify",
            &ZonesModifyRequest {
                operations: vec![ZoneOperation::delete(ZoneId::new("B"))],
            },
        )
        .await;
    let r = alice
        .post(
            "private",
            "changes/database",
            &DatabaseChangesRequest {
                sync_token: t1,
                results_limit: None,
            },
        )
        .await;
    redacted().bind(|| insta::assert_json_snapshot!("changes_database", r.json));
    // zone tokens are not database tokens
    let zt = alice
        .post("private", "changes/zone", &zone_req("A", None, None))
        .await;
    let r = alice
        .post(
            "private",
            "changes/database",
            &DatabaseChangesRequest {
                sync_token: token(&zt),
                results_limit: None,
            },
        )
        .await;
    assert_eq!(r.code(), "BAD_REQUEST");
    // bob's feed is his own
    let bob = Client::user(&emu, "bob");
    let r = bob
        .post(
            "private",
            "changes/database",
            &DatabaseChangesRequest::default(),
        )
        .await;
    assert_eq!(r.json["zones"].as_array().map(Vec::len), Some(0));
    emu.shutdown().await;
}

#[tokio::test]
async fn deprecated_zones_changes_uses_meta_sync_token() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    create_zone(&alice, "A").await;
    let r = alice.post_raw("private", "zones/changes", "{}").await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["zones"][0]["zoneID"]["zoneName"], "A");
    let token = r.json["metaSyncToken"].as_str().map(str::to_owned);
    assert!(token.is_some());
    let body = serde_json::json!({"metaSyncToken": token});
    let r = alice.post("private", "zones/changes", &body).await;
    assert_eq!(r.json["zones"].as_array().map(Vec::len), Some(0));
    let r = alice.post_raw("public", "zones/changes", "").await;
    assert_eq!(
        r.json["zones"].as_array().map(Vec::len),
        Some(0),
        "{}",
        r.json
    );
    emu.shutdown().await;
}
