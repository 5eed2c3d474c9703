//! Against scripted answers: see the parent module.

use futures_util::TryStreamExt as _;

use super::{client, fast_retries};
use super::{http, scripted};
use crate::client::Error;
use cloudkit_wire::ws::Query;

#[tokio::test]
async fn a_repeated_continuation_marker_stops_the_stream() {
    let page = r#"{"records":[{"recordName":"a","recordType":"Thing"}],"continuationMarker":"m1"}"#;
    let (url, seen) = scripted(vec![
        http("200 OK", "", page),
        http("200 OK", "", page),
        http("200 OK", "", page),
    ])
    .await;
    let result: Result<Vec<_>, Error> = client(&url, fast_retries())
        .public_database()
        .query(Query::new("Thing"))
        .pages()
        .try_collect()
        .await;
    assert!(
        matches!(result, Err(Error::ContinuationStalled { .. })),
        "{result:?}"
    );
    assert_eq!(
        seen.lock().expect("log").len(),
        2,
        "stopped at the first repeat"
    );
}
