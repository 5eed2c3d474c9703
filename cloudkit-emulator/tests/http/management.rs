//! The management API over the emulator's containers: teams, containers, schema export,
//! validate, import into development, reset to production (issue #18).

use cloudkit_emulator::{ContainerSchema, Emulator};
use cloudkit_wire::management::SchemaUpload;
use serde_json::{Value, json};

use crate::common::{API_TOKEN, http};

const TOKEN: &str = "management-token-for-tests";
const NOTES: &str = "iCloud.com.example.notes";
const OTHER: &str = "iCloud.com.example.other";
const PRODUCTION: &str = "DEFINE SCHEMA\n\n    RECORD TYPE Note (\n        \"___recordID\" REFERENCE QUERYABLE,\n        title STRING QUERYABLE,\n        GRANT READ, CREATE, WRITE TO \"_icloud\"\n    );\n";
const WITH_BODY: &str = "DEFINE SCHEMA\n\n    RECORD TYPE Note (\n        \"___recordID\" REFERENCE QUERYABLE,\n        body STRING,\n        title STRING QUERYABLE,\n        GRANT READ, CREATE, WRITE TO \"_icloud\"\n    );\n";
const WITHOUT_NOTE: &str =
    "DEFINE SCHEMA\n\n    RECORD TYPE Folder (\n        name STRING\n    );\n";

async fn emulator(data: Option<&std::path::Path>) -> Emulator {
    let mut b = Emulator::builder()
        .schema_source(PRODUCTION)
        .container(NOTES)
        .add_container(OTHER, ContainerSchema::None)
        .api_token(API_TOKEN)
        .management_token(TOKEN);
    b = match data {
        Some(path) => b.data_file(path),
        None => b.memory(),
    };
    b.start().await.unwrap_or_else(|e| panic!("{e}"))
}

fn schema_path(emu: &Emulator, environment: &str, tail: &str) -> String {
    format!(
        "{}/v1/database/teams/EMULATOR00/containers/{NOTES}/environments/{environment}/{tail}",
        emu.base_url()
    )
}

async fn send(request: reqwest::RequestBuilder) -> (u16, String, reqwest::header::HeaderMap) {
    let response = request
        .header("X-Apple-CloudKit-Management-Token", TOKEN)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, response.text().await.unwrap_or_default(), headers)
}

fn upload(request: reqwest::RequestBuilder, text: &str) -> reqwest::RequestBuilder {
    request
        .header("content-type", SchemaUpload::content_type())
        .body(SchemaUpload::new(text).into_body())
}

/// `text` as the emulator exports it: canonical, with the system fields written out.
fn canonical(text: &str) -> String {
    let checked = cloudkit_schema::parse_and_check(text).unwrap_or_else(|e| panic!("{e:?}"));
    cloudkit_schema::format(&checked.schema)
}

async fn export(emu: &Emulator, environment: &str) -> String {
    let (status, text, headers) =
        send(http().get(schema_path(emu, environment, "schema/export"))).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        headers
            .get("content-disposition")
            .and_then(|v| v.to_str().ok()),
        Some("attachment; filename=\"schema.ckdb\"")
    );
    text
}

#[tokio::test]
async fn teams_containers_and_tokens() {
    let emu = emulator(None).await;
    let base = emu.base_url();
    let (status, body, _) = send(http().get(format!("{base}/users/current/teams"))).await;
    assert_eq!(status, 200, "{body}");
    let teams: Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(teams["teams"][0]["teamId"], "EMULATOR00");

    let (_, body, _) =
        send(http().get(format!("{base}/teams/EMULATOR00/containers?limit=1"))).await;
    let page: Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(page["containers"][0]["id"], NOTES, "{page}");
    assert_eq!(page["nextKey"], NOTES, "{page}");
    let (_, body, _) = send(http().get(format!(
        "{base}/teams/EMULATOR00/containers?limit=1&startingAfterKey={NOTES}"
    )))
    .await;
    let page: Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(page["containers"][0]["id"], OTHER, "{page}");
    assert!(page.get("nextKey").is_none(), "{page}");

    let (status, body, _) = send(http().get(format!("{base}/teams/SOMEONE/containers"))).await;
    assert_eq!(status, 404, "{body}");
    let error: Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(
        (error["code"].as_i64(), error["reason"].as_str()),
        (Some(404), Some("NOT_FOUND"))
    );

    // Without the token, or with another: 401 in the management API's error shape.
    let response = http()
        .get(format!("{base}/users/current/teams"))
        .header("X-Apple-CloudKit-Management-Token", "guess")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status().as_u16(), 401);
    let error: Value = response.json().await.unwrap_or_default();
    assert_eq!(error["code"], 401);
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| !m.contains(TOKEN)),
        "{error}"
    );
    emu.shutdown().await;

    // An emulator started without a management token has the API off.
    let off = Emulator::builder()
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (status, body, _) =
        send(http().get(format!("{}/users/current/teams", off.base_url()))).await;
    assert_eq!(status, 401);
    assert!(body.contains("--management-token"), "{body}");
    off.shutdown().await;
}

#[tokio::test]
async fn validate_import_export_and_reset() {
    let emu = emulator(None).await;
    assert_eq!(export(&emu, "DEVELOPMENT").await, canonical(PRODUCTION));

    // Validate: an addition is valid; dropping a production type is not.
    let (status, body, _) = send(upload(
        http().post(schema_path(&emu, "DEVELOPMENT", "schema/validate")),
        WITH_BODY,
    ))
    .await;
    assert_eq!((status, body.as_str()), (200, r#"{"isValid":true}"#));
    let (_, body, _) = send(upload(
        http().post(schema_path(&emu, "DEVELOPMENT", "schema/validate")),
        WITHOUT_NOTE,
    ))
    .await;
    let verdict: Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(verdict["isValid"], false);
    assert!(
        verdict["errorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("Note")),
        "{verdict}"
    );

    // Import into development; production keeps its schema; a refused file changes nothing.
    let (status, body, _) = send(upload(
        http().put(schema_path(&emu, "DEVELOPMENT", "schema")),
        WITH_BODY,
    ))
    .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(export(&emu, "DEVELOPMENT").await, canonical(WITH_BODY));
    assert_eq!(export(&emu, "PRODUCTION").await, canonical(PRODUCTION));
    let (status, body, _) = send(upload(
        http().put(schema_path(&emu, "DEVELOPMENT", "schema")),
        WITHOUT_NOTE,
    ))
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(export(&emu, "DEVELOPMENT").await, canonical(WITH_BODY));
    let (status, body, _) = send(upload(
        http().put(schema_path(&emu, "PRODUCTION", "schema")),
        WITH_BODY,
    ))
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("development only"), "{body}");
    let (status, _, _) = send(upload(
        http().put(schema_path(&emu, "DEVELOPMENT", "schema")),
        "DEFINE SCHEMA RECORD",
    ))
    .await;
    assert_eq!(status, 400);

    // Reset: development's data goes and its schema is production's again; sign-ins stay.
    let alice = emu.sign_in("alice");
    let records = format!(
        "{}/database/1/{NOTES}/development/public/records/modify?ckAPIToken={API_TOKEN}&ckWebAuthToken={}",
        emu.base_url(),
        form_urlencoded::byte_serialize(alice.expose().as_bytes()).collect::<String>()
    );
    let saved: Value = http()
        .post(&records)
        .body(json!({"operations": [{"operationType": "create", "record": {"recordType": "Note", "recordName": "n1", "fields": {"body": {"value": "x"}}}}]}).to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(saved["records"][0]["recordName"], "n1", "{saved}");
    let (status, body, _) = send(http().post(schema_path(&emu, "DEVELOPMENT", "reset"))).await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(export(&emu, "DEVELOPMENT").await, canonical(PRODUCTION));
    let lookup: Value = http()
        .post(records.replace("records/modify", "records/lookup"))
        .body(json!({"records": [{"recordName": "n1"}]}).to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(
        lookup["records"][0]["serverErrorCode"], "NOT_FOUND",
        "{lookup}"
    );
    let (status, _, _) = send(http().post(schema_path(&emu, "PRODUCTION", "reset"))).await;
    assert_eq!(status, 400);
    emu.shutdown().await;
}

#[tokio::test]
async fn an_imported_schema_is_kept_across_a_restart() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data.sqlite");
    let emu = emulator(Some(&data)).await;
    let (status, _, _) = send(upload(
        http().put(schema_path(&emu, "DEVELOPMENT", "schema")),
        WITH_BODY,
    ))
    .await;
    assert_eq!(status, 202);
    emu.shutdown().await;
    let emu = emulator(Some(&data)).await;
    assert_eq!(export(&emu, "DEVELOPMENT").await, canonical(WITH_BODY));
    assert_eq!(export(&emu, "PRODUCTION").await, canonical(PRODUCTION));
    emu.shutdown().await;
}
