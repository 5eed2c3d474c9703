//! [`QueryCursor`]: where the next page of a query starts, as a string an HTTP handler can put
//! in a URL and take back.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest as _, Sha256};

/// Longest cursor text accepted from outside (a URL parameter is hostile input). CloudKit's
/// continuation markers are a few hundred characters; this leaves ample room.
pub const MAX_CURSOR_CHARS: usize = 8 * 1024;

/// Bytes of the query fingerprint at the front of a cursor.
const FINGERPRINT_BYTES: usize = 8;

/// Where the next page of one query starts: CloudKit's continuation marker plus a fingerprint
/// of the query it belongs to (database, record type, filters, sorts, zone, desired keys,
/// page size).
///
/// Its text form ([`Display`](fmt::Display), [`as_str`](Self::as_str), serde) is URL-safe
/// base64 without padding, so it goes into a query string or path as is. It is **not a
/// secret** (anyone holding it learns only where a page ends, and CloudKit checks the caller's
/// access on every page), but it is **tied to its query**: handing it to another query is
/// refused ([`Error::CursorMismatch`](super::Error::CursorMismatch)) rather than silently
/// paging something else.
///
/// ```
/// use cloudkit_runtime::client::QueryCursor;
///
/// // From a URL parameter: malformed text is an error, never a panic.
/// assert!("not a cursor!".parse::<QueryCursor>().is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct QueryCursor {
    text: String,
    fingerprint: [u8; FINGERPRINT_BYTES],
    marker: String,
}

/// Text that is not a [`QueryCursor`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a query cursor: {0}")]
pub struct InvalidCursor(&'static str);

impl QueryCursor {
    pub(crate) fn new(fingerprint: [u8; FINGERPRINT_BYTES], marker: String) -> Self {
        let mut bytes = Vec::with_capacity(FINGERPRINT_BYTES + marker.len());
        bytes.extend_from_slice(&fingerprint);
        bytes.extend_from_slice(marker.as_bytes());
        Self {
            text: URL_SAFE_NO_PAD.encode(bytes),
            fingerprint,
            marker,
        }
    }

    /// The URL-safe text form.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The continuation marker if this cursor belongs to the query with `fingerprint`.
    pub(crate) fn marker_for(&self, fingerprint: [u8; FINGERPRINT_BYTES]) -> Option<&str> {
        (self.fingerprint == fingerprint).then_some(self.marker.as_str())
    }
}

/// The fingerprint of a query: the first bytes of SHA-256 over its path and first-page body.
pub(crate) fn fingerprint(path: &str, body: &[u8]) -> [u8; FINGERPRINT_BYTES] {
    let digest = Sha256::new()
        .chain_update(path.as_bytes())
        .chain_update([0])
        .chain_update(body)
        .finalize();
    let mut out = [0; FINGERPRINT_BYTES];
    out.copy_from_slice(&digest[..FINGERPRINT_BYTES]);
    out
}

impl FromStr for QueryCursor {
    type Err = InvalidCursor;

    fn from_str(text: &str) -> Result<Self, InvalidCursor> {
        if text.len() > MAX_CURSOR_CHARS {
            return Err(InvalidCursor("too long"));
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| InvalidCursor("not URL-safe base64"))?;
        let (head, marker) = bytes
            .split_at_checked(FINGERPRINT_BYTES)
            .ok_or(InvalidCursor("too short"))?;
        let marker = std::str::from_utf8(marker).map_err(|_| InvalidCursor("not text"))?;
        if marker.is_empty() {
            return Err(InvalidCursor("no continuation marker"));
        }
        let mut fingerprint = [0; FINGERPRINT_BYTES];
        fingerprint.copy_from_slice(head);
        Ok(Self::new(fingerprint, marker.to_owned()))
    }
}

impl fmt::Display for QueryCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for QueryCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("QueryCursor").field(&self.text).finish()
    }
}

impl serde::Serialize for QueryCursor {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for QueryCursor {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_as_url_safe_text() {
        let cursor = QueryCursor::new(fingerprint("/p", b"{}"), "m+/=?&#".repeat(20));
        let text = cursor.to_string();
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{text}"
        );
        assert_eq!(text.parse::<QueryCursor>().as_ref(), Ok(&cursor));
        let json = serde_json::to_string(&cursor).unwrap_or_default();
        assert_eq!(
            serde_json::from_str::<QueryCursor>(&json).ok(),
            Some(cursor)
        );
    }

    #[test]
    fn hostile_text_is_refused() {
        let long = "A".repeat(MAX_CURSOR_CHARS + 1);
        for bad in ["", "AAAA", "!!!!", "AAAAAAAAAAA=", long.as_str()] {
            assert!(bad.parse::<QueryCursor>().is_err(), "{bad:?}");
        }
        assert!(serde_json::from_str::<QueryCursor>("\"%%%\"").is_err());
    }
}
