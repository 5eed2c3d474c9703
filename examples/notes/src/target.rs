//! Where the example runs: the in-process emulator, or whatever the `CLOUDKIT_*` variables
//! point at (real iCloud, or an emulator started with `cloudkit serve`).

use cloudkit_emulator::{Emulator, Environment as EmuEnvironment};
use cloudkit_runtime::client::{Client, Environment};

use crate::error::AppError;

/// The container the in-process emulator serves.
pub const CONTAINER: &str = "iCloud.com.example.notes";
const API_TOKEN: &str = "notes-example-api-token";
const USER: &str = "alice";
const SCHEMA: &str = include_str!("../schema/notes.ckdb");

/// Which database the story can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// A signed-in user: a custom zone in the private database, change feeds.
    Private,
    /// Server-to-server key (or an API token without a user): the public database only.
    Public,
}

/// A client ready to use, and the emulator it talks to when there is one in this process.
pub struct Target {
    /// The client.
    pub client: Client,
    /// The private or public flow.
    pub flow: Flow,
    /// Kept alive for the run; shut down at the end.
    pub emulator: Option<Emulator>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Picks the target from the environment and says which it picked.
pub async fn select() -> Result<Target, AppError> {
    let has_key = var("CLOUDKIT_KEY_ID").is_some() || var("CLOUDKIT_PRIVATE_KEY_FILE").is_some();
    let has_token = var("CLOUDKIT_API_TOKEN").is_some();
    if !has_key && !has_token {
        if var("CLOUDKIT_BASE_URL").is_some() || var("CLOUDKIT_CONTAINER").is_some() {
            return Err(AppError::Setup(
                "CLOUDKIT_BASE_URL / CLOUDKIT_CONTAINER are set but no credentials: set \
                 CLOUDKIT_KEY_ID + CLOUDKIT_PRIVATE_KEY_FILE, or CLOUDKIT_API_TOKEN \
                 (+ CLOUDKIT_WEB_AUTH_TOKEN), or unset them to use the built-in emulator"
                    .into(),
            ));
        }
        return in_process().await;
    }
    let client = Client::from_env()?;
    let flow = if has_token && var("CLOUDKIT_WEB_AUTH_TOKEN").is_some() {
        Flow::Private
    } else {
        Flow::Public
    };
    let place = if client.base_url() == cloudkit_runtime::client::DEFAULT_BASE_URL {
        "iCloud".to_owned()
    } else {
        client.base_url().to_owned()
    };
    println!(
        "Using {place}: container {}, {} environment (from CLOUDKIT_* variables).",
        client.container(),
        client.environment().as_str()
    );
    if flow == Flow::Public {
        println!(
            "No signed-in user (server-to-server key or API token alone): using the public \
             database; custom zones, change feeds and zone subscriptions are private-database \
             features and are skipped."
        );
    }
    Ok(Target {
        client,
        flow,
        emulator: None,
    })
}

async fn in_process() -> Result<Target, AppError> {
    let emulator = Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .environment(EmuEnvironment::Development)
        .api_token(API_TOKEN)
        .memory()
        .start()
        .await
        .map_err(|e| AppError::Setup(format!("could not start the emulator: {e}")))?;
    let token = emulator.sign_in(USER);
    let client = Client::builder()
        .container(CONTAINER)
        .environment(Environment::Development)
        .base_url(emulator.base_url())
        .api_token(API_TOKEN)
        .web_auth_token(token.expose())
        .build()?;
    println!(
        "No Apple credentials in the environment: started the CloudKit emulator in this \
         process at {} (memory storage, schema/notes.ckdb, development).",
        emulator.base_url()
    );
    println!("Signed in test user '{USER}'; working in the private database.");
    Ok(Target {
        client,
        flow: Flow::Private,
        emulator: Some(emulator),
    })
}
