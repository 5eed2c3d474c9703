//! A v1 query (`query` with `filters` of `type`s and `sorts` with `order`, `resultsLimit`,
//! `continuationToken`, `requestedFields`) as the Web Services query that means the same.

use serde_json::{Value, json};

use super::values::field_to_ckws;
use crate::http::request_error::Answer;

/// The Web Services comparator of a v1 filter type (two negations are spelt differently).
fn comparator(kind: &str) -> &str {
    match kind {
        "LIST_NOT_CONTAINS" => "NOT_LIST_CONTAINS",
        "LIST_NOT_CONTAINS_ANY" => "NOT_LIST_CONTAINS_ANY",
        other => other,
    }
}

/// A field or system field name as the Web Services filter and sort keys take it.
fn field_key(name: &str) -> (&'static str, &str) {
    match name {
        "___recordID" => ("systemFieldName", "recordName"),
        "___createTime" => ("systemFieldName", "createdTimestamp"),
        "___modTime" => ("systemFieldName", "modifiedTimestamp"),
        "___createdBy" => ("systemFieldName", "createdUserRecordName"),
        "___modifiedBy" => ("systemFieldName", "modifiedUserRecordName"),
        other => ("fieldName", other),
    }
}

/// The Web Services `records/query` body for the v1 query body `body` in `zone`. The filters
/// may sit in `body.query` (queryRecords) or at the top with `recordType` (deletionQuery).
pub fn to_ckws(zone: &str, body: &Value) -> Result<Value, Answer> {
    let query = if body.get("query").is_some() {
        &body["query"]
    } else {
        body
    };
    let record_type = query["recordType"]
        .as_str()
        .ok_or_else(|| Answer::bad_request("recordType is required"))?;
    let mut filters = Vec::new();
    for filter in query["filters"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        let kind = filter["type"]
            .as_str()
            .ok_or_else(|| Answer::bad_request("a filter needs its type"))?;
        let value = field_to_ckws(&filter["fieldValue"])
            .map_err(Answer::bad_request)?
            .unwrap_or_else(|| json!({"value": null}));
        let (key, name) = field_key(filter["fieldName"].as_str().unwrap_or(""));
        let mut ckws = json!({"comparator": comparator(kind), key: name, "fieldValue": value});
        if let Some(km) = filter["radiusInKilometers"].as_f64() {
            ckws["distance"] = json!(km * 1000.0);
        }
        filters.push(ckws);
    }
    let mut sorts = Vec::new();
    for sort in query["sorts"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let (key, name) = field_key(sort["fieldName"].as_str().unwrap_or(""));
        let ascending = !sort["order"]
            .as_str()
            .is_some_and(|o| o.eq_ignore_ascii_case("DESC"));
        sorts.push(json!({ key: name, "ascending": ascending }));
    }
    let mut ckws = json!({
        "zoneID": {"zoneName": zone},
        "query": {"recordType": record_type, "filterBy": filters, "sortBy": sorts},
    });
    for (from, to) in [
        ("resultsLimit", "resultsLimit"),
        ("continuationToken", "continuationMarker"),
        ("requestedFields", "desiredKeys"),
    ] {
        if let Some(v) = body.get(from).filter(|v| !v.is_null()) {
            ckws[to] = v.clone();
        }
    }
    Ok(ckws)
}
