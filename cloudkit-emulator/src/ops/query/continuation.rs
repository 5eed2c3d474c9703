//! Continuation markers for query paging.
//!
//! A marker holds the sort key of the last record returned (keyset paging), not an offset, so
//! records inserted or deleted between pages neither repeat nor push others out of the next
//! page. It also holds a fingerprint of the query, so that a marker is refused when sent with a
//! different query.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::sort_key::SortKey;
use crate::error::ServerError;

/// A decoded continuation marker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    /// Fingerprint of the query it belongs to.
    #[serde(rename = "q")]
    pub fingerprint: String,
    /// Sort key of the last record returned (its sort values, then zone and record name).
    #[serde(rename = "k")]
    pub after: Vec<SortKey>,
}

/// A fingerprint of anything serializable (the query, zone and zoneWide of a request).
pub fn fingerprint<T: Serialize>(value: &T) -> String {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

impl Marker {
    /// The opaque string sent to clients.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// Reads a marker and checks it belongs to the query with `fingerprint`.
    pub fn decode(text: &str, fingerprint: &str) -> Result<Marker, ServerError> {
        let bad =
            |why: &str| ServerError::bad_request(format!("invalid continuationMarker: {why}"));
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| bad("not a marker this server issued"))?;
        let marker: Marker =
            serde_json::from_slice(&bytes).map_err(|_| bad("not a marker this server issued"))?;
        if marker.fingerprint != fingerprint {
            return Err(bad("it was issued for a different query"));
        }
        Ok(marker)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip_and_belong_to_their_query() {
        let m = Marker {
            fingerprint: fingerprint(&"q1"),
            after: vec![SortKey::Int(3), SortKey::Text("n1".into())],
        };
        let text = m.encode();
        assert_eq!(Marker::decode(&text, &fingerprint(&"q1")).ok(), Some(m));
        assert!(Marker::decode(&text, &fingerprint(&"q2")).is_err());
        assert!(Marker::decode("garbage!", &fingerprint(&"q1")).is_err());
    }
}
