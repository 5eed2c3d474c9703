//! One retry deadline per call: every request of a batch `send` waits within the same
//! `max_elapsed`, so a large batch under throttling gives up after that much waiting in all,
//! not that much per 200-operation request.

use std::time::Duration;

use crate::support::{CONTAINER, KEY_ID, Note, PRIVATE_KEY, emulator_with};
use cloudkit_emulator::FaultSpec;
use cloudkit_runtime::client::{Client, Environment, Error, RetryPolicy};

const RECORDS: usize = 2_000;

/// The emulator throttles half the requests with `retryAfter: 1`; requests go one at a time so
/// the seeded fault sequence is the same on every run.
#[tokio::test]
async fn a_batch_shares_one_deadline_and_gives_up_with_the_servers_retry_after() {
    let spec: FaultSpec = "throttled=0.5,retry_after=1".parse().expect("spec");
    // Seed 6 throttles requests 1, 5 and 10 and never three in a row before request 25: with a
    // deadline per request all ten would get through.
    let emu = emulator_with(Some(spec), |b| b.seed(6)).await;
    // Waits are at least the server's 1 s, so 2.5 s allows two waits in the whole call. A
    // deadline per request would allow two per request: up to 20 for these 10 requests.
    let policy = RetryPolicy::default()
        .with_max_attempts(10)
        .with_backoff(Duration::from_millis(2), Duration::from_millis(50))
        .with_max_elapsed(Duration::from_millis(2_500));
    let client = Client::builder()
        .container(CONTAINER)
        .environment(Environment::Development)
        .base_url(emu.base_url())
        .server_to_server_key(KEY_ID, PRIVATE_KEY)
        .retry_policy(policy)
        .build()
        .expect("client");
    let batch = (0..RECORDS).fold(client.public_database().modify(), |b, i| {
        b.create(&Note::new(&format!("d{i:05}"), "t", i as i64))
    });
    let error = match batch.requests_in_flight(1).send().await {
        Err(error) => error,
        Ok(report) => panic!(
            "the third throttling should pass the call's 2.5 s deadline; all {} were saved",
            report.results.len()
        ),
    };
    let stats = client.stats();

    let (completed, source) = match error {
        Error::BatchIncomplete {
            completed,
            not_completed,
            source,
        } => {
            assert_eq!(completed.len() + not_completed.len(), RECORDS);
            (completed.len(), *source)
        }
        other => (0, other),
    };
    match &source {
        Error::GaveUp { retry_after, .. } => {
            assert_eq!(*retry_after, Some(1.0), "the server's retryAfter: {source}")
        }
        other => panic!("expected GaveUp, got {other}"),
    }
    assert!(
        stats.retries <= 2,
        "at most two 1 s waits fit the call's 2.5 s: {stats:?}"
    );
    assert!(
        completed < RECORDS,
        "the call stopped before its last request"
    );
    // Nothing is sent after the request that gave up: the attempts are one per answered
    // request, one per retry and the last, refused one.
    let answered = (completed / 200) as u64;
    assert_eq!(stats.attempts, answered + stats.retries + 1, "{stats:?}");
}
