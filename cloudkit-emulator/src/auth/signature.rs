//! Server-to-server request signatures (web-services spec §2.3, §10).
//!
//! The message is `date:bodyHash:subpath`, where `subpath` is the request target exactly as
//! received, query string included, and the signature is ECDSA P-256 over SHA-256 in ASN.1 DER.

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use p256::SecretKey;
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{DerSignature, VerifyingKey};
use p256::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _};
use sha2::{Digest as _, Sha256};

use crate::error::{ServerError, ServerErrorCode};

/// Header carrying the key ID.
pub const KEY_ID_HEADER: &str = "x-apple-cloudkit-request-keyid";
/// Header carrying the signed date.
pub const DATE_HEADER: &str = "x-apple-cloudkit-request-iso8601date";
/// Header carrying the base64 DER signature.
pub const SIGNATURE_HEADER: &str = "x-apple-cloudkit-request-signaturev1";

/// Why a public key could not be registered.
#[derive(Debug, thiserror::Error)]
#[error("invalid public key for key ID {key_id}: {reason}")]
pub struct KeyError {
    /// The key ID the PEM was given for.
    pub key_id: String,
    /// What was wrong with it.
    pub reason: String,
}

/// The registered server-to-server public keys, by key ID.
#[derive(Clone, Default)]
pub struct ServerKeys {
    keys: HashMap<String, VerifyingKey>,
}

impl fmt::Debug for ServerKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerKeys")
            .field("key_ids", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ServerKeys {
    /// Registers a key from a PEM: the public key (SubjectPublicKeyInfo, as `openssl ec
    /// -pubout` writes it), or the private key the client signs with (SEC1 `EC PRIVATE KEY`
    /// as `openssl ecparam -genkey` and `cloudkit key new` write it, or PKCS#8), whose public
    /// half is derived and kept; the private scalar is dropped at once.
    pub fn insert(&mut self, key_id: &str, pem: &str) -> Result<(), KeyError> {
        let key = verifying_key_from_pem(pem.trim()).map_err(|reason| KeyError {
            key_id: key_id.to_owned(),
            reason,
        })?;
        self.keys.insert(key_id.to_owned(), key);
        Ok(())
    }

    /// Whether no key is registered.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The public key of a PEM by its label. Error texts come from the decoders, which never
/// quote key material.
fn verifying_key_from_pem(pem: &str) -> Result<VerifyingKey, String> {
    let label = pem
        .lines()
        .find_map(|line| line.trim().strip_prefix("-----BEGIN "))
        .and_then(|rest| rest.strip_suffix("-----"));
    match label {
        Some("PUBLIC KEY") => VerifyingKey::from_public_key_pem(pem).map_err(|e| e.to_string()),
        Some("EC PRIVATE KEY") => SecretKey::from_sec1_pem(pem)
            .map(|secret| VerifyingKey::from(secret.public_key()))
            .map_err(|e| format!("not a P-256 EC private key: {e}")),
        Some("PRIVATE KEY") => SecretKey::from_pkcs8_pem(pem)
            .map(|secret| VerifyingKey::from(secret.public_key()))
            .map_err(|e| format!("not a P-256 PKCS#8 private key: {e}")),
        Some(other) => Err(format!(
            "a PEM labelled `{other}`; expected `PUBLIC KEY`, `EC PRIVATE KEY` or `PRIVATE KEY`"
        )),
        None => Err("not a PEM file (no `-----BEGIN ...-----` line)".to_owned()),
    }
}

/// The three signature headers and what they cover.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    /// `X-Apple-CloudKit-Request-KeyID`.
    pub key_id: &'a str,
    /// `X-Apple-CloudKit-Request-ISO8601Date`, verbatim.
    pub date: &'a str,
    /// `X-Apple-CloudKit-Request-SignatureV1`.
    pub signature: &'a str,
    /// The exact body bytes.
    pub body: &'a [u8],
    /// The request target as received: path plus `?query` when there is one.
    pub target: &'a str,
}

/// base64 of the raw SHA-256 digest of `body`.
pub fn body_hash(body: &[u8]) -> String {
    STANDARD.encode(Sha256::digest(body))
}

/// The string that is signed.
pub fn message(date: &str, body: &[u8], target: &str) -> String {
    format!("{date}:{}:{target}", body_hash(body))
}

fn failed(detail: &str) -> ServerError {
    tracing::debug!(detail, "server-to-server authentication failed");
    ServerError::new(
        ServerErrorCode::AuthenticationFailed,
        "Authentication failed",
    )
}

impl ServerKeys {
    /// The checks that need no body: the key is known and the date is ISO 8601 within
    /// `window` of `now`. Returns the key to verify the signature with.
    pub fn check_headers(
        &self,
        key_id: &str,
        date: &str,
        now: SystemTime,
        window: Duration,
    ) -> Result<&VerifyingKey, ServerError> {
        let key = self
            .keys
            .get(key_id)
            .ok_or_else(|| failed("unknown key ID"))?;
        let date =
            time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339)
                .map_err(|_| failed("date is not ISO 8601"))?;
        let signed_at = SystemTime::from(date);
        let skew = match now.duration_since(signed_at) {
            Ok(d) => d,
            Err(e) => e.duration(),
        };
        if skew > window {
            return Err(failed("date outside the accepted window"));
        }
        Ok(key)
    }

    /// Checks a signed request at time `now`, allowing `window` of clock skew either way.
    /// Returns the key ID on success; every failure is `AUTHENTICATION_FAILED` (401).
    pub fn verify(
        &self,
        request: &SignedRequest<'_>,
        now: SystemTime,
        window: Duration,
    ) -> Result<String, ServerError> {
        let key = self.check_headers(request.key_id, request.date, now, window)?;
        let der = STANDARD
            .decode(request.signature.trim())
            .map_err(|_| failed("signature is not base64"))?;
        let signature =
            DerSignature::from_bytes(&der).map_err(|_| failed("signature is not ASN.1 DER"))?;
        let message = message(request.date, request.body, request.target);
        key.verify(message.as_bytes(), &signature)
            .map_err(|_| failed("signature does not verify"))?;
        Ok(request.key_id.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_key_pem_registers_its_public_half() {
        use p256::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _, LineEnding};
        let secret = SecretKey::from_slice(&[7u8; 32]).expect("a valid scalar");
        let public_pem = secret
            .public_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("encodes");
        let sec1 = secret.to_sec1_pem(LineEnding::LF).expect("encodes");
        let pkcs8 = secret.to_pkcs8_pem(LineEnding::LF).expect("encodes");
        let mut keys = ServerKeys::default();
        keys.insert("public", &public_pem).expect("public PEM");
        keys.insert("sec1", &sec1).expect("SEC1 private PEM");
        keys.insert("pkcs8", &pkcs8).expect("PKCS#8 private PEM");
        assert_eq!(keys.keys["sec1"], keys.keys["public"]);
        assert_eq!(keys.keys["pkcs8"], keys.keys["public"]);

        let err = keys
            .insert(
                "cert",
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
            )
            .expect_err("a certificate is not a key");
        assert!(err.reason.contains("CERTIFICATE"), "{}", err.reason);
        let err = keys.insert("junk", "hello").expect_err("not a PEM");
        assert!(err.reason.contains("not a PEM"), "{}", err.reason);
    }

    const PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEh8XdaNYl2nfrN5oeFAyMoAjWOJTB
X4ay9lYv7I2fLMQ1lKbgngs3d7Swou8pgLcaYsPQvp5jlYUEW2rKXdoAYA==
-----END PUBLIC KEY-----";

    struct Case {
        date: &'static str,
        body: &'static str,
        target: &'static str,
        signature: &'static str,
    }

    const CASES: [Case; 3] = [
        // spec §2.4
        Case {
            date: "2016-01-25T22:15:43Z",
            body: r#"{"query":{"recordType":"Artist"},"resultsLimit":1}"#,
            target: "/database/1/iCloud.com.example.MyApp/development/public/records/query",
            signature: "MEUCIFiKOkF7NsfwPLB+PRhIzWPBXbREtOQt3KdqqYefJsEsAiEAsl2z6OmXzWTIAqLesP/GnHvfZKJjzCrjAevl06yN4UE=",
        },
        // spec §10, GET
        Case {
            date: "2026-11-22T02:14:04Z",
            body: "",
            target: "/database/1/iCloud.com.example.notes/development/public/users/caller?ckjsBuildVersion=2420ProjectDev22&ckjsVersion=2.6.4&clientId=af6f71bf-59fc-4154-aef2-082a170c7048",
            signature: "MEQCID32rkdBp4MYgrzM+912gnxivPGmviBoVzd8/AltT41HAiBQO6yVz8Q/xuoudMxGkQHdQjx+tVOC/n0rEn6xD4biZQ==",
        },
        // spec §10, POST
        Case {
            date: "2026-11-22T02:14:04Z",
            body: r#"{"operations":[{"operationType":"create","record":{"recordType":"Note","recordName":"n1","fields":{"title":{"value":"Hello"}}}}]}"#,
            target: "/database/1/iCloud.com.example.notes/development/public/records/modify?ckjsBuildVersion=2420ProjectDev22&ckjsVersion=2.6.4&clientId=af6f71bf-59fc-4154-aef2-082a170c7048",
            signature: "MEUCIQCTHrDVySG/aemMsZ/3gysRQdhf2dOrNvsDrAkl2CN5DwIgBf56sz984UUxekBzwFYtLIsM0AKZ5XkcmLgaMonm+dE=",
        },
    ];

    fn keys() -> ServerKeys {
        let mut keys = ServerKeys::default();
        keys.insert("k1", PUBLIC)
            .map_err(|e| e.to_string())
            .unwrap_or_else(|e| panic!("{e}"));
        keys
    }

    fn at(date: &str) -> SystemTime {
        time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339)
            .map(SystemTime::from)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn check(
        keys: &ServerKeys,
        date: &str,
        body: &[u8],
        target: &str,
        sig: &str,
        now: SystemTime,
    ) -> bool {
        let request = SignedRequest {
            key_id: "k1",
            date,
            signature: sig,
            body,
            target,
        };
        keys.verify(&request, now, Duration::from_secs(600)).is_ok()
    }

    #[test]
    fn body_hashes_match_the_spec() {
        assert_eq!(
            body_hash(b""),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        assert_eq!(
            body_hash(CASES[0].body.as_bytes()),
            "5gIsSwUxTOnYnGZ2hBgGCfOGP7zBI3Bu2rriruKwqRI="
        );
        assert_eq!(
            body_hash(CASES[2].body.as_bytes()),
            "Xk3hoqsTtzVQWlZ01vjKGiygJDWFd/AnW1RUk7SbpK0="
        );
    }

    #[test]
    fn accepts_the_spec_signatures_and_rejects_every_flipped_byte() {
        let keys = keys();
        for case in &CASES {
            let now = at(case.date);
            assert!(check(
                &keys,
                case.date,
                case.body.as_bytes(),
                case.target,
                case.signature,
                now
            ));
            // Flip each byte of the date, body and target in turn.
            for i in 0..case.date.len() {
                let mut d = case.date.as_bytes().to_vec();
                d[i] ^= 0x01;
                let d = String::from_utf8_lossy(&d).into_owned();
                assert!(
                    !check(
                        &keys,
                        &d,
                        case.body.as_bytes(),
                        case.target,
                        case.signature,
                        now
                    ),
                    "date byte {i}"
                );
            }
            for i in 0..case.body.len() {
                let mut b = case.body.as_bytes().to_vec();
                b[i] ^= 0x01;
                assert!(
                    !check(&keys, case.date, &b, case.target, case.signature, now),
                    "body byte {i}"
                );
            }
            for i in 0..case.target.len() {
                let mut t = case.target.as_bytes().to_vec();
                t[i] ^= 0x01;
                let t = String::from_utf8_lossy(&t).into_owned();
                assert!(
                    !check(
                        &keys,
                        case.date,
                        case.body.as_bytes(),
                        &t,
                        case.signature,
                        now
                    ),
                    "target byte {i}"
                );
            }
            // A signature over the bare path does not cover a target with a query string.
            if let Some((bare, _)) = case.target.split_once('?') {
                assert!(!check(
                    &keys,
                    case.date,
                    case.body.as_bytes(),
                    bare,
                    case.signature,
                    now
                ));
            }
            // Flip each byte of the decoded signature.
            let der = STANDARD.decode(case.signature).unwrap_or_default();
            for i in 0..der.len() {
                let mut s = der.clone();
                s[i] ^= 0x01;
                let s = STANDARD.encode(&s);
                assert!(
                    !check(&keys, case.date, case.body.as_bytes(), case.target, &s, now),
                    "sig byte {i}"
                );
            }
        }
    }

    #[test]
    fn rejects_stale_dates_unknown_keys_and_raw_signatures() {
        let keys = keys();
        let case = &CASES[0];
        let late = at(case.date) + Duration::from_secs(601);
        assert!(!check(
            &keys,
            case.date,
            case.body.as_bytes(),
            case.target,
            case.signature,
            late
        ));
        let early = at(case.date) - Duration::from_secs(601);
        assert!(!check(
            &keys,
            case.date,
            case.body.as_bytes(),
            case.target,
            case.signature,
            early
        ));
        let edge = at(case.date) + Duration::from_secs(600);
        assert!(check(
            &keys,
            case.date,
            case.body.as_bytes(),
            case.target,
            case.signature,
            edge
        ));
        let request = SignedRequest {
            key_id: "other",
            date: case.date,
            signature: case.signature,
            body: case.body.as_bytes(),
            target: case.target,
        };
        let err = keys
            .verify(&request, at(case.date), Duration::from_secs(600))
            .err();
        assert_eq!(
            err.map(|e| (e.code.clone(), e.http_status())),
            Some((ServerErrorCode::AuthenticationFailed, 401))
        );
        assert!(!check(
            &keys,
            case.date,
            case.body.as_bytes(),
            case.target,
            "not base64!",
            at(case.date)
        ));
        assert!(!check(
            &keys,
            case.date,
            case.body.as_bytes(),
            case.target,
            &STANDARD.encode([7u8; 64]),
            at(case.date)
        ));
    }

    #[test]
    fn refuses_a_bad_pem() {
        let mut keys = ServerKeys::default();
        assert!(
            keys.insert(
                "k",
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"
            )
            .is_err()
        );
        assert!(keys.is_empty());
    }
}
