//! One emulator serves several containers, each in both environments, side by side: each
//! (container, environment) keeps its own data and schema, production refuses what
//! development grew, and the URLs a service hands out lead back to it (issue #17).

use cloudkit_emulator::{ContainerSchema, Emulator, Environment};
use serde_json::{Value, json};

use crate::common::{API_TOKEN, CONTAINER, SCHEMA, http};

const SECOND: &str = "iCloud.com.example.second";
const SECOND_SCHEMA: &str = r#"DEFINE SCHEMA
    RECORD TYPE Photo (
        "___recordID" REFERENCE QUERYABLE,
        caption STRING,
        file    ASSET,
        GRANT READ, CREATE, WRITE TO "_icloud"
    );
"#;

struct Target<'a> {
    base: String,
    container: &'a str,
    environment: &'a str,
    token: Option<String>,
}

impl Target<'_> {
    fn url(&self, endpoint: &str) -> String {
        let mut url = format!(
            "{}/database/1/{}/{}/private/{endpoint}?ckAPIToken={API_TOKEN}",
            self.base, self.container, self.environment
        );
        if let Some(t) = &self.token {
            url.push_str("&ckWebAuthToken=");
            url.extend(form_urlencoded::byte_serialize(t.as_bytes()));
        }
        url
    }

    async fn post(&self, endpoint: &str, body: Value) -> (u16, Value) {
        let response = http()
            .post(self.url(endpoint))
            .body(body.to_string())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

fn create(record_type: &str, name: &str, fields: Value) -> Value {
    json!({"operations": [{"operationType": "create",
        "record": {"recordType": record_type, "recordName": name, "fields": fields}}]})
}

fn lookup(name: &str) -> Value {
    json!({"records": [{"recordName": name}]})
}

async fn two_containers(data: Option<&std::path::Path>) -> Emulator {
    let mut b = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .add_container(SECOND, ContainerSchema::Source(SECOND_SCHEMA.to_owned()))
        .api_token(API_TOKEN);
    b = match data {
        Some(path) => b.data_file(path),
        None => b.memory(),
    };
    b.start().await.unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn containers_and_environments_are_served_side_by_side_each_with_its_own_data() {
    let emu = two_containers(None).await;
    assert_eq!(emu.served().len(), 4, "{:?}", emu.served());
    let base = emu.base_url();
    let alice = emu.sign_in("alice").expose().to_owned();
    let at = |container, environment, token: &str| Target {
        base: base.clone(),
        container,
        environment,
        token: Some(token.to_owned()),
    };
    let dev = at(CONTAINER, "development", &alice);
    let prod = at(CONTAINER, "production", &alice);

    // Development grows a type just in time; production, from the same schema file, refuses it.
    let (_, r) = dev
        .post(
            "records/modify",
            create("Widget", "w1", json!({"size": {"value": 3}})),
        )
        .await;
    assert_eq!(r["records"][0]["recordName"], "w1", "{r}");
    let (_, r) = prod
        .post(
            "records/modify",
            create("Widget", "w1", json!({"size": {"value": 3}})),
        )
        .await;
    assert_eq!(r["records"][0]["serverErrorCode"], "BAD_REQUEST", "{r}");
    assert!(
        emu.export_schema_of(CONTAINER, Environment::Development)
            .is_some_and(|s| s.contains("RECORD TYPE Widget"))
    );
    assert!(
        emu.export_schema_of(CONTAINER, Environment::Production)
            .is_some_and(|s| !s.contains("Widget"))
    );

    // A type of the schema file works in production, and the environments keep their own data.
    let (_, r) = prod
        .post(
            "records/modify",
            create("Note", "n1", json!({"title": {"value": "prod"}})),
        )
        .await;
    assert_eq!(r["records"][0]["recordName"], "n1", "{r}");
    let (_, r) = dev.post("records/lookup", lookup("n1")).await;
    assert_eq!(r["records"][0]["serverErrorCode"], "NOT_FOUND", "{r}");
    let (_, r) = prod.post("records/lookup", lookup("w1")).await;
    assert_eq!(r["records"][0]["serverErrorCode"], "NOT_FOUND", "{r}");

    // The second container: its own schema, data and sign-ins.
    let (status, r) = at(SECOND, "development", &alice)
        .post("zones/list", json!({}))
        .await;
    assert!(
        status == 401 || status == 421,
        "a sign-in of one container does not hold in another: {status} {r}"
    );
    let bob = emu
        .sign_in_to(SECOND, "bob")
        .map(|t| t.expose().to_owned())
        .unwrap_or_default();
    let second = at(SECOND, "development", &bob);
    let (_, r) = second
        .post(
            "records/modify",
            create("Photo", "p1", json!({"caption": {"value": "hi"}})),
        )
        .await;
    assert_eq!(r["records"][0]["recordName"], "p1", "{r}");
    let (_, r) = at(CONTAINER, "development", emu.sign_in("bob").expose())
        .post("records/lookup", lookup("p1"))
        .await;
    assert_eq!(r["records"][0]["serverErrorCode"], "NOT_FOUND", "{r}");
    let (_, r) = at(SECOND, "production", &bob)
        .post("records/lookup", lookup("p1"))
        .await;
    assert_eq!(r["records"][0]["serverErrorCode"], "NOT_FOUND", "{r}");

    // An asset of the second container: its upload and download URLs lead back to it.
    let (_, r) = second
        .post(
            "assets/upload",
            json!({"tokens": [{"recordType": "Photo", "recordName": "p2", "fieldName": "file"}]}),
        )
        .await;
    let upload = r["tokens"][0]["url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(upload.starts_with(&format!("{base}/_c/")), "{upload}");
    let uploaded: Value = http()
        .post(&upload)
        .body(&b"second container bytes"[..])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or(Value::Null);
    let (_, r) = second
        .post(
            "records/modify",
            create(
                "Photo",
                "p2",
                json!({"file": {"type": "ASSETID", "value": uploaded["singleFile"]}}),
            ),
        )
        .await;
    let download = r["records"][0]["fields"]["file"]["value"]["downloadURL"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let bytes = http()
        .get(&download)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .bytes()
        .await
        .unwrap_or_default();
    assert_eq!(&bytes[..], b"second container bytes", "{download}");

    // A container not served is named, with the ones that are.
    let (status, r) = at("iCloud.com.example.none", "development", &alice)
        .post("zones/list", json!({}))
        .await;
    assert_eq!(status, 400, "{r}");
    let reason = r["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains(CONTAINER) && reason.contains(SECOND),
        "{reason}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn each_container_keeps_its_data_file_beside_the_first() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data.sqlite");
    let emu = two_containers(Some(&data)).await;
    let bob = emu
        .sign_in_to(SECOND, "bob")
        .map(|t| t.expose().to_owned())
        .unwrap_or_default();
    let second = Target {
        base: emu.base_url(),
        container: SECOND,
        environment: "development",
        token: Some(bob.clone()),
    };
    let (_, r) = second
        .post(
            "records/modify",
            create("Photo", "kept", json!({"caption": {"value": "x"}})),
        )
        .await;
    assert_eq!(r["records"][0]["recordName"], "kept", "{r}");
    emu.shutdown().await;
    assert!(
        dir.path()
            .join(format!("data.{SECOND}.development.sqlite"))
            .exists()
    );
    assert!(
        dir.path()
            .join(format!("data.{CONTAINER}.production.sqlite"))
            .exists()
    );

    let emu = two_containers(Some(&data)).await;
    let second = Target {
        base: emu.base_url(),
        container: SECOND,
        environment: "development",
        token: Some(bob),
    };
    let (_, r) = second.post("records/lookup", lookup("kept")).await;
    assert_eq!(
        r["records"][0]["recordName"], "kept",
        "the sign-in and the record are kept: {r}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn a_container_id_that_is_not_path_safe_is_refused_at_start() {
    let err = Emulator::builder()
        .container(CONTAINER)
        .add_container("../x", ContainerSchema::None)
        .start()
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("cannot serve the container `../x`"), "{err}");
    let err = Emulator::builder()
        .container(CONTAINER)
        .add_container(CONTAINER, ContainerSchema::None)
        .start()
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("give each container once"), "{err}");
}
