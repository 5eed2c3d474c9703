//! The request span (endpoint, database, attempt, status) and the retry event carry no API
//! token, web auth token or key. Alone in its binary: a scoped tracing dispatcher is
//! per-thread and callsite interest is process-wide.

#![cfg(feature = "client")]

#[path = "client/support.rs"]
mod support;

use std::sync::{Arc, Mutex};

use cloudkit_emulator::FaultSpec;
use support::{API_TOKEN, CONTAINER, emulator, fast_retries};

/// Collects every span field and event field as text.
struct Capture(Arc<Mutex<String>>);

struct Text<'a>(&'a mut String);

impl tracing::field::Visit for Text<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        if let Ok(mut text) = self.0.lock() {
            text.push_str(span.metadata().name());
            text.push(' ');
            span.record(&mut Text(&mut text));
        }
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        if let Ok(mut text) = self.0.lock() {
            values.record(&mut Text(&mut text));
        }
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        if let Ok(mut text) = self.0.lock() {
            event.record(&mut Text(&mut text));
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn spans_and_logs_carry_no_secrets() {
    let captured = Arc::new(Mutex::new(String::new()));
    let spec: FaultSpec = "try_again_later=0.5,retry_after=0".parse().expect("spec");
    let emu = emulator(Some(spec)).await;
    let web_token = emu.sign_in("erin").expose().to_owned();
    let client = cloudkit_runtime::client::Client::builder()
        .container(CONTAINER)
        .base_url(emu.base_url())
        .api_token(API_TOKEN)
        .web_auth_token(web_token.clone())
        .retry_policy(fast_retries())
        .build()
        .expect("client");
    {
        let _guard =
            tracing::dispatcher::set_default(&tracing::Dispatch::new(Capture(captured.clone())));
        for _ in 0..6 {
            client
                .signed_in()
                .expect("signed in")
                .private_database()
                .zones()
                .list()
                .await
                .expect("list");
        }
    }
    let rotated = client
        .web_auth_token()
        .map(|t| t.expose_secret().to_owned());
    let text = captured.lock().expect("log").clone();
    assert!(text.contains("cloudkit.request"), "{text}");
    assert!(text.contains("endpoint=\"zones/list\""), "{text}");
    assert!(text.contains("database=\"private\""), "{text}");
    assert!(text.contains("status=200"), "{text}");
    assert!(
        client.stats().retries > 0,
        "the fault rate makes at least one retry likely"
    );
    assert!(
        text.contains("status=503") && text.contains("attempt=2"),
        "{text}"
    );
    let mut secrets = vec![API_TOKEN.to_owned(), web_token];
    secrets.extend(rotated);
    for secret in secrets {
        assert!(!text.contains(&secret), "a secret leaked: {text}");
    }
    emu.shutdown().await;
}
