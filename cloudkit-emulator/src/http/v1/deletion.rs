//! deleteRecordsByQuery (`POST …/zones/{zone}/deletionQuery`): one page of the query (at most
//! `resultsLimit`, 200 by default), each record deleted unconditionally, with a
//! `continuationToken` while more match; `dryRun` counts what would go and deletes nothing.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::{call, query};
use crate::http::endpoint::Endpoint;
use crate::http::request_error::{Answer, json};
use crate::services::Services;

/// `POST …/zones/{zone}/deletionQuery`.
pub async fn delete_by_query(
    State(services): State<Arc<Services>>,
    Path((container, environment, database, zone)): Path<(String, String, String, String)>,
    request: Request,
) -> Result<Response, Answer> {
    let (parts, body) = request.into_parts();
    let path = (container, environment, database);
    let admitted = call::admit(&services, &path, &parts, body, Endpoint::RecordsModify).await?;
    let dry_run = admitted.body["dryRun"].as_bool() == Some(true);
    let mut ckws = query::to_ckws(&zone, &admitted.body)?;
    ckws["desiredKeys"] = json!([]);
    let page = call::run(&admitted, Endpoint::RecordsQuery, &ckws).await?;
    let names: Vec<Value> = page["records"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|r| r.get("recordName").cloned())
                .collect()
        })
        .unwrap_or_default();
    let (mut deleted, mut errors) = (0_usize, Vec::new());
    if dry_run {
        deleted = names.len();
    } else if !names.is_empty() {
        let operations: Vec<Value> = names
            .iter()
            .map(|n| json!({"operationType": "forceDelete", "record": {"recordName": n}}))
            .collect();
        let answer = call::run(
            &admitted,
            Endpoint::RecordsModify,
            &json!({"zoneID": {"zoneName": zone}, "operations": operations, "atomic": false}),
        )
        .await?;
        for (name, item) in names.iter().zip(
            answer["records"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[]),
        ) {
            match item.get("serverErrorCode") {
                Some(code) => errors.push(json!({
                    "id": name,
                    "code": code,
                    "message": item.get("reason").cloned().unwrap_or_else(|| code.clone()),
                })),
                None => deleted += 1,
            }
        }
    }
    let mut out = json!({"deletedCount": deleted, "errors": errors});
    if let Some(marker) = page.get("continuationMarker").filter(|m| !m.is_null()) {
        out["continuationToken"] = marker.clone();
    }
    Ok(json(StatusCode::OK, &out))
}
