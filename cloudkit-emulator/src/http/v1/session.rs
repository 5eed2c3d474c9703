//! getSessionUser (`GET …/environments/{env}/session/user`): who the tokens stand for, as
//! Web Services' `users/caller` says.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::call;
use crate::http::endpoint::Endpoint;
use crate::http::request_error::{Answer, json};
use crate::services::Services;

/// `GET /v1/database/containers/{container}/environments/{env}/session/user`.
pub async fn user(
    State(services): State<Arc<Services>>,
    Path((container, environment)): Path<(String, String)>,
    request: Request,
) -> Result<Response, Answer> {
    let (parts, body) = request.into_parts();
    let path = (container, environment, "public".to_owned());
    let admitted = call::admit(&services, &path, &parts, body, Endpoint::UsersCaller).await?;
    let caller = call::run(&admitted, Endpoint::UsersCaller, &json!({})).await?;
    let name = caller
        .get("userRecordName")
        .cloned()
        .ok_or_else(|| Answer::not_found("no user is signed in"))?;
    Ok(json(
        StatusCode::OK,
        &json!({"user": {"userRecordName": name}}),
    ))
}
