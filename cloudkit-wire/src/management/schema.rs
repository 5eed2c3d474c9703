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
