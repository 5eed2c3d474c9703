//! exportSchema, validateSchema, importSchema, resetToProduction and resetConfigToProduction
//! for one container of the emulator.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cloudkit_wire::management::{SchemaUpload, ValidateSchemaResponse};
use cloudkit_wire::ws::Environment;

use super::answer::{Management, environment};
use crate::http::extract;
use crate::http::request_error::{Answer, json};
use crate::ops::schema_import;

type SchemaPath = Path<(String, String, String)>;

/// `GET …/schema/export`: the schema as `.ckdb` text, as an attachment (CKTool JS reads plain
/// text only as an attachment, spec §4.3).
pub async fn export(
    State(management): State<Arc<Management>>,
    Path((team, container, env)): SchemaPath,
    headers: HeaderMap,
) -> Result<Response, Answer> {
    management.admit(&headers)?;
    let environment = environment(&env)?;
    let (development, production) = management.container(&team, &container)?;
    let shared = match environment {
        Environment::Development => development,
        Environment::Production => production,
    };
    let text = shared
        .schema
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .export();
    let mut response = Response::new(Body::from(text));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"schema.ckdb\""),
    );
    Ok(response)
}

/// The schema text of an upload, read within the development service's body limits.
async fn uploaded(
    management: &Management,
    team: &str,
    container: &str,
    request: Request,
) -> Result<String, Answer> {
    let (development, _) = management.container(team, container)?;
    let (parts, body) = request.into_parts();
    let (bytes, _held) = extract::body(
        development,
        &parts,
        body,
        development.max_request_bytes,
        "schema upload",
    )
    .await?;
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    SchemaUpload::file_text(content_type, &bytes).map_err(|e| Answer::bad_request(e.to_string()))
}

/// `POST …/schema/validate`: 200 with whether the file could be imported, and why not.
pub async fn validate(
    State(management): State<Arc<Management>>,
    Path((team, container, env)): SchemaPath,
    request: Request,
) -> Result<Response, Answer> {
    management.admit(request.headers())?;
    environment(&env)?;
    let text = uploaded(&management, &team, &container, request).await?;
    let (development, production) = management.container(&team, &container)?;
    let (development, production) = (Arc::clone(development), Arc::clone(production));
    // Parsing and checking an upload is request-sized work: off the async threads.
    let verdict = tokio::task::spawn_blocking(move || {
        schema_import::validate(&development, &production, &text)
    })
    .await
    .map_err(|e| Answer::from(crate::error::ServerError::internal(e.to_string())))?;
    Ok(json(
        StatusCode::OK,
        &ValidateSchemaResponse {
            is_valid: verdict.is_ok(),
            error_message: verdict.err(),
        },
    ))
}

/// `PUT …/schema`: imports into development (202); production takes no import, as CloudKit
/// deploys to production only from CloudKit Console.
pub async fn import(
    State(management): State<Arc<Management>>,
    Path((team, container, env)): SchemaPath,
    request: Request,
) -> Result<Response, Answer> {
    management.admit(request.headers())?;
    if environment(&env)? == Environment::Production {
        return Err(Answer::bad_request(
            "a schema is imported into development only; production gets it when it is \
                 deployed from CloudKit Console",
        ));
    }
    let text = uploaded(&management, &team, &container, request).await?;
    let (development, production) = management.container(&team, &container)?;
    let (development, production) = (Arc::clone(development), Arc::clone(production));
    tokio::task::spawn_blocking(move || schema_import::import(&development, &production, &text))
        .await
        .map_err(|e| Answer::from(crate::error::ServerError::internal(e.to_string())))??;
    Ok(StatusCode::ACCEPTED.into_response())
}

/// `POST …/reset`: development back to production's schema, its data deleted (202).
pub async fn reset(
    State(management): State<Arc<Management>>,
    Path((team, container, env)): SchemaPath,
    headers: HeaderMap,
) -> Result<Response, Answer> {
    management.admit(&headers)?;
    if environment(&env)? == Environment::Production {
        return Err(Answer::bad_request(
            "only development can be reset to production",
        ));
    }
    let (development, production) = management.container(&team, &container)?;
    let (development, production) = (Arc::clone(development), Arc::clone(production));
    tokio::task::spawn_blocking(move || schema_import::reset(&development, &production))
        .await
        .map_err(|e| Answer::from(crate::error::ServerError::internal(e.to_string())))??;
    Ok(StatusCode::ACCEPTED.into_response())
}

/// `POST …/containerConfig/reset`: 202. The emulator keeps no container configuration beyond
/// the schema, so there is nothing to reset.
pub async fn reset_config(
    State(management): State<Arc<Management>>,
    Path((team, container)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Answer> {
    management.admit(&headers)?;
    management.container(&team, &container)?;
    Ok(StatusCode::ACCEPTED.into_response())
}
