//! Shared pieces of the client tests: a record type, the schema, the test key pair, an
//! emulator and clients of it. Also used by `client_tracing.rs`, which needs its own binary.

#![allow(dead_code)]

use std::time::Duration;

use cloudkit_emulator::{Emulator, EmulatorBuilder, Environment as EmuEnvironment, FaultSpec};
use cloudkit_runtime::client::{Client, Environment, RetryPolicy};
use cloudkit_runtime::wire::{FieldValue, Record, Value};
use cloudkit_runtime::{CloudKitRecord, DecodeError, DecodeErrorKind};

pub const CONTAINER: &str = "iCloud.com.example.notes";
pub const API_TOKEN: &str = "test-api-token";

pub const SCHEMA: &str = r#"DEFINE SCHEMA
RECORD TYPE Note (
    "___recordID" REFERENCE QUERYABLE,
    title STRING QUERYABLE SORTABLE,
    body STRING,
    n INT64 QUERYABLE SORTABLE,
    GRANT WRITE TO "_creator",
    GRANT CREATE TO "_icloud",
    GRANT READ TO "_world"
);
"#;

/// The TEST-ONLY key of the wire reference §2.4.
pub const KEY_ID: &str = "6f1a0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f";
pub const PRIVATE_KEY: &str = include_str!("../fixtures/test_key.pem");
pub const PUBLIC_KEY: &str = include_str!("../fixtures/test_key_public.pem");

#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub name: Option<String>,
    pub change_tag: Option<String>,
    pub title: String,
    pub n: i64,
}

impl Note {
    pub fn new(name: &str, title: &str, n: i64) -> Self {
        Note {
            name: Some(name.to_owned()),
            change_tag: None,
            title: title.to_owned(),
            n,
        }
    }
}

impl CloudKitRecord for Note {
    const RECORD_TYPE: &'static str = "Note";
    fn to_record(&self) -> Record {
        let mut record = Record::new(Self::RECORD_TYPE)
            .with_field("title", FieldValue::from(Value::String(self.title.clone())))
            .with_field("n", FieldValue::from(Value::Int64(self.n)));
        record.record_name = self.name.clone();
        record.record_change_tag = self.change_tag.clone();
        record
    }
    fn from_record(record: Record) -> Result<Self, DecodeError> {
        let title = match record.fields.get("title").map(|f| &f.value) {
            Some(Value::String(s)) => s.clone(),
            other => {
                return Err(DecodeError::new(DecodeErrorKind::Invalid(format!(
                    "title: {other:?}"
                ))));
            }
        };
        let n = match record.fields.get("n").map(|f| &f.value) {
            Some(Value::Int64(n)) => *n,
            other => {
                return Err(DecodeError::new(DecodeErrorKind::Invalid(format!(
                    "n: {other:?}"
                ))));
            }
        };
        Ok(Note {
            name: record.record_name,
            change_tag: record.record_change_tag,
            title,
            n,
        })
    }
}

pub async fn emulator(faults: Option<FaultSpec>) -> Emulator {
    emulator_with(faults, |b| b).await
}

pub async fn emulator_with(
    faults: Option<FaultSpec>,
    configure: impl FnOnce(EmulatorBuilder) -> EmulatorBuilder,
) -> Emulator {
    let mut builder = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .environment(EmuEnvironment::Development)
        .api_token(API_TOKEN)
        .server_key(KEY_ID, PUBLIC_KEY)
        .memory();
    if let Some(spec) = faults {
        builder = builder.faults(spec).seed(7);
    }
    configure(builder).start().await.expect("emulator starts")
}

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(10)
        .with_backoff(Duration::from_millis(2), Duration::from_millis(50))
}

/// A client signed in as `user` (private database access).
pub fn user_client(emu: &Emulator, user: &str) -> Client {
    Client::builder()
        .container(CONTAINER)
        .environment(Environment::Development)
        .base_url(emu.base_url())
        .api_token(API_TOKEN)
        .web_auth_token(emu.sign_in(user).expose())
        .retry_policy(fast_retries())
        .build()
        .expect("client")
}

/// A server-to-server client (public database).
pub fn key_client(emu: &Emulator) -> Client {
    Client::builder()
        .container(CONTAINER)
        .environment(Environment::Development)
        .base_url(emu.base_url())
        .server_to_server_key(KEY_ID, PRIVATE_KEY)
        .retry_policy(fast_retries())
        .build()
        .expect("client")
}
