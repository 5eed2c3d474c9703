//! queryRecordChanges (`POST …/zones/{zone}/changes`) over the Web Services `records/changes`
//! feed: the same change tokens, `recordResults` of `existing` and `deleted`.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::call;
use super::values::record_to_v1;
use crate::http::endpoint::Endpoint;
use crate::http::request_error::{Answer, json};
use crate::services::Services;

/// `POST …/zones/{zone}/changes`: an empty body starts from the zone's creation.
pub async fn records(
    State(services): State<Arc<Services>>,
    Path((container, environment, database, zone)): Path<(String, String, String, String)>,
    request: Request,
) -> Result<Response, Answer> {
    let (parts, body) = request.into_parts();
    let path = (container, environment, database);
    let admitted = call::admit(&services, &path, &parts, body, Endpoint::RecordsChanges).await?;
    let mut ckws = json!({"zoneID": {"zoneName": zone}});
    for (from, to) in [
        ("changeToken", "syncToken"),
        ("resultsLimit", "resultsLimit"),
        ("requestedFields", "desiredKeys"),
    ] {
        if let Some(v) = admitted.body.get(from).filter(|v| !v.is_null()) {
            ckws[to] = v.clone();
        }
    }
    let types: Option<Vec<String>> = admitted.body["requestedRecordTypes"].as_array().map(|t| {
        t.iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    });
    let answer = call::run(&admitted, Endpoint::RecordsChanges, &ckws).await?;
    let results: Vec<Value> = answer["records"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .filter_map(|record| {
            let name = record.get("recordName").cloned().unwrap_or(Value::Null);
            if record.get("deleted") == Some(&json!(true)) {
                return Some(json!({"type": "deleted", "recordName": name}));
            }
            let wanted = types.as_ref().is_none_or(|types| {
                record["recordType"]
                    .as_str()
                    .is_some_and(|t| types.iter().any(|w| w == t))
            });
            wanted.then(
                || json!({"type": "existing", "recordName": name, "record": record_to_v1(record)}),
            )
        })
        .collect();
    let mut out = json!({
        "recordResults": results,
        "moreComing": answer.get("moreComing").cloned().unwrap_or(json!(false)),
    });
    if let Some(token) = answer.get("syncToken").filter(|t| !t.is_null()) {
        out["changeToken"] = token.clone();
    }
    Ok(json(StatusCode::OK, &out))
}
