//! A typed query's run keeps its record type: `all()`, `stream()` and one-call pages with a
//! URL-safe cursor, against the emulator over HTTP on 127.0.0.1.

use std::collections::BTreeSet;

use crate::support::{Note, emulator, key_client};
use cloudkit_runtime::client::{Error, QueryCursor};
use cloudkit_runtime::typed::Query;
use futures_util::TryStreamExt as _;

#[tokio::test]
async fn typed_runs_yield_their_record_type_and_page_by_cursor() {
    let emu = emulator(None).await;
    let db = key_client(&emu).public_database();
    for n in 0..5 {
        db.save(&Note::new(&format!("note-{n}"), "t", n))
            .await
            .expect("save");
    }
    let notes = || Query::<Note>::new();

    // No turbofish: the query says what comes back.
    let all = db.query(notes()).all().await.expect("all");
    assert_eq!(all.len(), 5);
    let mut stream = db.query(notes()).results_limit(2).stream();
    let mut streamed = 0;
    while let Some(note) = stream.try_next().await.expect("stream") {
        assert_eq!(note.title, "t");
        streamed += 1;
    }
    assert_eq!(streamed, 5);

    // An HTTP handler's paging: the cursor goes out as text and comes back parsed.
    let mut seen = BTreeSet::new();
    let mut page = db
        .query(notes())
        .results_limit(2)
        .first_page()
        .await
        .expect("first page");
    let mut pages = 1;
    while let Some(cursor) = page.next.take() {
        for note in &page.records {
            seen.insert(note.name.clone());
        }
        let text = cursor.to_string();
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        let back: QueryCursor = text.parse().expect("own cursor parses");
        page = db
            .query(notes())
            .results_limit(2)
            .page(&back)
            .await
            .expect("next page");
        pages += 1;
        assert!(pages <= 3, "5 records in pages of 2");
    }
    for note in &page.records {
        seen.insert(note.name.clone());
    }
    assert_eq!((pages, seen.len()), (3, 5));

    // A cursor belongs to its query: another page size (or filter, zone, database) refuses it.
    let first = db
        .query(notes())
        .results_limit(2)
        .first_page()
        .await
        .expect("first page");
    let cursor = first.next.expect("more pages");
    let err = db
        .query(notes())
        .results_limit(3)
        .page(&cursor)
        .await
        .expect_err("another query");
    assert!(matches!(err, Error::CursorMismatch), "{err}");
    assert!("%%not-base64".parse::<QueryCursor>().is_err());
    emu.shutdown().await;
}
