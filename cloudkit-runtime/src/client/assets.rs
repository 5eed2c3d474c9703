//! Assets (spec §3.8–3.9, §4.9): upload in two steps, download by `downloadURL`, and
//! rereference.
//!
//! [`Database::upload_asset`] asks `assets/upload` for an upload URL for one record field,
//! posts the bytes to it (no CloudKit credentials: the URL is pre-authorised) and returns the
//! `singleFile` [`Asset`] with its receipt. Put that asset in the field (`ASSETID`) of the
//! record with the same name and save the record; the receipt is only good for that record
//! and field. [`Database::download_asset`] reads the bytes of an asset read back from a record.

use std::path::Path;

use super::database::{Database, Scope};
use super::error::{Error, ServerFailure};
use super::request::PreparedRequest;
use super::transport::exchange;
use cloudkit_wire::Asset;
use cloudkit_wire::ws::{
    AssetFieldRef, AssetRereferenceRequest, AssetRereferenceResponse, AssetUploadRequest,
    AssetUploadResponse, AssetUploadToken, AssetUploadUrl, UploadedFile, ZoneId,
};

pub(crate) const UPLOAD: &str = "assets/upload";
pub(crate) const REREFERENCE: &str = "assets/rereference";
const BYTE_UPLOAD: &str = "asset upload";
const DOWNLOAD: &str = "asset download";

/// Most tokens in one `assets/upload` request (spec §6).
pub const MAX_UPLOAD_TOKENS: usize = 200;

/// The record field an asset is uploaded for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetTarget {
    /// The record type.
    pub record_type: String,
    /// The record name; `None` lets the server choose one (returned in [`UploadedAsset`]).
    pub record_name: Option<String>,
    /// The asset field.
    pub field_name: String,
    /// The zone; `None` is the default zone.
    pub zone_id: Option<ZoneId>,
}

impl AssetTarget {
    /// Field `field_name` of record `record_name` of type `record_type`, default zone.
    pub fn new(record_type: &str, record_name: &str, field_name: &str) -> Self {
        AssetTarget {
            record_type: record_type.to_owned(),
            record_name: Some(record_name.to_owned()),
            field_name: field_name.to_owned(),
            zone_id: None,
        }
    }

    /// The same field in another zone.
    pub fn in_zone(mut self, zone_id: ZoneId) -> Self {
        self.zone_id = Some(zone_id);
        self
    }
}

/// An uploaded file, ready to be saved in its record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadedAsset {
    /// The record name the receipt is bound to (the server's choice when none was given).
    pub record_name: String,
    /// The field the receipt is bound to.
    pub field_name: String,
    /// The `singleFile` dictionary: put it in the field as an `ASSETID` value.
    pub asset: Asset,
}

impl<S: Scope> Database<S> {
    /// The `assets/upload` request for these fields (at most [`MAX_UPLOAD_TOKENS`]).
    pub fn prepare_asset_upload(
        &self,
        tokens: Vec<AssetUploadToken>,
        zone_id: Option<ZoneId>,
    ) -> Result<PreparedRequest, Error> {
        if tokens.len() > MAX_UPLOAD_TOKENS {
            return Err(Error::TooManyOperations {
                count: tokens.len(),
                max: MAX_UPLOAD_TOKENS,
            });
        }
        PreparedRequest::post(
            self.path(UPLOAD),
            UPLOAD,
            S::SCOPE,
            &AssetUploadRequest { tokens, zone_id },
        )
    }

    /// Upload URLs for these fields, one result per token, in order.
    pub async fn asset_upload_urls(
        &self,
        tokens: Vec<AssetUploadToken>,
        zone_id: Option<ZoneId>,
    ) -> Result<Vec<Result<AssetUploadUrl, ServerFailure>>, Error> {
        let count = tokens.len();
        let request = self.prepare_asset_upload(tokens, zone_id)?;
        self.client
            .transport
            .call_items(&request, count, "tokens", |r: AssetUploadResponse| r.tokens)
            .await
    }

    /// Uploads `bytes` for one record field: requests the upload URL, posts the bytes, and
    /// returns the asset to save in that field.
    pub async fn upload_asset(
        &self,
        target: &AssetTarget,
        bytes: impl Into<Vec<u8>>,
    ) -> Result<UploadedAsset, Error> {
        let token = AssetUploadToken {
            record_name: target.record_name.clone(),
            record_type: Some(target.record_type.clone()),
            field_name: target.field_name.clone(),
        };
        let url = self
            .asset_upload_urls(vec![token], target.zone_id.clone())
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::unexpected(UPLOAD, 200, "no upload URL", b""))??;
        let asset = self.post_bytes(&url.url, bytes.into()).await?;
        Ok(UploadedAsset {
            record_name: url
                .record_name
                .or_else(|| target.record_name.clone())
                .unwrap_or_default(),
            field_name: url.field_name,
            asset,
        })
    }

    /// [`upload_asset`](Self::upload_asset) with the contents of a file.
    pub async fn upload_asset_file(
        &self,
        target: &AssetTarget,
        path: impl AsRef<Path>,
    ) -> Result<UploadedAsset, Error> {
        let path = path.as_ref().to_owned();
        let bytes = tokio::task::spawn_blocking(move || std::fs::read(path))
            .await
            .map_err(|e| Error::Encode {
                endpoint: BYTE_UPLOAD,
                message: format!("file read task failed: {e}"),
            })?
            .map_err(|e| Error::Encode {
                endpoint: BYTE_UPLOAD,
                message: format!("cannot read the asset file: {e}"),
            })?;
        self.upload_asset(target, bytes).await
    }

    /// Posts bytes to an upload URL from `assets/upload` and returns the `singleFile` asset.
    pub async fn post_bytes(&self, upload_url: &str, bytes: Vec<u8>) -> Result<Asset, Error> {
        let request = self
            .client
            .transport
            .http
            .post(upload_url)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(bytes);
        let (_, body) = exchange(BYTE_UPLOAD, request, |_| {}).await?;
        let uploaded: UploadedFile = serde_json::from_slice(&body)
            .map_err(|e| Error::undecodable(BYTE_UPLOAD, &e, &body))?;
        Ok(uploaded.single_file)
    }

    /// The bytes of an asset read back from a record (its `downloadURL`, with `${f}` filled
    /// with a file name). Checks the size when the asset gives one.
    pub async fn download_asset(&self, asset: &Asset) -> Result<Vec<u8>, Error> {
        let url = asset
            .download_url("asset")
            .ok_or_else(|| Error::unexpected(DOWNLOAD, 0, "the asset has no downloadURL", b""))?;
        let request = self.client.transport.http.get(url);
        let (status, body) = exchange(DOWNLOAD, request, |_| {}).await?;
        if asset
            .size
            .is_some_and(|s| usize::try_from(s).ok() != Some(body.len()))
        {
            return Err(Error::unexpected(
                DOWNLOAD,
                status,
                "downloaded size differs from the asset's size",
                b"",
            ));
        }
        Ok(body)
    }

    /// `assets/rereference`: for each existing asset field, an asset (with a fresh receipt)
    /// that can be saved in another record. One result per element, in order.
    pub async fn rereference_assets(
        &self,
        assets: Vec<AssetFieldRef>,
        zone_id: Option<ZoneId>,
        target_zone_id: Option<ZoneId>,
    ) -> Result<Vec<Result<Asset, ServerFailure>>, Error> {
        let count = assets.len();
        let request = PreparedRequest::post(
            self.path(REREFERENCE),
            REREFERENCE,
            S::SCOPE,
            &AssetRereferenceRequest {
                assets,
                zone_id,
                target_zone_id,
            },
        )?;
        self.client
            .transport
            .call_items(&request, count, "assets", |r: AssetRereferenceResponse| {
                r.assets
            })
            .await
    }
}
