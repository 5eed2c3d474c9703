//! The v1 data API (what CKTool JS calls for zones and records) over the same store as Web
//! Services: a record made through one is read through the other (issue #18).

use cloudkit_emulator::Emulator;
use serde_json::{Value, json};

use crate::common::{API_TOKEN, CONTAINER, Client, SCHEMA, http};

async fn send(request: reqwest::RequestBuilder, web_auth_token: Option<&str>) -> (u16, Value) {
    let mut request = request.header("X-Apple-CloudKit-API-Token", API_TOKEN);
    if let Some(token) = web_auth_token {
        request = request.header("X-Apple-CloudKit-Web-Auth-Token", token);
    }
    let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn records_made_through_v1_are_the_records_web_services_reads() {
    let emu = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .api_token(API_TOKEN)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let alice = emu.sign_in("alice").expose().to_owned();
    let zone = format!(
        "{}/v1/database/containers/{CONTAINER}/environments/DEVELOPMENT/databases/PUBLIC/zones/_defaultZone",
        emu.base_url()
    );

    // Writing needs a signed-in user: 421 with the v1 error shape and a redirectUrl.
    let body = json!({"recordName": "v1-note", "recordType": "Note", "fields": {
        "title": {"type": "stringType", "value": "made through v1"},
        "due": {"type": "timestampType", "value": "2024-01-01T12:00:00.250Z"},
        "tags": {"type": "stringListType", "value": ["a", "b"]},
        "body": {"type": "stringType"}
    }});
    let (status, error) = send(http().post(format!("{zone}/records")).json(&body), None).await;
    assert_eq!(status, 421, "{error}");
    assert_eq!(error["code"], 421);
    assert!(error["redirectUrl"].as_str().is_some(), "{error}");

    let (status, created) = send(
        http().post(format!("{zone}/records")).json(&body),
        Some(&alice),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let record = &created["record"];
    assert_eq!(
        record["fields"]["due"],
        json!({"type": "timestampType", "value": "2024-01-01T12:00:00.250Z"})
    );
    assert_eq!(record["fields"]["tags"]["type"], "stringListType");
    assert!(
        record["created"]["timestamp"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "{record}"
    );
    assert_eq!(record["zone"]["canonicalName"], "_defaultZone");

    // The same record through Web Services.
    let reply = Client::anonymous(&emu)
        .post(
            "public",
            "records/lookup",
            &json!({"records": [{"recordName": "v1-note"}]}),
        )
        .await;
    assert_eq!(
        reply.json["records"][0]["fields"]["due"],
        json!({"type": "TIMESTAMP", "value": 1_704_110_400_250_i64}),
        "{}",
        reply.json
    );

    // Query with a v1 filter and sort; lookup with a missing name.
    let (status, page) = send(
        http().post(format!("{zone}/query")).json(&json!({"query": {
            "recordType": "Note",
            "filters": [{"type": "BEGINS_WITH", "fieldName": "title", "fieldValue": {"type": "stringType", "value": "made"}}],
            "sorts": [{"fieldName": "title", "order": "ASC"}]
        }})),
        None,
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["records"][0]["recordName"], "v1-note", "{page}");
    let (_, looked) = send(
        http()
            .post(format!("{zone}/records/lookup"))
            .json(&json!({"recordNames": ["v1-note", "nope"]})),
        None,
    )
    .await;
    assert_eq!(looked["recordResults"][0]["type"], "existing");
    assert_eq!(
        looked["recordResults"][1],
        json!({"type": "error", "recordName": "nope", "errorCode": "NOT_FOUND", "message": looked["recordResults"][1]["message"]})
    );

    // A bad value type is a 400 naming the field; delete then get is a 404.
    let (status, error) = send(
        http().post(format!("{zone}/records")).json(&json!({"recordType": "Note", "fields": {"title": {"type": "boolType", "value": true}}})),
        Some(&alice),
    )
    .await;
    assert_eq!(status, 400, "{error}");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("title")),
        "{error}"
    );
    let (status, _) = send(
        http().delete(format!("{zone}/records/v1-note")),
        Some(&alice),
    )
    .await;
    assert_eq!(status, 204);
    let (status, error) = send(http().get(format!("{zone}/records/v1-note")), None).await;
    assert_eq!(
        (status, error["reason"].as_str()),
        (404, Some("NOT_FOUND")),
        "{error}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn changes_and_deletion_queries() {
    let emu = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .api_token(API_TOKEN)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let alice = emu.sign_in("alice").expose().to_owned();
    let database = format!(
        "{}/v1/database/containers/{CONTAINER}/environments/DEVELOPMENT/databases/PRIVATE",
        emu.base_url()
    );
    let (status, zone) = send(
        http()
            .post(format!("{database}/zones"))
            .json(&json!({"zoneName": "Work"})),
        Some(&alice),
    )
    .await;
    assert_eq!(status, 201, "{zone}");
    let zone = format!("{database}/zones/Work");
    for i in 0..5 {
        let (status, body) = send(
            http().post(format!("{zone}/records")).json(&json!({
                "recordName": format!("n{i}"), "recordType": "Note",
                "fields": {"title": {"type": "stringType", "value": format!("note {i}")}, "priority": {"type": "int64Type", "value": i}}
            })),
            Some(&alice),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }

    // From the start: five existing records and a token; an empty body is allowed.
    let (status, first) = send(http().post(format!("{zone}/changes")), Some(&alice)).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        first["recordResults"].as_array().map(Vec::len),
        Some(5),
        "{first}"
    );
    assert_eq!(first["recordResults"][0]["type"], "existing");
    assert_eq!(first["moreComing"], false);
    let token = first["changeToken"].clone();
    assert!(token.is_string(), "{first}");

    // A dry run counts; a page of two deletes two and says more follow.
    let matching = json!({"recordType": "Note", "filters": [{"type": "GREATER_THAN_OR_EQUALS", "fieldName": "priority", "fieldValue": {"type": "int64Type", "value": 1}}]});
    let mut dry = matching.clone();
    dry["dryRun"] = json!(true);
    let (_, counted) = send(
        http().post(format!("{zone}/deletionQuery")).json(&dry),
        Some(&alice),
    )
    .await;
    assert_eq!(
        (
            counted["deletedCount"].as_u64(),
            counted["errors"].as_array().map(Vec::len)
        ),
        (Some(4), Some(0)),
        "{counted}"
    );
    let mut page = matching.clone();
    page["resultsLimit"] = json!(2);
    let (_, first_page) = send(
        http().post(format!("{zone}/deletionQuery")).json(&page),
        Some(&alice),
    )
    .await;
    assert_eq!(first_page["deletedCount"], 2, "{first_page}");
    let rest = send(
        http().post(format!("{zone}/deletionQuery")).json(&matching),
        Some(&alice),
    )
    .await
    .1;
    assert_eq!(rest["deletedCount"], 2, "{rest}");
    assert!(rest.get("continuationToken").is_none(), "{rest}");

    // Since the token: four deletions, nothing else.
    let (_, since) = send(
        http()
            .post(format!("{zone}/changes"))
            .json(&json!({"changeToken": token})),
        Some(&alice),
    )
    .await;
    let kinds: Vec<&str> = since["recordResults"]
        .as_array()
        .map(|r| r.iter().filter_map(|x| x["type"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, ["deleted"; 4], "{since}");
    emu.shutdown().await;
}

/// The v1 and management APIs sit behind the same Host check as Web Services (DNS
/// rebinding): a request naming another host is refused before any route runs.
#[tokio::test]
async fn v1_and_management_requests_must_name_the_emulator_as_host() {
    let emu = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .api_token(API_TOKEN)
        .management_token("t")
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for path in [
        format!(
            "/v1/database/containers/{CONTAINER}/environments/DEVELOPMENT/databases/PUBLIC/zones"
        ),
        "/users/current/teams".to_owned(),
    ] {
        let refused = http()
            .get(format!("{}{path}", emu.base_url()))
            .header("Host", "rebound.example")
            .header("X-Apple-CloudKit-API-Token", API_TOKEN)
            .header("X-Apple-CloudKit-Management-Token", "t")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(refused.status().as_u16(), 403, "{path}");
    }
    emu.shutdown().await;
}
