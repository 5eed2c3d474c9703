//! SQLite's `json_extract` away from the store: subscription matching reads a written record's
//! fields exactly as queries read them, but after the write's transaction, without the store
//! lock. Each thread keeps its own in-memory connection, which holds no data and is only ever
//! used to evaluate `json_extract`, so threads never wait on one another for it.

use std::cell::RefCell;

use rusqlite::{Connection, params};

use super::error::StorageError;

thread_local! {
    static EVALUATOR: RefCell<Option<Connection>> = const { RefCell::new(None) };
}

/// What SQLite's `json_extract` finds at `path` in a record's fields text (the same extraction
/// queries use), evaluated without the store.
pub fn extract_detached(fields: &str, path: &str) -> Result<rusqlite::types::Value, StorageError> {
    EVALUATOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let conn = match &mut *slot {
            Some(conn) => conn,
            empty => empty.insert(Connection::open_in_memory()?),
        };
        let mut stmt = conn.prepare_cached("SELECT json_extract(?1, ?2)")?;
        Ok(stmt.query_row(params![fields, path], |r| r.get(0))?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::types::Value;

    #[test]
    fn extracts_as_sqlite_does() {
        let fields = r#"{"title":{"value":"hi"},"n":{"value":3},"tags":{"value":["a"]}}"#;
        let got = |path: &str| extract_detached(fields, path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got("$.\"title\".value"), Value::Text("hi".into()));
        assert_eq!(got("$.\"n\".value"), Value::Integer(3));
        assert_eq!(got("$.\"tags\".value"), Value::Text("[\"a\"]".into()));
        assert_eq!(got("$.\"missing\".value"), Value::Null);
        assert!(extract_detached("not json", "$.a").is_err());
    }
}
