//! The byte side of assets: the pre-authorised upload URLs that `assets/upload` hands out and
//! the download URLs of saved asset fields (spec §3.8, §4.9). Neither takes CloudKit
//! credentials, as on iCloud.
//!
//! `POST /asset-upload/{id}` with the raw bytes answers `{"singleFile": {…}}`; an unknown,
//! used or expired URL is `404 NOT_FOUND`, a file over the size limit `413 QUOTA_EXCEEDED`
//! (nothing is stored). `GET /asset-download/{file}/{name}` answers the bytes.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{extract, response};
use crate::error::{ServerError, ServerErrorCode};
use crate::ids::{checksum, opaque_id};
use crate::ops::asset_value::upload_value;
use crate::state::Shared;
use crate::storage::StoredFile;

/// The upload and download routes.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/asset-upload/{id}", axum::routing::post(upload))
        .route(
            "/asset-download/{file}/{name}",
            axum::routing::get(download),
        )
}

fn unknown_upload() -> ServerError {
    ServerError::new(
        ServerErrorCode::NotFound,
        "upload URL is unknown, used or expired; request a new one with assets/upload",
    )
}

async fn upload(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    // The URL is the credential: check it before reading up to the asset limit of bytes.
    let worker = shared.clone();
    let probe = id.clone();
    let now = shared.clock.now_ms();
    let live = tokio::task::spawn_blocking(move || {
        worker.store.run_transaction(|tx| {
            Ok::<_, ServerError>(
                tx.upload(&probe)?
                    .is_some_and(|u| !u.used && u.expires_ms > now),
            )
        })
    })
    .await;
    match live {
        Ok(Ok(true)) => {}
        Ok(Ok(false)) => return unknown_upload().into_response(),
        Ok(Err(e)) => return e.into_response(),
        Err(e) => {
            return ServerError::internal(format!("upload task failed: {e}")).into_response();
        }
    }
    let limit = shared.max_asset_bytes;
    let read_limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let (parts, body) = request.into_parts();
    let (bytes, _held): (Bytes, _) =
        match extract::body(&shared, &parts, body, read_limit, "asset").await {
            Ok(b) => b,
            Err(e) => return e.into_response(),
        };
    let now = shared.clock.now_ms();
    let worker = shared.clone();
    let result = tokio::task::spawn_blocking(move || {
        worker.store.run_transaction(|tx| {
            let upload = tx
                .upload(&id)?
                .filter(|u| !u.used && u.expires_ms > now)
                .ok_or_else(unknown_upload)?;
            let file = StoredFile {
                file_id: opaque_id(),
                file_checksum: checksum(&bytes),
                size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            };
            tx.put_file(&file, &bytes)?;
            let receipt = opaque_id();
            tx.put_receipt(&receipt, &file.file_id, Some(&upload.slot))?;
            tx.use_upload(&id)?;
            Ok::<_, ServerError>(upload_value(&file, receipt))
        })
    })
    .await;
    match result {
        Ok(Ok(single_file)) => {
            let body = cloudkit_wire::ws::UploadedFile { single_file };
            response::json(
                StatusCode::OK,
                serde_json::to_vec(&body).unwrap_or_default(),
            )
        }
        Ok(Err(e)) => e.into_response(),
        Err(e) => ServerError::internal(format!("upload task failed: {e}")).into_response(),
    }
}

async fn download(
    State(shared): State<Arc<Shared>>,
    Path((file, _name)): Path<(String, String)>,
) -> Response {
    let worker = shared.clone();
    let result = tokio::task::spawn_blocking(move || {
        worker.store.run_transaction(|tx| tx.file_bytes(&file))
    })
    .await;
    match result {
        Ok(Ok(Some(bytes))) => {
            let mut response = Response::new(Body::from(bytes));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            response
        }
        Ok(Ok(None)) => {
            ServerError::new(ServerErrorCode::NotFound, "no such asset").into_response()
        }
        Ok(Err(e)) => ServerError::from(e).into_response(),
        Err(e) => ServerError::internal(format!("download task failed: {e}")).into_response(),
    }
}
