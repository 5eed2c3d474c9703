//! Continuation markers for query paging.
//!
//! A marker holds the sort key of the last record returned (keyset paging), not an offset, so
//! records inserted or deleted between pages neither repeat nor push others out of the next
//! page. It also holds a fingerprint of the query's meaning (record type, filters with their
//! checked operands, sorts, and the zone with its defaults filled in), so that a marker is
//! refused when sent with a different query but not when the same query is spelt differently:
//! CloudKit JS's `performQuery(previousResponse)` adds `zoneID: {zoneName: "_defaultZone"}`,
//! `zoneWide: false` and `numbersAsStrings: false` to a first request that had none of them.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use cloudkit_wire::ZoneId;
use cloudkit_wire::ws::FieldValue;

use super::extract::Target;
use super::prepare::PreparedQuery;
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

/// The fingerprint of a query's meaning: what it selects and in which order, in which zone.
/// Presentation keys (`resultsLimit`, `desiredKeys`, `numbersAsStrings`) are not part of it;
/// an absent zone is the default zone, an absent owner the caller, `zoneWide` absent is false.
pub fn query_fingerprint(
    query: &PreparedQuery,
    zone: Option<&ZoneId>,
    zone_wide: bool,
    caller: Option<&str>,
) -> String {
    let target = |t: &Target| match t {
        Target::Field(at) => query.extracts.get(*at).map_or("", |x| x.name.as_str()),
        Target::System(sf) => sf.schema_name(),
    };
    let filters: Vec<_> = query
        .filters
        .iter()
        .map(|f| {
            (
                target(&f.target),
                f.comparator,
                FieldValue::new(f.value.clone()),
                f.distance,
            )
        })
        .collect();
    let sorts: Vec<_> = query
        .sorts
        .iter()
        .map(|s| {
            (
                target(&s.target),
                s.ascending,
                s.relative.as_ref().map(|l| (l.latitude, l.longitude)),
            )
        })
        .collect();
    // A zone-wide query reads every zone, so its zoneID does not change what it selects.
    let zone = (!zone_wide).then(|| {
        let name = zone.map_or(ZoneId::DEFAULT_ZONE_NAME, |z| z.zone_name.as_str());
        let owner = zone.and_then(|z| z.owner_record_name.as_deref()).or(caller);
        (name, owner)
    });
    fingerprint(&(&query.record_type, filters, sorts, zone))
}

/// A fingerprint of anything serializable.
fn fingerprint<T: Serialize>(value: &T) -> String {
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
