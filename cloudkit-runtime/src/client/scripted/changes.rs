//! Against scripted answers: see the parent module.

use futures_util::TryStreamExt as _;

use super::{client, fast_retries};
use super::{http, scripted};
use crate::client::Error;
use cloudkit_wire::ZoneId;

#[tokio::test]
async fn more_coming_with_an_unchanged_token_stops_the_feed() {
    let page = r#"{"zones":[{"zoneID":{"zoneName":"Z"},"syncToken":"s1","records":[],"moreComing":true}]}"#;
    let (url, _) = scripted(vec![http("200 OK", "", page), http("200 OK", "", page)]).await;
    let result: Result<Vec<_>, Error> = client(&url, fast_retries())
        .signed_in()
        .expect("signed in")
        .private_database()
        .zone_changes(ZoneId::new("Z"), None)
        .stream()
        .try_collect()
        .await;
    assert!(
        matches!(result, Err(Error::ContinuationStalled { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn database_feed_follows_more_coming_and_hands_out_each_token() {
    let (url, seen) = scripted(vec![
        http(
            "200 OK",
            "",
            r#"{"zones":[{"zoneID":{"zoneName":"A"}}],"syncToken":"d1","moreComing":true}"#,
        ),
        http(
            "200 OK",
            "",
            r#"{"zones":[{"zoneID":{"zoneName":"B"}}],"syncToken":"d2","moreComing":false}"#,
        ),
    ])
    .await;
    let pages: Vec<_> = client(&url, fast_retries())
        .signed_in()
        .expect("signed in")
        .private_database()
        .database_changes(Some("d0".into()))
        .stream()
        .try_collect()
        .await
        .expect("feed");
    let tokens: Vec<_> = pages.iter().map(|p| p.sync_token.clone()).collect();
    assert_eq!(tokens, [Some("d1".into()), Some("d2".into())]);
    let log = seen.lock().expect("log").clone();
    assert!(
        log[0].contains(r#""syncToken":"d0""#) && log[1].contains(r#""syncToken":"d1""#),
        "{log:?}"
    );
}
