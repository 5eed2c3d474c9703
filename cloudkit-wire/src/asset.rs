//! Asset values (files attached to records).

use serde::{Deserialize, Serialize};

/// An asset dictionary (`ASSETID` fields).
///
/// Reads carry `fileChecksum`, `size` and `downloadURL`; writes need the keys returned by the
/// upload step (`singleFile`) or by `assets/rereference` (`receipt`, `wrappingKey`,
/// `referenceChecksum`). An asset read from one record cannot be saved into another as is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Asset {
    /// Checksum of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_checksum: Option<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Checksum of the reference (private database writes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_checksum: Option<String>,
    /// Key wrapping the file's encryption key (private database writes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapping_key: Option<String>,
    /// Upload receipt, required when saving.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    /// Download URL template containing the placeholder `${f}`; see [`Asset::download_url`].
    #[serde(
        rename = "downloadURL",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub download_url: Option<String>,
}

impl Asset {
    /// The literal placeholder in `downloadURL` that stands for the file name.
    pub const FILE_NAME_PLACEHOLDER: &'static str = "${f}";

    /// The download URL with the `${f}` placeholder replaced by `file_name`, percent-encoded.
    pub fn download_url(&self, file_name: &str) -> Option<String> {
        let template = self.download_url.as_deref()?;
        Some(template.replace(Self::FILE_NAME_PLACEHOLDER, &percent_encode(file_name)))
    }
}

/// Encodes everything except RFC 3986 unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_the_file_name_placeholder() {
        let asset = Asset {
            download_url: Some("https://cvws.icloud-content.com/B/abc/${f}?o=1".into()),
            ..Asset::default()
        };
        assert_eq!(
            asset.download_url("my photo.jpg").as_deref(),
            Some("https://cvws.icloud-content.com/B/abc/my%20photo.jpg?o=1")
        );
        assert_eq!(Asset::default().download_url("x"), None);
    }
}
