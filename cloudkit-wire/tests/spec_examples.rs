//! Every JSON example of `spec/web-services.md`, decoded into the typed wire model, encoded
//! again, and compared with the original (as JSON values: key order aside) and with a reviewed
//! snapshot of our exact output.

use cloudkit_wire::ws::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Decodes `json` as `T`, checks that re-encoding gives the same JSON (up to key order) and
/// returns the typed value and our exact output.
fn round_trip<T: Serialize + DeserializeOwned>(json: &str) -> (T, String) {
    let typed: T = serde_json::from_str(json).unwrap_or_else(|e| panic!("decode: {e}\n{json}"));
    let out = serde_json::to_string_pretty(&typed).unwrap();
    let original: serde_json::Value = serde_json::from_str(json).unwrap();
    let again: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(original, again, "re-encoded JSON differs");
    (typed, out)
}

#[test]
fn records_modify_request_3_1() {
    let json = r#"{
  "operations": [
    {"operationType": "create",
     "record": {"recordType": "Note", "recordName": "note-1",
                "fields": {"title": {"value": "Shopping", "type": "STRING"},
                           "tags":  {"value": ["home", "errands"], "type": "STRING_LIST"},
                           "due":   {"value": 1700000000000, "type": "TIMESTAMP"}}}},
    {"operationType": "update",
     "record": {"recordName": "note-2", "recordChangeTag": "k3z1",
                "fields": {"title": {"value": "Groceries", "type": "STRING"}}}},
    {"operationType": "forceDelete", "record": {"recordName": "note-3"}}
  ],
  "zoneID": {"zoneName": "Notes"},
  "atomic": false
}"#;
    let (req, out) = round_trip::<ModifyRecordsRequest>(json);
    assert_eq!(req.operations.len(), 3);
    assert_eq!(
        req.operations[0].operation_type,
        RecordOperationType::Create
    );
    let fields: Vec<&str> = req.operations[0].record.fields.names().collect();
    assert_eq!(fields, ["title", "tags", "due"], "field order kept");
    assert_eq!(
        req.operations[0].record.fields.get("due").map(|f| &f.value),
        Some(&Value::Timestamp(Timestamp::from_millis(1_700_000_000_000)))
    );
    assert_eq!(req.atomic, Some(false));
    insta::assert_snapshot!(out);
}

#[test]
fn records_modify_response_3_1_with_conflict_and_tombstone() {
    let json = r#"{
  "records": [
    {"recordName": "note-1", "recordType": "Note", "recordChangeTag": "k3z9",
     "fields": {"title": {"value": "Shopping", "type": "STRING"},
                "tags": {"value": ["home", "errands"], "type": "STRING_LIST"},
                "due": {"value": 1700000000000, "type": "TIMESTAMP"}},
     "created":  {"timestamp": 1700000001234, "userRecordName": "_5f1c...", "deviceID": "2"},
     "modified": {"timestamp": 1700000001234, "userRecordName": "_5f1c...", "deviceID": "2"},
     "zoneID": {"zoneName": "Notes", "ownerRecordName": "_5f1c...", "zoneType": "REGULAR_CUSTOM_ZONE"}},
    {"recordName": "note-2", "serverErrorCode": "CONFLICT",
     "reason": "record to update has changed", "uuid": "7d6c..."},
    {"recordName": "note-3", "deleted": true}
  ]
}"#;
    let (resp, out) = round_trip::<RecordsResponse>(json);
    let [saved, conflict, deleted] = &resp.records[..] else {
        panic!("three elements expected")
    };
    let Ok(RecordEntry::Record(saved)) = saved else {
        panic!("{saved:?}")
    };
    assert_eq!(saved.record_change_tag.as_deref(), Some("k3z9"));
    assert_eq!(
        saved.created.as_ref().map(|c| c.timestamp.as_millis()),
        Some(1_700_000_001_234)
    );
    let Err(conflict) = conflict else {
        panic!("{conflict:?}")
    };
    assert_eq!(conflict.code(), Some(&ServerErrorCode::Conflict));
    assert_eq!(conflict.record_name.as_deref(), Some("note-2"));
    assert_eq!(conflict.http_status(), 409);
    assert!(!conflict.is_retryable());
    assert!(matches!(deleted, Ok(RecordEntry::Tombstone(t)) if t.record_name == "note-3"));
    insta::assert_snapshot!(out);
}

#[test]
fn records_lookup_3_2() {
    let (req, out) = round_trip::<LookupRecordsRequest>(r#"{"records":[{"recordName":"n1"}]}"#);
    assert_eq!(req.records, [RecordLookup::new("n1")]);
    insta::assert_snapshot!(out);
    let (resp, _) = round_trip::<RecordsResponse>(
        r#"{"records":[{"recordName":"x","serverErrorCode":"NOT_FOUND","reason":"..."}]}"#,
    );
    assert!(matches!(&resp.records[0], Err(e) if e.code() == Some(&ServerErrorCode::NotFound)));
}

#[test]
fn records_query_3_3() {
    let json = r#"{
  "zoneID": {"zoneName": "Notes"},
  "query": {
    "recordType": "Note",
    "filterBy": [
      {"fieldName": "title", "comparator": "BEGINS_WITH",
       "fieldValue": {"value": "Shop", "type": "STRING"}},
      {"fieldName": "tags", "comparator": "LIST_CONTAINS",
       "fieldValue": {"value": "home", "type": "STRING"}},
      {"systemFieldName": "createdUserRecordName", "comparator": "EQUALS",
       "fieldValue": {"value": {"recordName": "_5f1c..."}, "type": "REFERENCE"}}
    ],
    "sortBy": [{"systemFieldName": "modifiedTimestamp", "ascending": false}]
  },
  "resultsLimit": 50,
  "desiredKeys": ["title", "tags"]
}"#;
    let (req, out) = round_trip::<QueryRecordsRequest>(json);
    assert_eq!(
        req.query.filter_by[2].field,
        FieldRef::System(SystemField::CreatedUserRecordName)
    );
    assert_eq!(
        req.query.sort_by,
        [Sort::descending(SystemField::ModifiedTimestamp)]
    );
    assert_eq!(req.results_limit, Some(50));
    insta::assert_snapshot!(out);
}

#[test]
fn in_filter_carries_a_list_type_4_11() {
    let json = r#"{"fieldName":"priority","comparator":"IN","fieldValue":{"value":[10,30],"type":"INT64_LIST"}}"#;
    let (filter, _) = round_trip::<Filter>(json);
    assert!(filter.comparator.takes_list_value());
    assert_eq!(filter.field_value.value, Value::Int64List(vec![10, 30]));
    let near = r#"{"fieldName":"loc","comparator":"NEAR","fieldValue":{"value":{"latitude":1.5,"longitude":2.5},"type":"LOCATION"},"distance":500.0}"#;
    let (filter, _) = round_trip::<Filter>(near);
    assert_eq!(filter.distance, Some(500.0));
    assert!(
        serde_json::from_str::<Filter>(r#"{"comparator":"EQUALS","fieldValue":{"value":1}}"#)
            .is_err()
    );
    assert!(
        serde_json::from_str::<Filter>(
            r#"{"fieldName":"a","comparator":"LIKE","fieldValue":{"value":1}}"#
        )
        .is_err()
    );
}

#[test]
fn asset_upload_3_8() {
    let (req, out) = round_trip::<AssetUploadRequest>(
        r#"{"tokens":[{"recordType":"Note","fieldName":"attachment"}],"zoneID":{"zoneName":"Notes"}}"#,
    );
    assert_eq!(req.tokens[0].field_name, "attachment");
    insta::assert_snapshot!("asset_upload_request", out);
    let (resp, out) = round_trip::<AssetUploadResponse>(
        r#"{"tokens":[{"recordName":"4c01","fieldName":"attachment","url":"https://up.example/x"}]}"#,
    );
    assert!(resp.tokens[0].is_ok());
    insta::assert_snapshot!("asset_upload_response", out);
    let single = r#"{"singleFile": {"wrappingKey": "...", "fileChecksum": "...", "receipt": "...",
                "referenceChecksum": "...", "size": 48213}}"#;
    let (uploaded, out) = round_trip::<UploadedFile>(single);
    assert_eq!(uploaded.single_file.size, Some(48213));
    insta::assert_snapshot!("asset_single_file", out);
    let save = r#"{"operations": [{"operationType": "create",
  "record": {"recordType": "Note", "recordName": "4c016e24-c397-4c9d-81d6-dee3e3a48bb0",
             "fields": {"attachment": {"type": "ASSETID",
               "value": {"wrappingKey": "...", "fileChecksum": "...", "receipt": "...",
                         "referenceChecksum": "...", "size": 48213}}}}}]}"#;
    let (req, out) = round_trip::<ModifyRecordsRequest>(save);
    let field = req.operations[0]
        .record
        .fields
        .get("attachment")
        .map(|f| &f.value);
    assert_eq!(field, Some(&Value::AssetId(Box::new(uploaded.single_file))));
    insta::assert_snapshot!("asset_save", out);
}

#[test]
fn assets_rereference_3_9() {
    let (_, out) = round_trip::<AssetRereferenceRequest>(
        r#"{"assets":[{"recordName":"a","fieldName":"f"}],"zoneID":{"zoneName":"Z"},"targetZoneID":{"zoneName":"T"}}"#,
    );
    insta::assert_snapshot!(out);
    let (resp, _) = round_trip::<AssetRereferenceResponse>(
        r#"{"assets":[{"fileChecksum":"c","size":3,"receipt":"r"},{"serverErrorCode":"NOT_FOUND","recordName":"b"}]}"#,
    );
    assert!(resp.assets[0].is_ok() && resp.assets[1].is_err());
}

#[test]
fn zones_3_10_to_3_13() {
    let json = r#"{"operations": [{"operationType": "create", "zone": {"zoneID": {"zoneName": "Notes"}}},
                {"operationType": "delete", "zone": {"zoneID": {"zoneName": "Old"}}}]}"#;
    let (req, out) = round_trip::<ZonesModifyRequest>(json);
    assert_eq!(
        req.operations,
        [
            ZoneOperation::create(ZoneId::new("Notes")),
            ZoneOperation::delete(ZoneId::new("Old"))
        ]
    );
    insta::assert_snapshot!("zones_modify_request", out);
    let (resp, out) = round_trip::<ZonesResponse>(
        r#"{"zones":[{"zoneID":{"zoneName":"Notes","ownerRecordName":"_abc","zoneType":"REGULAR_CUSTOM_ZONE"},"syncToken":"t1","atomic":true},
                     {"zoneID":{"zoneName":"Old"},"serverErrorCode":"ZONE_NOT_FOUND","reason":"zone not found"}]}"#,
    );
    let Err(e) = &resp.zones[1] else { panic!() };
    assert_eq!(e.zone_id, Some(ZoneId::new("Old")));
    insta::assert_snapshot!("zones_response", out);
    let (_, out) = round_trip::<ZonesLookupRequest>(r#"{"zones":[{"zoneName":"Notes"}]}"#);
    insta::assert_snapshot!("zones_lookup_request", out);
    let (resp, _) = round_trip::<ZonesChangesResponse>(
        r#"{"zones":[{"zoneID":{"zoneName":"A"}}],"metaSyncToken":"m","moreComing":false}"#,
    );
    assert_eq!(resp.meta_sync_token.as_deref(), Some("m"));
}

#[test]
fn database_changes_3_14() {
    let (_, out) = round_trip::<DatabaseChangesRequest>(r#"{"syncToken":"db-1"}"#);
    insta::assert_snapshot!("database_changes_request", out);
    let (resp, out) = round_trip::<DatabaseChangesResponse>(
        r#"{"zones":[{"zoneID":{"zoneName":"Notes"}},{"zoneID":{"zoneName":"Old"},"deleted":true}],"syncToken":"db-2","moreComing":false}"#,
    );
    assert_eq!(
        resp.zones[1].as_ref().ok().and_then(|z| z.deleted),
        Some(true)
    );
    insta::assert_snapshot!("database_changes_response", out);
}

#[test]
fn zone_changes_3_15() {
    let json = r#"{"zones": [{"zoneID": {"zoneName": "Notes"}, "syncToken": "AQAAAAAAAA...",
            "desiredRecordTypes": ["Note"], "resultsLimit": 200}]}"#;
    let (req, out) = round_trip::<ZoneChangesRequest>(json);
    assert_eq!(req.zones[0].results_limit, Some(200));
    insta::assert_snapshot!("zone_changes_request", out);
    let resp = r#"{"zones":[
      {"zoneID":{"zoneName":"Notes"},"syncToken":"t2","moreComing":false,"records":[
         {"recordName":"n1","recordType":"Note","recordChangeTag":"a","fields":{"title":{"value":"x","type":"STRING"}}},
         {"recordName":"n2","deleted":true,"zoneID":{"zoneName":"Notes"}}]},
      {"zoneID":{"zoneName":"Gone"},"serverErrorCode":"ZONE_NOT_FOUND","reason":"zone not found"}]}"#;
    let (resp, out) = round_trip::<ZoneChangesResponse>(resp);
    let Ok(changes) = &resp.zones[0] else {
        panic!()
    };
    assert!(matches!(&changes.records[1], Ok(RecordEntry::Tombstone(_))));
    assert!(resp.zones[1].is_err());
    insta::assert_snapshot!("zone_changes_response", out);
    // pyicloud notes `moreComing` can be null.
    let null_more: ZoneChangesResponse =
        serde_json::from_str(r#"{"zones":[{"zoneID":{"zoneName":"A"},"moreComing":null}]}"#)
            .unwrap();
    assert!(matches!(&null_more.zones[0], Ok(z) if !z.more_coming));
}

#[test]
fn records_changes_3_4() {
    let (_, out) = round_trip::<RecordChangesRequest>(
        r#"{"zoneID":{"zoneName":"Notes"},"syncToken":"s","resultsLimit":10,"desiredKeys":["title"]}"#,
    );
    insta::assert_snapshot!("records_changes_request", out);
    let (resp, _) = round_trip::<RecordChangesResponse>(
        r#"{"records":[{"recordName":"n2","deleted":true}],"syncToken":"s2","moreComing":true,"reverse":false}"#,
    );
    assert!(resp.more_coming);
}

#[test]
fn subscriptions_3_16_to_3_18() {
    let json = r#"{"operations": [{"operationType": "create",
  "subscription": {"subscriptionID": "shopping-notes", "subscriptionType": "query",
    "query": {"recordType": "Note",
              "filterBy": [{"fieldName": "title", "comparator": "BEGINS_WITH",
                            "fieldValue": {"value": "Shop", "type": "STRING"}}]},
    "firesOn": ["create", "update"], "firesOnce": false, "zoneWide": true,
    "notificationInfo": {"alertBody": "A shopping note changed", "shouldBadge": true}}}]}"#;
    let (req, out) = round_trip::<ModifySubscriptionsRequest>(json);
    assert_eq!(
        req.operations[0].subscription.fires_on.as_deref(),
        Some(&[FiresOn::Create, FiresOn::Update][..])
    );
    insta::assert_snapshot!("subscriptions_modify_request", out);

    // Zone subscriptions drop query/firesOn/firesOnce; deletes send only the ID.
    let mut zone_sub = Subscription::zone("notes-zone", ZoneId::new("Notes"));
    zone_sub.fires_on = Some(vec![FiresOn::Create]);
    zone_sub.fires_once = Some(true);
    let ops = ModifySubscriptionsRequest {
        operations: vec![
            SubscriptionOperation::create(zone_sub),
            SubscriptionOperation::delete("old-sub"),
        ],
    };
    insta::assert_snapshot!(
        "subscriptions_zone_and_delete",
        serde_json::to_string_pretty(&ops).unwrap()
    );

    let (resp, out) = round_trip::<SubscriptionsResponse>(
        r#"{"subscriptions":[{"subscriptionID":"old-sub"},
            {"subscriptionID":"dup","serverErrorCode":"INTERNAL_ERROR","reason":"could not find subscription we just created"}]}"#,
    );
    let alias: SubscriptionsResponse = serde_json::from_str(
        r#"{"subscriptions":[{"subscriptionId":"x","serverErrorCode":"NOT_FOUND"},{"subscriptionId":"y"}]}"#,
    )
    .unwrap();
    assert!(matches!(&alias.subscriptions[0], Err(e) if e.subscription_id.as_deref() == Some("x")));
    assert_eq!(
        alias.subscriptions[1].as_ref().ok(),
        Some(&Subscription::id_only("y"))
    );
    assert_eq!(
        resp.subscriptions[0].as_ref().ok(),
        Some(&Subscription::id_only("old-sub"))
    );
    insta::assert_snapshot!("subscriptions_response", out);
    let (_, out) = round_trip::<LookupSubscriptionsRequest>(
        r#"{"subscriptions":[{"subscriptionID":"shopping-notes"}]}"#,
    );
    insta::assert_snapshot!("subscriptions_lookup_request", out);
}

#[test]
fn tokens_3_19_3_20() {
    let (_, out) =
        round_trip::<TokenCreateRequest>(r#"{"apnsEnvironment":"development","clientId":"c1"}"#);
    insta::assert_snapshot!("tokens_create_request", out);
    let (resp, out) = round_trip::<TokenCreateResponse>(
        r#"{"apnsEnvironment":"production","apnsToken":"c2VjcmV0","webcourierURL":"https://courier.example/x"}"#,
    );
    assert!(
        !format!("{resp:?}").contains("c2VjcmV0"),
        "token redacted in Debug"
    );
    insta::assert_snapshot!("tokens_create_response", out);
    let (req, _) = round_trip::<TokenRegisterRequest>(
        r#"{"apnsEnvironment":"development","apnsToken":"c2VjcmV0"}"#,
    );
    assert!(!format!("{req:?}").contains("c2VjcmV0"));
}

#[test]
fn users_3_22_to_3_27() {
    let identity = r#"{"userRecordName":"_abc","lookupInfo":{"emailAddress":"a@example.com"},"nameComponents":{"givenName":"Ann","nickName":"A"}}"#;
    let bare: CallerResponse = serde_json::from_str(identity).unwrap();
    let listed: CallerResponse =
        serde_json::from_str(&format!(r#"{{"users":[{identity}]}}"#)).unwrap();
    assert_eq!(bare, listed);
    assert_eq!(bare.identity.user_record_name.as_deref(), Some("_abc"));
    let out = serde_json::to_string_pretty(&bare).unwrap();
    assert_eq!(serde_json::from_str::<CallerResponse>(&out).unwrap(), bare);
    insta::assert_snapshot!("users_caller_response", out);

    let (_, out) = round_trip::<DiscoverRequest>(
        r#"{"lookupInfos":[{"emailAddress":"a@example.com"},{"phoneNumber":"+1555"},{"userRecordName":"_x"}]}"#,
    );
    insta::assert_snapshot!("users_discover_request", out);
    let (resp, _) = round_trip::<DiscoverResponse>(
        r#"{"users":[{"userRecordName":"_x","nameComponents":{"familyName":"B"}}]}"#,
    );
    assert!(resp.users[0].is_ok());
    let (_, out) =
        round_trip::<UsersLookupRequest>(r#"{"users":[{"emailAddress":"a@example.com"}]}"#);
    insta::assert_snapshot!("users_lookup_email_request", out);
    let (resp, _) = round_trip::<UsersLookupResponse>(
        r#"{"users":[{"userRecordName":"_x","firstName":"A","lastName":"B","emailAddress":"a@example.com"}]}"#,
    );
    assert!(resp.users[0].is_ok());
    let (current, _) = round_trip::<CurrentUserResponse>(r#"{"userRecordName":"_x"}"#);
    assert_eq!(current.user_record_name.as_deref(), Some("_x"));
}

#[test]
fn reference_value_4_8() {
    let json = r#"{"value": {"recordName": "folder-7", "zoneID": {"zoneName": "Notes"}, "action": "DELETE_SELF"},
 "type": "REFERENCE"}"#;
    let (field, out) = round_trip::<FieldValue>(json);
    let expected = Reference::new("folder-7")
        .in_zone(ZoneId::new("Notes"))
        .with_action(ReferenceAction::DeleteSelf);
    assert_eq!(field.value, Value::Reference(Box::new(expected)));
    insta::assert_snapshot!(out);
}

#[test]
fn notification_payload_4_14() {
    let json = r#"{"aps": {"alert": {"body": "...", "loc-key": "...", "loc-args": ["..."],
                   "action-loc-key": "...", "launch-image": "..."},
         "sound": "default", "badge": 1, "category": "..."},
 "ck": {"cid": "iCloud.com.example.notes", "nid": "8d8b8a2e-...", "ce": 2, "ckuserid": "_...",
        "qry": {"sid": "shopping-notes", "zid": "_defaultZone", "zoid": "_defaultOwner",
                "rid": "note-1", "dbs": 0, "fo": 1, "af": {"title": "Shopping"}}}}"#;
    let (n, out) = round_trip::<Notification>(json);
    let query = n.ck.as_ref().and_then(|ck| ck.query.as_ref()).unwrap();
    assert_eq!(query.reason(), Some(FiresOn::Create));
    assert_eq!(query.record_name.as_deref(), Some("note-1"));
    insta::assert_snapshot!("notification_query", out);
    let (zone, _) = round_trip::<Notification>(
        r#"{"aps":{"alert":"text","content-available":1},"ck":{"nid":"n","fet":{"sid":"z","zid":"Notes","zoid":"_o","dbs":1}}}"#,
    );
    assert!(zone.ck.and_then(|ck| ck.zone).is_some());
    let (db, _) = round_trip::<Notification>(r#"{"ck":{"nid":"n","met":{"sid":"d","dbs":2}}}"#);
    assert!(db.ck.and_then(|ck| ck.database).is_some());
}

#[test]
fn share_creation_4_16() {
    let json = r#"{"operations": [{"operationType": "create",
  "record": {"recordType": "cloudkit.share",
             "forRecord": {"recordName": "RecordA", "recordChangeTag": "2"},
             "publicPermission": "NONE",
             "participants": [{"type": "USER", "permission": "READ_WRITE",
                               "acceptanceStatus": "INVITED",
                               "userIdentity": {"lookupInfo": {"emailAddress": "a@example.com"}}}]}}],
 "zoneID": {"zoneName": "Shared"}, "atomic": true}"#;
    let (req, out) = round_trip::<ModifyRecordsRequest>(json);
    let record = &req.operations[0].record;
    assert_eq!(record.record_type.as_deref(), Some(SHARE_RECORD_TYPE));
    assert_eq!(record.public_permission, Some(Permission::None));
    insta::assert_snapshot!(out);
    let (_, out) = round_trip::<ShortGuidsRequest>(
        r#"{"shortGUIDs":[{"value":"0abc","shouldFetchRootRecord":true,"rootRecordDesiredKeys":["title"]}]}"#,
    );
    insta::assert_snapshot!("short_guids_request", out);
    let (resp, _) = round_trip::<ShortGuidsResponse>(
        r#"{"results":[{"containerIdentifier":"iCloud.x","databaseScope":"SHARED","zoneID":{"zoneName":"Shared"},
            "rootRecordName":"RecordA","shortGUID":"0abc","participantStatus":"PENDING","participantType":"PRIVATE_USER",
            "share":{"recordName":"s","recordType":"cloudkit.share"}},
           {"serverErrorCode":"NOT_FOUND","reason":"gone","retryAfter":2}]}"#,
    );
    assert!(resp.results[0].is_ok() && resp.results[1].is_err());
}

#[test]
fn whole_request_error_2_2() {
    let json = r#"{"uuid":"0b6e4c1a-5a0e-4a43-9d0e-2f1e7a6c5d11","serverErrorCode":"AUTHENTICATION_REQUIRED",
    "reason":"request needs authorization","redirectURL":"<Apple sign-in page URL>"}"#;
    let (err, out) = round_trip::<ServerError>(json);
    assert_eq!(err.http_status(), 421);
    assert_eq!(
        err.redirect_url.as_deref(),
        Some("<Apple sign-in page URL>")
    );
    insta::assert_snapshot!(out);
    let alt: ServerError = serde_json::from_str(
        r#"{"serverErrorCode":"THROTTLED","redirectUrl":"u","retryAfter":1.5}"#,
    )
    .unwrap();
    assert_eq!(alt.redirect_url.as_deref(), Some("u"));
    assert_eq!(
        alt.retry_after(),
        Some(std::time::Duration::from_millis(1500))
    );
    assert!(alt.is_retryable());
    let unknown: ServerError =
        serde_json::from_str(r#"{"serverErrorCode":"CHANGE_TOKEN_EXPIRED"}"#).unwrap();
    assert_eq!(
        unknown.code(),
        Some(&ServerErrorCode::Other("CHANGE_TOKEN_EXPIRED".into()))
    );
    assert_eq!(
        serde_json::to_string(&unknown).unwrap(),
        r#"{"serverErrorCode":"CHANGE_TOKEN_EXPIRED"}"#
    );
    assert_eq!(unknown.to_string(), "CHANGE_TOKEN_EXPIRED");
}

#[test]
fn per_item_error_5_3_and_extension_codes() {
    let (resp, _) = round_trip::<RecordsResponse>(
        r#"{"records": [{"serverErrorCode": "BAD_REQUEST", "reason": "Attempt to save encrypted data in
  non encrypted field type", "recordName": "EventDetails:..."}]}"#
            .replace('\n', " ")
            .as_str(),
    );
    assert!(resp.records[0].is_err());
    let (resp, _) = round_trip::<RecordsResponse>(
        r#"{"records":[{"recordName":"a","extensionErrorCode":"EXT"}]}"#,
    );
    assert!(matches!(&resp.records[0], Err(e) if e.extension_error_code.as_deref() == Some("EXT")));
}

#[test]
fn cloudkit_js_bodies_section_10() {
    let body = r#"{"operations":[{"operationType":"create","record":{"recordType":"Note","recordName":"n1","fields":{"title":{"value":"Hello"}}}}]}"#;
    let req: ModifyRecordsRequest = serde_json::from_str(body).unwrap();
    let again: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&req).unwrap()).unwrap();
    assert_eq!(
        again,
        serde_json::from_str::<serde_json::Value>(body).unwrap()
    );
    let title = req.operations[0]
        .record
        .fields
        .get("title")
        .map(|f| &f.value);
    assert!(matches!(title, Some(Value::Untyped(raw)) if raw.get() == r#""Hello""#));
    for fields in [
        r#"{"tags":{"value":["a","b"]}}"#,
        r#"{"pinned":{"value":1}}"#,
        r#"{"loc":{"value":{"latitude":1.5,"longitude":2.5}}}"#,
        r#"{"when":{"value":"2023-11-14T22:13:20.000Z","type":"TIMESTAMP"}}"#,
    ] {
        let fields: Fields = serde_json::from_str(fields).unwrap();
        assert_eq!(fields.len(), 1);
    }
    let query = r#"{"query":{"recordType":"Note","filterBy":[{"fieldName":"title","comparator":"BEGINS_WITH","fieldValue":{"value":"He"}}],"sortBy":[{"fieldName":"title"}]},"resultsLimit":10}"#;
    let req: QueryRecordsRequest = serde_json::from_str(query).unwrap();
    assert_eq!(serde_json::to_string(&req).unwrap(), query);
}

#[test]
fn unknown_keys_are_ignored_everywhere() {
    let json = r#"{"records":[{"recordName":"a","recordType":"T","stableUrl":"u","requesters":[1],
        "pluginFields":{},"fields":{"x":{"value":"AQ==","type":"ENCRYPTED_BYTES","isEncrypted":true,"weird":1}},
        "share":{"recordName":"s","zoneID":{"zoneName":"Z"}},"parent":{"recordName":"p"},"shortGUID":"g"}],
        "futureKey":{"nested":[true]}}"#;
    let resp: RecordsResponse = serde_json::from_str(json).unwrap();
    let Ok(RecordEntry::Record(r)) = &resp.records[0] else {
        panic!()
    };
    assert_eq!(r.short_guid.as_deref(), Some("g"));
    assert_eq!(r.plugin_fields.as_ref().map(RawJson::get), Some("{}"));
    let x = r.fields.get("x").unwrap();
    assert!(x.is_encrypted);
    assert_eq!(x.value, Value::EncryptedBytes(vec![1]));
}
