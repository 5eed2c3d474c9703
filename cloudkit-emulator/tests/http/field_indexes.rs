//! Just-in-time fields do not each add an index to the shared records table (issue #16,
//! item 15): the store keeps at most 32 field indexes, and fields past the cap are still
//! queryable and sortable.

use cloudkit_emulator::Emulator;
use serde_json::json;

use crate::common::{CONTAINER, Client};

fn field_indexes(path: &std::path::Path) -> usize {
    let conn = rusqlite::Connection::open(path).unwrap_or_else(|e| panic!("{e}"));
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'field%'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| usize::try_from(n).unwrap_or_default())
    .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn grown_fields_share_a_capped_set_of_indexes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("indexes.sqlite");
    let emu = Emulator::builder()
        .container(CONTAINER)
        .data_file(&path)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let alice = Client::user(&emu, "alice");
    let fields: serde_json::Map<String, serde_json::Value> = (0..200)
        .map(|i| (format!("f{i:03}"), json!({"value": format!("v{i}")})))
        .collect();
    for name in ["w1", "w2"] {
        let r = alice
            .post(
                "private",
                "records/modify",
                &json!({"operations": [{"operationType": "create", "record": {
                    "recordType": "Wide", "recordName": name, "fields": fields}}]}),
            )
            .await;
        assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    }
    // the last field is past the cap, and still sorts and filters
    let q = json!({"query": {"recordType": "Wide",
        "filterBy": [{"fieldName": "f199", "comparator": "EQUALS",
            "fieldValue": {"type": "STRING", "value": "v199"}}],
        "sortBy": [{"fieldName": "f199", "ascending": false}]}});
    let r = alice.post("private", "records/query", &q).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["records"].as_array().map(Vec::len), Some(2));
    emu.shutdown().await;
    let n = field_indexes(&path);
    assert!(n <= 32, "{n} field indexes");
}
