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
use super::transport::{CappedBody, exchange};
use super::url_policy::check_server_url;
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
    /// returns the asset to save in that field. For files, prefer
    /// [`upload_asset_file`](Self::upload_asset_file), which streams from disk.
    pub async fn upload_asset(
        &self,
        target: &AssetTarget,
        bytes: impl Into<Vec<u8>>,
    ) -> Result<UploadedAsset, Error> {
        let bytes = bytes.into();
        let len = bytes.len() as u64;
        self.upload_asset_body(target, bytes.into(), Some(len))
            .await
    }

    /// [`upload_asset`](Self::upload_asset) with the contents of a file, streamed from disk
    /// (the file is never held in memory whole).
    pub async fn upload_asset_file(
        &self,
        target: &AssetTarget,
        path: impl AsRef<Path>,
    ) -> Result<UploadedAsset, Error> {
        let file = tokio::fs::File::open(path.as_ref())
            .await
            .map_err(|e| Error::io(BYTE_UPLOAD, e))?;
        let len = file
            .metadata()
            .await
            .map_err(|e| Error::io(BYTE_UPLOAD, e))?
            .len();
        self.upload_asset_body(target, reqwest::Body::from(file), Some(len))
            .await
    }

    async fn upload_asset_body(
        &self,
        target: &AssetTarget,
        body: reqwest::Body,
        len: Option<u64>,
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
        let asset = self.post_body(&url.url, body, len).await?;
        Ok(UploadedAsset {
            record_name: url
                .record_name
                .or_else(|| target.record_name.clone())
                .unwrap_or_default(),
            field_name: url.field_name,
            asset,
        })
    }

    /// Posts bytes to an upload URL from `assets/upload` and returns the `singleFile` asset.
    pub async fn post_bytes(&self, upload_url: &str, bytes: Vec<u8>) -> Result<Asset, Error> {
        let len = bytes.len() as u64;
        self.post_body(upload_url, bytes.into(), Some(len)).await
    }

    async fn post_body(
        &self,
        upload_url: &str,
        body: reqwest::Body,
        len: Option<u64>,
    ) -> Result<Asset, Error> {
        let transport = &self.client.transport;
        check_server_url(
            BYTE_UPLOAD,
            upload_url,
            transport.limits.allow_insecure_http,
        )?;
        let mut request = transport
            .http
            .post(upload_url)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream");
        if let Some(len) = len {
            request = request.header(reqwest::header::CONTENT_LENGTH, len);
        }
        let (_, answer) = exchange(
            BYTE_UPLOAD,
            request.body(body),
            transport.limits.response_bytes,
            |_| {},
        )
        .await?;
        let uploaded: UploadedFile = serde_json::from_slice(&answer)
            .map_err(|e| Error::undecodable(BYTE_UPLOAD, &e, &answer))?;
        Ok(uploaded.single_file)
    }

    /// The bytes of an asset read back from a record (its `downloadURL`, with `${f}` filled
    /// with a file name). Checks the size when the asset gives one. Large files are better
    /// streamed with [`download_asset_to`](Self::download_asset_to).
    pub async fn download_asset(&self, asset: &Asset) -> Result<Vec<u8>, Error> {
        let mut bytes = Vec::new();
        self.download_asset_to(asset, &mut bytes).await?;
        Ok(bytes)
    }

    /// Streams the bytes of an asset into `writer`, a chunk at a time; returns the number of
    /// bytes written. Refuses a download larger than
    /// [`ClientBuilder::max_asset_download_bytes`](super::ClientBuilder::max_asset_download_bytes)
    /// and checks the size when the asset gives one. On error, `writer` may hold part of it.
    pub async fn download_asset_to<W>(&self, asset: &Asset, writer: &mut W) -> Result<u64, Error>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt as _;
        let transport = &self.client.transport;
        let url = asset
            .download_url("asset")
            .ok_or_else(|| Error::unexpected(DOWNLOAD, 0, "the asset has no downloadURL", b""))?;
        check_server_url(DOWNLOAD, &url, transport.limits.allow_insecure_http)?;
        let mut response = transport
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| Error::transport(DOWNLOAD, e))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            // An error answer is a small JSON body: read it like any other.
            let mut body = Vec::new();
            let mut capped = CappedBody::new(DOWNLOAD, &response, transport.limits.response_bytes)?;
            while let Some(chunk) = capped.next(&mut response).await? {
                body.extend_from_slice(chunk.as_ref());
            }
            return Err(Error::from_status(DOWNLOAD, status, &body, None));
        }
        let mut capped = CappedBody::new(DOWNLOAD, &response, transport.limits.asset_bytes)?;
        while let Some(chunk) = capped.next(&mut response).await? {
            writer
                .write_all(chunk.as_ref())
                .await
                .map_err(|e| Error::io(DOWNLOAD, e))?;
        }
        writer.flush().await.map_err(|e| Error::io(DOWNLOAD, e))?;
        if asset.size.is_some_and(|s| s != capped.read()) {
            return Err(Error::unexpected(
                DOWNLOAD,
                status,
                "downloaded size differs from the asset's size",
                b"",
            ));
        }
        Ok(capped.read())
    }

    /// Streams the bytes of an asset into a new file at `path` (replacing one that exists);
    /// on error the partial file is removed. Returns the number of bytes written.
    pub async fn download_asset_to_file(
        &self,
        asset: &Asset,
        path: impl AsRef<Path>,
    ) -> Result<u64, Error> {
        let path = path.as_ref();
        let mut file = tokio::fs::File::create(path)
            .await
            .map_err(|e| Error::io(DOWNLOAD, e))?;
        let written = self.download_asset_to(asset, &mut file).await;
        drop(file);
        if written.is_err() {
            let _ = tokio::fs::remove_file(path).await;
        }
        written
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
