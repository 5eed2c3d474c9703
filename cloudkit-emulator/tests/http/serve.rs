use cloudkit_emulator::{Environment, ServeOptions, Storage, run};

use crate::common::{CONTAINER, SCHEMA};

const PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEh8XdaNYl2nfrN5oeFAyMoAjWOJTB
X4ay9lYv7I2fLMQ1lKbgngs3d7Swou8pgLcaYsPQvp5jlYUEW2rKXdoAYA==
-----END PUBLIC KEY-----
";

/// What `cloudkit serve` will call: options from flags, `run` until a shutdown signal.
#[tokio::test]
async fn serve_options_run_until_shutdown() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let schema = dir.path().join("notes.ckdb");
    let key = dir.path().join("key.pem");
    std::fs::write(&schema, SCHEMA).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&key, PUBLIC_PEM).unwrap_or_else(|e| panic!("{e}"));
    let options = ServeOptions {
        schema_file: Some(schema),
        container: CONTAINER.to_owned(),
        port: 0,
        host: None,
        storage: Storage::File(dir.path().join("data.sqlite")),
        environment: Environment::Production,
        api_tokens: vec!["secret-token".to_owned()],
        server_keys: vec![("key-1".to_owned(), key)],
        faults: Some("throttled=0".to_owned()),
        seed: 3,
        ..ServeOptions::default()
    };
    let shown = format!("{options:?}");
    assert!(!shown.contains("secret-token"), "{shown}");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (ready, url) = tokio::sync::oneshot::channel::<String>();
    let server = tokio::spawn(run(
        options,
        move |base| {
            let _ = ready.send(base.to_owned());
        },
        async move {
            let _ = stopped.await;
        },
    ));
    let base = url.await.unwrap_or_else(|e| panic!("{e}"));
    let target = format!(
        "{base}/database/1/{CONTAINER}/production/public/users/caller?ckAPIToken=secret-token"
    );
    let response = reqwest::get(&target)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), 421);
    let _ = stop.send(());
    let result = server.await.unwrap_or_else(|e| panic!("{e}"));
    assert!(result.is_ok());
    assert!(
        reqwest::get(&target).await.is_err(),
        "the server has stopped"
    );

    let bad = ServeOptions {
        faults: Some("explode=1".to_owned()),
        ..ServeOptions::default()
    };
    assert!(bad.builder().is_err());
}
