//! Sync tokens: opaque positions in a zone's or a database's change history.
//!
//! A zone token names its zone and the zone's incarnation, so a token cannot be used for another
//! zone, nor for a zone that was deleted and created again. Database tokens and zone tokens are
//! not interchangeable (spec §3.14).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::ServerError;

/// A decoded sync token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncToken {
    /// A position in one zone's history.
    Zone {
        /// The zone's name.
        zone_name: String,
        /// The zone's incarnation (its creation sequence number).
        epoch: i64,
        /// Changes up to and including this sequence number have been seen.
        seq: i64,
    },
    /// A position in a database's zone history.
    Database {
        /// Changes up to and including this sequence number have been seen.
        seq: i64,
    },
}

impl SyncToken {
    /// The opaque string sent to clients.
    pub fn encode(&self) -> String {
        let plain = match self {
            SyncToken::Zone {
                zone_name,
                epoch,
                seq,
            } => format!("z1\u{1f}{epoch}\u{1f}{seq}\u{1f}{zone_name}"),
            SyncToken::Database { seq } => format!("d1\u{1f}{seq}"),
        };
        URL_SAFE_NO_PAD.encode(plain)
    }

    /// Reads a token a client sent back.
    pub fn decode(token: &str) -> Result<SyncToken, ServerError> {
        let bad = || ServerError::bad_request(format!("invalid sync token `{token}`"));
        let bytes = URL_SAFE_NO_PAD.decode(token.trim()).map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        let mut parts = text.splitn(4, '\u{1f}');
        match parts.next() {
            Some("z1") => {
                let epoch = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
                let seq = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
                let zone_name = parts.next().ok_or_else(bad)?.to_owned();
                Ok(SyncToken::Zone {
                    zone_name,
                    epoch,
                    seq,
                })
            }
            Some("d1") => {
                let seq = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
                Ok(SyncToken::Database { seq })
            }
            _ => Err(bad()),
        }
    }

    /// The sequence number a zone token stands for, checked against the zone it is used on.
    pub fn zone_seq(token: &str, zone_name: &str, epoch: i64) -> Result<i64, ServerError> {
        match SyncToken::decode(token)? {
            SyncToken::Zone {
                zone_name: z,
                epoch: e,
                seq,
            } if z == zone_name && e == epoch => Ok(seq),
            SyncToken::Zone { .. } => Err(ServerError::bad_request(format!(
                "sync token does not belong to zone {zone_name} (or the zone was re-created); fetch again without a token"
            ))),
            SyncToken::Database { .. } => Err(ServerError::bad_request(
                "a database sync token was sent where a zone sync token belongs",
            )),
        }
    }

    /// The sequence number a database token stands for.
    pub fn database_seq(token: &str) -> Result<i64, ServerError> {
        match SyncToken::decode(token)? {
            SyncToken::Database { seq } => Ok(seq),
            SyncToken::Zone { .. } => Err(ServerError::bad_request(
                "a zone sync token was sent where a database sync token belongs",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_are_checked() {
        let z = SyncToken::Zone {
            zone_name: "Notes".into(),
            epoch: 3,
            seq: 42,
        };
        let text = z.encode();
        assert_eq!(SyncToken::decode(&text).ok(), Some(z));
        assert_eq!(SyncToken::zone_seq(&text, "Notes", 3).ok(), Some(42));
        assert!(SyncToken::zone_seq(&text, "Other", 3).is_err());
        assert!(SyncToken::zone_seq(&text, "Notes", 4).is_err());
        assert!(SyncToken::database_seq(&text).is_err());
        let d = SyncToken::Database { seq: 9 }.encode();
        assert_eq!(SyncToken::database_seq(&d).ok(), Some(9));
        assert!(SyncToken::zone_seq(&d, "Notes", 3).is_err());
        assert!(SyncToken::decode("!!!").is_err());
        assert!(SyncToken::decode("").is_err());
    }
}
