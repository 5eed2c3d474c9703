//! `assets/upload`, the byte upload response and `assets/rereference` (§3.8–3.9).

use serde::{Deserialize, Serialize};

use super::error::ServerError;
use super::item;
use crate::asset::Asset;
use crate::zone::ZoneId;

/// One asset field to get an upload URL for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssetUploadToken {
    /// Record that will hold the asset; the server invents a name if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_name: Option<String>,
    /// Record type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_type: Option<String>,
    /// Asset (or asset list) field.
    pub field_name: String,
}

/// Body of `assets/upload`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssetUploadRequest {
    /// One per asset value (max 200).
    pub tokens: Vec<AssetUploadToken>,
    /// Zone; default zone if absent.
    #[serde(rename = "zoneID", default, skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<ZoneId>,
}

/// An upload URL for one asset field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssetUploadUrl {
    /// Record name (as sent or invented by the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_name: Option<String>,
    /// Field name.
    pub field_name: String,
    /// Pre-authorised URL to POST the bytes to (~15 minutes).
    pub url: String,
}

/// Response of `assets/upload`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AssetUploadResponse {
    /// One per requested token.
    #[serde(default, with = "item::results")]
    pub tokens: Vec<Result<AssetUploadUrl, ServerError>>,
}

/// Response of the byte upload (`POST <url>`): the asset value to save with type `ASSETID`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadedFile {
    /// The asset dictionary.
    pub single_file: Asset,
}

/// An existing asset field to reuse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssetFieldRef {
    /// Record holding the asset.
    pub record_name: String,
    /// Its asset field.
    pub field_name: String,
}

/// Body of `assets/rereference`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssetRereferenceRequest {
    /// Asset fields to reuse.
    pub assets: Vec<AssetFieldRef>,
    /// Zone of the source records.
    #[serde(rename = "zoneID", default, skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<ZoneId>,
    /// Zone of the records that will use the result (CloudKit JS only).
    #[serde(
        rename = "targetZoneID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub target_zone_id: Option<ZoneId>,
}

/// Response of `assets/rereference`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AssetRereferenceResponse {
    /// One writable asset dictionary (or error) per requested field.
    #[serde(default, with = "item::results")]
    pub assets: Vec<Result<Asset, ServerError>>,
}
