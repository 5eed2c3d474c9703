//! Record names starting with `_` are the server's own (issue #17, item 3): a client may not
//! create one, but lookups, updates and deletes of such names keep working.

use cloudkit_emulator::Environment;
use serde_json::json;

use crate::common::{Client, start};

#[tokio::test]
async fn a_client_cannot_create_a_record_named_with_an_underscore() {
    let emu = start(Environment::Development).await;
    let alice = Client::user(&emu, "alice");
    for op in ["create", "forceReplace", "forceUpdate"] {
        let r = alice
            .post(
                "private",
                "records/modify",
                &json!({"operations": [{"operationType": op, "record": {
                    "recordType": "Note", "recordName": "_mine", "fields": {}}}]}),
            )
            .await;
        assert_eq!(r.item_code("records", 0), "BAD_REQUEST", "{op}: {}", r.json);
    }
    // Looking one up or deleting one is not creating it: the answer is the usual NOT_FOUND.
    let r = alice
        .post(
            "private",
            "records/lookup",
            &json!({"records": [{"recordName": "_mine"}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "NOT_FOUND", "{}", r.json);
    let r = alice
        .post(
            "private",
            "records/modify",
            &json!({"operations": [{"operationType": "forceDelete", "record": {"recordName": "_mine"}}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "NOT_FOUND", "{}", r.json);
    // Other names are fine, also with an underscore later on.
    let r = alice
        .post(
            "private",
            "records/modify",
            &json!({"operations": [{"operationType": "create", "record": {
                "recordType": "Note", "recordName": "my_note", "fields": {}}}]}),
        )
        .await;
    assert_eq!(r.item_code("records", 0), "", "{}", r.json);
    emu.shutdown().await;
}
