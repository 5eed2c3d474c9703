//! Every management shape against the spec's example (spec §4, §8.1): the example JSON sits
//! beside its test, decodes, re-encodes to the same JSON, and the encoding is snapshotted.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::*;
use crate::ws::Environment;

/// Decodes `example`, checks that encoding gives back the same JSON value, and returns the
/// compact encoding for the snapshot.
fn round_trip<T: Serialize + DeserializeOwned>(example: &str) -> String {
    let decoded: T = serde_json::from_str(example).expect("the example decodes");
    let encoded = serde_json::to_string(&decoded).expect("encodes");
    let expected: serde_json::Value = serde_json::from_str(example).expect("example is JSON");
    let actual: serde_json::Value = serde_json::from_str(&encoded).expect("encoding is JSON");
    assert_eq!(actual, expected, "round trip changed the JSON");
    encoded
}

/// §4.1 `TeamsResponse`, every key present.
const TEAMS_EXAMPLE: &str = r#"{
  "teams": [
    {"teamId": "ABCDE12345", "teamName": "Example Inc.", "teamType": "COMPANY"},
    {"teamId": "FGHIJ67890", "teamName": "Side Project"}
  ],
  "recentTeamId": "ABCDE12345"
}"#;

#[test]
fn teams_response_round_trips() {
    insta::assert_snapshot!(round_trip::<TeamsResponse>(TEAMS_EXAMPLE));
}

/// §4.2 `ContainersResponse`: a page with both paging keys and recent containers.
const CONTAINERS_EXAMPLE: &str = r#"{
  "containers": [
    {"id": "iCloud.com.example.notes", "teamId": "ABCDE12345", "name": "Notes",
     "imageUrl": "https://example.invalid/notes.png", "isHidden": false},
    {"id": "iCloud.com.example.todo", "teamId": "ABCDE12345", "name": "Todo"}
  ],
  "nextKey": "iCloud.com.example.todo",
  "previousKey": "iCloud.com.example.notes",
  "recentContainers": [
    {"id": "iCloud.com.example.notes", "teamId": "ABCDE12345", "name": "Notes"}
  ]
}"#;

#[test]
fn containers_response_round_trips() {
    insta::assert_snapshot!(round_trip::<ContainersResponse>(CONTAINERS_EXAMPLE));
}

#[test]
fn optional_keys_may_be_null_or_absent() {
    // §1.5: optional keys may be absent or null; unknown keys are ignored.
    let page: ContainersResponse = serde_json::from_str(
        r#"{"containers":[{"id":"iCloud.a","teamId":"T","name":"A","imageUrl":null}],
            "nextKey":null,"extra":1}"#,
    )
    .expect("decodes");
    assert_eq!(page.next_key, None);
    assert_eq!(page.containers[0].image_url, None);
    // A required key may not be null.
    assert!(serde_json::from_str::<Team>(r#"{"teamId":null,"teamName":"x"}"#).is_err());
}

/// §4.4 `ValidateSchemaResponse`, valid and invalid.
const VALIDATE_VALID_EXAMPLE: &str = r#"{"isValid": true}"#;
const VALIDATE_INVALID_EXAMPLE: &str =
    r#"{"isValid": false, "errorMessage": "Field 'title' of type 'Note' cannot change type"}"#;

#[test]
fn validate_schema_response_round_trips() {
    insta::assert_snapshot!(
        "validate_valid",
        round_trip::<ValidateSchemaResponse>(VALIDATE_VALID_EXAMPLE)
    );
    insta::assert_snapshot!(
        "validate_invalid",
        round_trip::<ValidateSchemaResponse>(VALIDATE_INVALID_EXAMPLE)
    );
}

/// §8.1 `RequestError`, every key; and the 421 form with `redirectUrl`.
const REQUEST_ERROR_EXAMPLE: &str = r#"{
  "code": 503, "message": "Service unavailable", "reason": "SERVICE_UNAVAILABLE",
  "detailedMessage": "try again later", "requestUuid": "5c1f6a1e-0000-4000-8000-000000000001",
  "retryAfterSeconds": 30
}"#;
const AUTH_REQUIRED_EXAMPLE: &str = r#"{
  "code": 421, "message": "Authentication required", "reason": "AUTHENTICATION_REQUIRED",
  "redirectUrl": "https://idmsa.apple.com/signin"
}"#;

#[test]
fn request_error_round_trips() {
    insta::assert_snapshot!(
        "request_error",
        round_trip::<RequestError>(REQUEST_ERROR_EXAMPLE)
    );
    insta::assert_snapshot!(
        "authentication_required",
        round_trip::<RequestError>(AUTH_REQUIRED_EXAMPLE)
    );
    // A CKWS error body is not a management error (CKTool JS: ResponseDecodeError).
    assert!(
        serde_json::from_str::<RequestError>(r#"{"serverErrorCode":"NOT_FOUND","reason":"x"}"#)
            .is_err()
    );
}

#[test]
fn paths_match_the_endpoint_index() {
    let env = Environment::Development;
    let paths = [
        teams_path(),
        containers_path("ABCDE12345"),
        schema_export_path("ABCDE12345", "iCloud.com.example.notes", env),
        schema_validate_path("ABCDE12345", "iCloud.com.example.notes", env),
        schema_import_path("ABCDE12345", "iCloud.com.example.notes", env),
        reset_path("ABCDE12345", "iCloud.com.example.notes", env),
        schema_export_path("a b/c", "iCloud.x", Environment::Production),
    ];
    insta::assert_snapshot!(paths.join("\n"));
}

#[test]
fn containers_query_leaves_unset_parameters_out() {
    assert!(ContainersQuery::default().pairs().is_empty());
    let query = ContainersQuery {
        limit: Some(0),
        starting_after_key: Some("iCloud.a".into()),
        sort_by: Some(ContainerSort::Name),
        sort_direction: Some(SortDirection::Descending),
        q: Some("notes app".into()),
        show_hidden: Some(true),
        ..ContainersQuery::default()
    };
    insta::assert_debug_snapshot!(query.pairs());
}

#[test]
fn schema_upload_is_byte_for_byte_what_cktool_js_sends() {
    // §4.4's captured body, CRLFs shown as \r\n by the Debug escape.
    let upload =
        SchemaUpload::new("DEFINE SCHEMA\n    RECORD TYPE Note (\n        title STRING\n    );\n");
    assert_eq!(
        SchemaUpload::content_type(),
        "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW"
    );
    let text = String::from_utf8(upload.into_body()).expect("utf-8");
    assert!(text.ends_with("\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW--"));
    insta::assert_snapshot!(text.replace('\r', "␍"));
}

#[test]
fn a_server_reads_the_file_part_back_as_cktool_js_and_others_send_it() {
    let text = "DEFINE SCHEMA\n    RECORD TYPE Note (\n        title STRING\n    );\n";
    let upload = SchemaUpload::new(text);
    assert_eq!(
        SchemaUpload::file_text(&SchemaUpload::content_type(), upload.body()),
        Ok(text.to_owned())
    );
    // Another client: its own boundary, another part first, a typed part, a final CRLF.
    let body = "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--XyZ\r\n\
                Content-Disposition: form-data; name=\"file\"; filename=\"s.ckdb\"\r\n\
                Content-Type: text/plain\r\n\r\nDEFINE SCHEMA\r\n--XyZ--\r\n";
    assert_eq!(
        SchemaUpload::file_text("multipart/form-data; boundary=\"XyZ\"", body.as_bytes()),
        Ok("DEFINE SCHEMA".to_owned())
    );
    assert_eq!(
        SchemaUpload::file_text("application/json", body.as_bytes()),
        Err(UploadError::NotMultipart)
    );
    assert_eq!(
        SchemaUpload::file_text(
            "multipart/form-data; boundary=XyZ",
            b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\ncut off"
        ),
        Err(UploadError::NoFilePart)
    );
}
