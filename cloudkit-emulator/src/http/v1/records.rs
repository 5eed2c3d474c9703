//! createRecord, getRecord, updateRecord, deleteRecord, lookupRecords and queryRecords over
//! the emulator's records: each request becomes the Web Services request that means the same,
//! and its answer is turned back into v1 shapes.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::call::{self, Admitted};
use super::query;
use super::values::{fields_to_ckws, record_to_v1};
use crate::http::endpoint::Endpoint;
use crate::http::extract;
use crate::http::request_error::{Answer, json};
use crate::services::Services;

/// The path down to a zone: container, environment, database, zone.
type ZonePath = Path<(String, String, String, String)>;
/// The path down to a record: container, environment, database, zone, record name.
type RecordPath = Path<(String, String, String, String, String)>;

/// `requestedFields=a,b` from the query string (CKTool JS joins a list with commas).
fn requested_fields(parts: &axum::http::request::Parts) -> Option<Vec<String>> {
    extract::query_pairs(parts)
        .into_iter()
        .find(|(k, _)| k == "requestedFields")
        .map(|(_, v)| {
            v.split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
}

/// One record operation in `zone`; its saved record, or its error.
async fn modify_one(admitted: &Admitted, zone: &str, operation: Value) -> Result<Value, Answer> {
    let request = json!({"zoneID": {"zoneName": zone}, "operations": [operation]});
    let answer = call::run(admitted, Endpoint::RecordsModify, &request).await?;
    let record = answer["records"][0].clone();
    match call::item_error(&record) {
        Some(error) => Err(error),
        None => Ok(record),
    }
}

/// The record dictionary of a create or update body.
fn record_of(body: &Value, name: Option<&str>) -> Result<Value, Answer> {
    let mut record = Map::new();
    if let Some(name) = name.or_else(|| body["recordName"].as_str()) {
        record.insert("recordName".to_owned(), json!(name));
    }
    if let Some(record_type) = body["recordType"].as_str() {
        record.insert("recordType".to_owned(), json!(record_type));
    }
    if let Some(tag) = body["recordChangeTag"].as_str() {
        record.insert("recordChangeTag".to_owned(), json!(tag));
    }
    record.insert(
        "fields".to_owned(),
        fields_to_ckws(body.get("fields")).map_err(Answer::bad_request)?,
    );
    Ok(Value::Object(record))
}

/// `POST …/zones/{zone}/records` (201).
pub async fn create(
    State(services): State<Arc<Services>>,
    Path((container, environment, database, zone)): ZonePath,
    request: Request,
) -> Result<Response, Answer> {
    let (parts, body) = request.into_parts();
    let path = (container, environment, database);
    let admitted = call::admit(&services, &path, &parts, body, Endpoint::RecordsModify).await?;
    let record = record_of(&admitted.body, None)?;
    let saved = modify_one(
        &admitted,
        &zone,
        json!({"operationType": "create", "record": record}),
    )
    .await?;
    Ok(json(
        StatusCode::CREATED,
        &json!({ "record": record_to_v1(&saved) }),
    ))
}

/// `GET …/zones/{zone}/records/{name}`.
pub async fn get(
    State(services): State<Arc<Services>>,
    Path((container, environment, database, zone, name)): RecordPath,
    request: Request,
) -> Result<Response, Answer> {
    let (parts, body) = request.into_parts();
    let fields = requested_fields(&parts);
    let path = (container, environment, database);
    let admitted = call::admit(&services, &path, &parts, body, Endpoint::RecordsLookup).await?;
    let mut lookup = json!({"zoneID": {"zoneName": zone}, "records": [{"recordName": name}]});
    if let Some(fields) = fields {
        lookup["desiredKeys"] = json!(fields);
    }
    let answer = call::run(&admitted, Endpoint::RecordsLookup, &lookup).await?;
    let record = &answer["records"][0];
    if let Some(error) = call::item_error(record) {
        return Err(error);
    }
    Ok(json(
        StatusCode::OK,
        &json!({ "record": record_to_v1(record) }),
    ))
}

/// `PUT …/zones/{zone}/records/{name}[?force=true]`: with the change tag unless forced.
pub async fn update(
    State(services): State<Arc<Services>>,
    Path((container, environment, database, zone, name)): RecordPath,
    request: Request,
) -> Result<Response, Answer> {
    let (parts, body) = request.into_parts();
    let force = extract::query_pairs(&parts)
        .iter()
        .any(|(k, v)| k == "force" && v == "true");
    let path = (container, environment, database);
    let admitted = call::admit(&services, &path, &parts, body, Endpoint::RecordsModify).await?;
    let record = record_of(&admitted.body, Some(&name))?;
    let kind = if force { "forceUpdate" } else { "update" };
    let saved = modify_one(
        &admitted,
        &zone,
        json!({"operationType": kind, "record": record}),
    )
    .await?;
    Ok(json(
        StatusCode::OK,
        &json!({ "record": record_to_v1(&saved) }),
    ))
}

/// `DELETE …/zones/{zone}/records/{name}` (204): no change tag in this API, so unconditional.
pub async fn delete(
    State(services): State<Arc<Services>>,
    Path((container, environment, database, zone, name)): RecordPath,
    request: Request,
) -> Result<Response, Answer> {
    let (parts, body) = request.into_parts();
    let path = (container, environment, database);
    let admitted = call::admit(&services, &path, &parts, body, Endpoint::RecordsModify).await?;
    modify_one(
        &admitted,
        &zone,
        json!({"operationType": "forceDelete", "record": {"recordName": name}}),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST …/zones/{zone}/records/lookup`: a `recordResults` entry per name, in order.
pub async fn lookup(
    State(services): State<Arc<Services>>,
    Path((container, environment, database, zone)): ZonePath,
    request: Request,
) -> Result<Response, Answer> {
    let (parts, body) = request.into_parts();
    let path = (container, environment, database);
    let admitted = call::admit(&services, &path, &parts, body, Endpoint::RecordsLookup).await?;
    let names: Vec<Value> = admitted.body["recordNames"]
        .as_array()
        .ok_or_else(|| Answer::bad_request("recordNames is required"))?
        .iter()
        .map(|n| json!({ "recordName": n }))
        .collect();
    let mut lookup = json!({"zoneID": {"zoneName": zone}, "records": names});
    if let Some(fields) = admitted
        .body
        .get("requestedFields")
        .filter(|f| f.is_array())
    {
        lookup["desiredKeys"] = fields.clone();
    }
    let answer = call::run(&admitted, Endpoint::RecordsLookup, &lookup).await?;
    let results: Vec<Value> = answer["records"]
        .as_array()
        .map(|records| records.iter().map(record_result).collect())
        .unwrap_or_default();
    Ok(json(StatusCode::OK, &json!({ "recordResults": results })))
}

/// A lookup answer element as a v1 `RecordResult`.
fn record_result(item: &Value) -> Value {
    let name = item.get("recordName").cloned().unwrap_or(Value::Null);
    match item.get("serverErrorCode") {
        Some(code) => json!({
            "type": "error",
            "recordName": name,
            "errorCode": code,
            "message": item.get("reason").cloned().unwrap_or_else(|| code.clone()),
        }),
        None if item.get("deleted") == Some(&json!(true)) => {
            json!({"type": "deleted", "recordName": name})
        }
        None => json!({"type": "existing", "recordName": name, "record": record_to_v1(item)}),
    }
}

/// `POST …/zones/{zone}/query`: one page, `continuationToken` while more follow.
pub async fn query(
    State(services): State<Arc<Services>>,
    Path((container, environment, database, zone)): ZonePath,
    request: Request,
) -> Result<Response, Answer> {
    let (parts, body) = request.into_parts();
    let path = (container, environment, database);
    let admitted = call::admit(&services, &path, &parts, body, Endpoint::RecordsQuery).await?;
    let ckws = query::to_ckws(&zone, &admitted.body)?;
    let answer = call::run(&admitted, Endpoint::RecordsQuery, &ckws).await?;
    let records: Vec<Value> = answer["records"]
        .as_array()
        .map(|r| r.iter().map(record_to_v1).collect())
        .unwrap_or_default();
    let mut out = json!({ "records": records });
    if let Some(marker) = answer.get("continuationMarker").filter(|m| !m.is_null()) {
        out["continuationToken"] = marker.clone();
    }
    Ok(json(StatusCode::OK, &out))
}
