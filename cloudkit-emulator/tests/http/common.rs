//! Shared test setup: an emulator on loopback and a small client that speaks the wire types.

use std::sync::Mutex;

use cloudkit_emulator::{Emulator, Environment};
use reqwest::StatusCode;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub const CONTAINER: &str = "iCloud.com.example.notes";
pub const API_TOKEN: &str = "test-api-token";

pub const SCHEMA: &str = r#"
DEFINE SCHEMA
    RECORD TYPE Note (
        "___createTime" TIMESTAMP QUERYABLE SORTABLE,
        "___createdBy"  REFERENCE QUERYABLE,
        "___modTime"    TIMESTAMP QUERYABLE SORTABLE,
        "___recordID"   REFERENCE QUERYABLE,
        title     STRING QUERYABLE SEARCHABLE SORTABLE,
        body      STRING,
        tags      LIST<STRING> QUERYABLE SEARCHABLE,
        counts    LIST<INT64> QUERYABLE,
        priority  INT64 QUERYABLE SORTABLE,
        score     DOUBLE QUERYABLE SORTABLE,
        due       TIMESTAMP QUERYABLE SORTABLE,
        place     LOCATION QUERYABLE SORTABLE,
        folder    REFERENCE QUERYABLE,
        secret    ENCRYPTED STRING,
        data      BYTES,
        GRANT WRITE TO "_creator",
        GRANT CREATE TO "_icloud",
        GRANT READ TO "_world"
    );
    RECORD TYPE Folder (
        "___recordID" REFERENCE QUERYABLE,
        name STRING QUERYABLE,
        GRANT READ, CREATE, WRITE TO "_icloud"
    );
    RECORD TYPE Diary (
        "___recordID" REFERENCE QUERYABLE,
        text STRING,
        GRANT READ, CREATE, WRITE TO "_creator",
        GRANT CREATE TO "_icloud"
    );
    RECORD TYPE Unindexed (
        name STRING,
        GRANT READ TO "_world",
        GRANT CREATE TO "_icloud"
    );
"#;

pub async fn start(environment: Environment) -> Emulator {
    Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .environment(environment)
        .api_token(API_TOKEN)
        .memory()
        .start()
        .await
        .unwrap_or_else(|e| panic!("emulator did not start: {e}"))
}

/// One client session: API token, optionally a signed-in user whose token rotates.
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub environment: &'static str,
    pub api_token: Option<String>,
    pub web_token: Mutex<Option<String>>,
}

/// A response: status, headers and the body as JSON.
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub json: serde_json::Value,
}

impl Reply {
    pub fn decode<T: DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.json.clone())
            .unwrap_or_else(|e| panic!("cannot decode {}: {e}", self.json))
    }

    pub fn code(&self) -> &str {
        self.json["serverErrorCode"].as_str().unwrap_or("")
    }

    /// `serverErrorCode` of element `i` of the array `key` ("" for a success).
    pub fn item_code(&self, key: &str, i: usize) -> &str {
        self.json[key][i]["serverErrorCode"].as_str().unwrap_or("")
    }
}

/// A plain reqwest client. The workspace builds reqwest with `rustls-no-provider` (the
/// runtime's client brings its own ring provider), so a bare reqwest client in the same
/// process needs a provider installed first, even for plain-HTTP use.
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

impl Client {
    pub fn anonymous(emu: &Emulator) -> Client {
        Client {
            http: http(),
            base: emu.base_url(),
            environment: "development",
            api_token: Some(API_TOKEN.to_owned()),
            web_token: Mutex::new(None),
        }
    }

    pub fn user(emu: &Emulator, name: &str) -> Client {
        let c = Client::anonymous(emu);
        *c.web_token.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(emu.sign_in(name).expose().to_owned());
        c
    }

    pub fn production(mut self) -> Client {
        self.environment = "production";
        self
    }

    pub fn url(&self, db: &str, endpoint: &str) -> String {
        let mut url = format!(
            "{}/database/1/{CONTAINER}/{}/{db}/{endpoint}",
            self.base, self.environment
        );
        let mut query = form_urlencoded_pairs();
        if let Some(t) = &self.api_token {
            query.append_pair("ckAPIToken", t);
        }
        if let Some(t) = self
            .web_token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_deref()
        {
            query.append_pair("ckWebAuthToken", t);
        }
        let q = query.finish();
        if !q.is_empty() {
            url.push('?');
            url.push_str(&q);
        }
        url
    }

    async fn finish(&self, response: reqwest::Response) -> Reply {
        let status = response.status();
        let headers = response.headers().clone();
        if let Some(t) = headers
            .get("x-apple-cloudkit-web-auth-token")
            .and_then(|v| v.to_str().ok())
        {
            let mut slot = self.web_token.lock().unwrap_or_else(|p| p.into_inner());
            if slot.is_some() {
                *slot = Some(t.to_owned());
            }
        }
        let bytes = response.bytes().await.unwrap_or_default();
        let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        Reply {
            status,
            headers,
            json,
        }
    }

    pub async fn post<B: Serialize>(&self, db: &str, endpoint: &str, body: &B) -> Reply {
        let text = serde_json::to_string(body).unwrap_or_default();
        self.post_raw(db, endpoint, text).await
    }

    pub async fn post_raw(
        &self,
        db: &str,
        endpoint: &str,
        body: impl Into<reqwest::Body>,
    ) -> Reply {
        let response = self
            .http
            .post(self.url(db, endpoint))
            .header("content-type", "text/plain")
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("request failed: {e}"));
        self.finish(response).await
    }

    pub async fn get(&self, db: &str, endpoint: &str) -> Reply {
        let response = self
            .http
            .get(self.url(db, endpoint))
            .send()
            .await
            .unwrap_or_else(|e| panic!("request failed: {e}"));
        self.finish(response).await
    }
}

fn form_urlencoded_pairs() -> form_urlencoded::Serializer<'static, String> {
    form_urlencoded::Serializer::new(String::new())
}

/// Redactions for snapshots: everything the server makes up per run.
pub fn redacted() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    for path in [
        ".**.uuid",
        ".**.recordChangeTag",
        ".**.timestamp",
        ".**.syncToken",
        ".**.continuationMarker",
        ".**.userRecordName",
        ".**.ownerRecordName",
        ".**.redirectURL",
    ] {
        s.add_redaction(path, "[redacted]");
    }
    s
}
