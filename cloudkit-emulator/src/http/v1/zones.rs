//! getZones, createZone, getZone and deleteZone over the emulator's zones.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::call::{self, DatabasePath};
use super::values::zone_id_to_v1;
use crate::http::endpoint::Endpoint;
use crate::http::request_error::{Answer, json};
use crate::services::Services;

/// A Web Services zone dictionary as a v1 `Zone`.
fn zone_to_v1(zone: &Value) -> Value {
    let id = zone.get("zoneID").cloned().unwrap_or_else(|| json!({}));
    let mut out = zone_id_to_v1(&id);
    let is_default = out["zoneName"] == "_defaultZone";
    out["isDefaultZone"] = json!(is_default);
    out["atomic"] = zone.get("atomic").cloned().unwrap_or(json!(true));
    if let Some(token) = zone.get("syncToken") {
        out["changeToken"] = token.clone();
    }
    out
}

/// `GET …/zones`: every zone of the database, on one page.
pub async fn list(
    State(services): State<Arc<Services>>,
    Path(path): Path<DatabasePath>,
    request: Request,
) -> Result<Response, Answer> {
    let (parts, body) = request.into_parts();
    let admitted = call::admit(&services, &path, &parts, body, Endpoint::ZonesList).await?;
    let zones = call::run(&admitted, Endpoint::ZonesList, &json!({})).await?;
    let zones: Vec<Value> = zones["zones"]
        .as_array()
        .map(|z| z.iter().map(zone_to_v1).collect())
        .unwrap_or_default();
    Ok(json(StatusCode::OK, &json!({ "zones": zones })))
}

/// `POST …/zones`: creates the zone named in the body (201).
pub async fn create(
    State(services): State<Arc<Services>>,
    Path(path): Path<DatabasePath>,
    request: Request,
) -> Result<Response, Answer> {
    let (parts, body) = request.into_parts();
    let admitted = call::admit(&services, &path, &parts, body, Endpoint::ZonesModify).await?;
    let name = admitted.body["zoneName"]
        .as_str()
        .ok_or_else(|| Answer::bad_request("zoneName is required"))?
        .to_owned();
    let modify = json!({"operations": [{"operationType": "create", "zone": {"zoneID": {"zoneName": name}}}]});
    let answer = call::run(&admitted, Endpoint::ZonesModify, &modify).await?;
    let zone = &answer["zones"][0];
    if let Some(error) = call::item_error(zone) {
        return Err(error);
    }
    Ok(json(
        StatusCode::CREATED,
        &json!({ "zone": zone_to_v1(zone) }),
    ))
}

/// `GET …/zones/{zone}`.
pub async fn get(
    State(services): State<Arc<Services>>,
    Path((container, environment, database, zone)): Path<(String, String, String, String)>,
    request: Request,
) -> Result<Response, Answer> {
    let (parts, body) = request.into_parts();
    let path = (container, environment, database);
    let admitted = call::admit(&services, &path, &parts, body, Endpoint::ZonesLookup).await?;
    let answer = call::run(
        &admitted,
        Endpoint::ZonesLookup,
        &json!({"zones": [{"zoneName": zone}]}),
    )
    .await?;
    let found = &answer["zones"][0];
    if let Some(error) = call::item_error(found) {
        return Err(error);
    }
    Ok(json(StatusCode::OK, &json!({ "zone": zone_to_v1(found) })))
}

/// `DELETE …/zones/{zone}` (204).
pub async fn delete(
    State(services): State<Arc<Services>>,
    Path((container, environment, database, zone)): Path<(String, String, String, String)>,
    request: Request,
) -> Result<Response, Answer> {
    let (parts, body) = request.into_parts();
    let path = (container, environment, database);
    let admitted = call::admit(&services, &path, &parts, body, Endpoint::ZonesModify).await?;
    let modify = json!({"operations": [{"operationType": "delete", "zone": {"zoneID": {"zoneName": zone}}}]});
    let answer = call::run(&admitted, Endpoint::ZonesModify, &modify).await?;
    if let Some(error) = call::item_error(&answer["zones"][0]) {
        return Err(error);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
