//! Schema upload (validate and import) and the validate answer (spec §4.4).

use serde::{Deserialize, Serialize};

/// The multipart boundary CKTool JS always uses. Any boundary works; this one makes our bytes
/// equal to CKTool JS's, so a server tested against one accepts the other.
pub const SCHEMA_UPLOAD_BOUNDARY: &str = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

/// A `.ckdb` text as the `multipart/form-data` body validateSchema and importSchema take: one
/// part named `file`, filename `schema.ckdb`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaUpload {
    body: Vec<u8>,
}

impl SchemaUpload {
    /// Wraps schema text in the one-part form body.
    ///
    /// Written by hand rather than with reqwest's `multipart` feature: one fixed part, and the
    /// exact bytes are part of the wire contract (snapshot-tested), including CKTool JS's
    /// quoted empty part type and the missing CRLF after the closing delimiter.
    pub fn new(schema_text: &str) -> Self {
        let mut body = Vec::with_capacity(schema_text.len() + 200);
        body.extend_from_slice(b"--");
        body.extend_from_slice(SCHEMA_UPLOAD_BOUNDARY.as_bytes());
        body.extend_from_slice(
            b"\r\nContent-Disposition: form-data; name=\"file\"; filename=\"schema.ckdb\"\r\n",
        );
        body.extend_from_slice(b"Content-Type: \"\"\r\n\r\n");
        body.extend_from_slice(schema_text.as_bytes());
        body.extend_from_slice(b"\r\n--");
        body.extend_from_slice(SCHEMA_UPLOAD_BOUNDARY.as_bytes());
        body.extend_from_slice(b"--");
        Self { body }
    }

    /// The request's `Content-Type` header value.
    pub fn content_type() -> String {
        format!("multipart/form-data; boundary={SCHEMA_UPLOAD_BOUNDARY}")
    }

    /// The body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, consumed.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The text of the `file` part of an upload body, as a server reads it: the boundary from
    /// `content_type`, the part named `file` (any filename, any or a quoted part type, as
    /// CKTool JS sends), its content up to the CRLF before the next delimiter, as UTF-8.
    pub fn file_text(content_type: &str, body: &[u8]) -> Result<String, UploadError> {
        let boundary = content_type
            .split(';')
            .map(str::trim)
            .find_map(|p| p.strip_prefix("boundary="))
            .map(|b| b.trim_matches('"'))
            .filter(|b| {
                !b.is_empty() && content_type.trim_start().starts_with("multipart/form-data")
            })
            .ok_or(UploadError::NotMultipart)?;
        let delimiter = format!("--{boundary}");
        let mut rest = body;
        loop {
            let start = find(rest, delimiter.as_bytes()).ok_or(UploadError::NoFilePart)?;
            rest = &rest[start + delimiter.len()..];
            if rest.starts_with(b"--") {
                return Err(UploadError::NoFilePart);
            }
            let rest_after_line = rest.strip_prefix(b"\r\n").unwrap_or(rest);
            let headers_end = find(rest_after_line, b"\r\n\r\n").ok_or(UploadError::NoFilePart)?;
            let headers = String::from_utf8_lossy(&rest_after_line[..headers_end]);
            let content = &rest_after_line[headers_end + 4..];
            let end_marker = format!("\r\n{delimiter}");
            let end = find(content, end_marker.as_bytes()).ok_or(UploadError::NoFilePart)?;
            let is_file = headers.lines().any(|line| {
                let lower = line.to_ascii_lowercase();
                lower.starts_with("content-disposition:") && lower.contains("name=\"file\"")
            });
            if is_file {
                return String::from_utf8(content[..end].to_vec())
                    .map_err(|_| UploadError::NotUtf8);
            }
            rest = &content[end..];
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Why an upload body holds no schema text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    /// The `Content-Type` is not `multipart/form-data` with a boundary.
    #[error("the body is not multipart/form-data with a boundary")]
    NotMultipart,
    /// No complete part named `file`.
    #[error("the form has no complete part named `file`")]
    NoFilePart,
    /// The `file` part is not UTF-8 text.
    #[error("the `file` part is not UTF-8 text")]
    NotUtf8,
}

/// The answer of validateSchema. An invalid file is a 200 with `isValid: false` and the reason
/// (inferred, spec §4.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidateSchemaResponse {
    /// Whether the file could be applied to that environment.
    pub is_valid: bool,
    /// Why not, when `is_valid` is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
}
