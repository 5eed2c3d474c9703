//! Server-to-server signing: ECDSA P-256 over SHA-256, DER signature, three request headers.
//!
//! The signed message is `date:bodyHash:subpath`, where `bodyHash` is the base64 of the raw
//! SHA-256 digest of the exact body bytes sent (the empty string for bodiless requests) and
//! `subpath` is the request path without scheme, host or query string.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::DecodePrivateKey as _;
use sha2::{Digest as _, Sha256};

/// Header carrying the key ID issued by CloudKit Console.
pub const KEY_ID_HEADER: &str = "X-Apple-CloudKit-Request-KeyID";
/// Header carrying the signing date (ISO 8601, whole seconds, `Z`).
pub const DATE_HEADER: &str = "X-Apple-CloudKit-Request-ISO8601Date";
/// Header carrying the base64 DER signature.
pub const SIGNATURE_HEADER: &str = "X-Apple-CloudKit-Request-SignatureV1";

/// Why a server-to-server private key could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The text is neither a SEC1 (`BEGIN EC PRIVATE KEY`) nor a PKCS#8 (`BEGIN PRIVATE KEY`)
    /// P-256 key. The key text itself is never included.
    #[error(
        "server-to-server key is not a P-256 private key in SEC1 (`BEGIN EC PRIVATE KEY`) or \
         PKCS#8 (`BEGIN PRIVATE KEY`) PEM form"
    )]
    InvalidPem,
    /// The key ID is empty.
    #[error("server-to-server key ID is empty")]
    EmptyKeyId,
}

/// A server-to-server key: the key ID from CloudKit Console and the P-256 private key.
///
/// `Debug` shows the key ID only; the private key never leaves this type except as signatures.
#[derive(Clone)]
pub struct ServerToServerKey {
    key_id: String,
    signing_key: SigningKey,
}

impl fmt::Debug for ServerToServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerToServerKey")
            .field("key_id", &self.key_id)
            .field("private_key", &"<redacted>")
            .finish()
    }
}

/// The three values a signed request carries in its headers.
#[derive(Clone, PartialEq, Eq)]
pub struct RequestSignature {
    /// Value of `X-Apple-CloudKit-Request-KeyID`.
    pub key_id: String,
    /// Value of `X-Apple-CloudKit-Request-ISO8601Date`: the exact date string that was signed.
    pub date: String,
    /// Value of `X-Apple-CloudKit-Request-SignatureV1`: standard base64 of the DER signature.
    pub signature: String,
}

impl fmt::Debug for RequestSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A signature is not a secret, but it is a replayable credential for its date window.
        f.debug_struct("RequestSignature")
            .field("key_id", &self.key_id)
            .field("date", &self.date)
            .field("signature", &"<redacted>")
            .finish()
    }
}

impl ServerToServerKey {
    /// Loads a key from PEM text: SEC1 (`openssl ecparam -genkey` output, as Apple's
    /// instructions produce) or PKCS#8.
    pub fn from_pem(key_id: impl Into<String>, pem: &str) -> Result<Self, KeyError> {
        let key_id = key_id.into();
        if key_id.trim().is_empty() {
            return Err(KeyError::EmptyKeyId);
        }
        let secret = extract_sec1(pem)
            .and_then(|block| p256::SecretKey::from_sec1_pem(&block).ok())
            .or_else(|| p256::SecretKey::from_pkcs8_pem(pem.trim()).ok())
            .ok_or(KeyError::InvalidPem)?;
        Ok(Self {
            key_id,
            signing_key: SigningKey::from(&secret),
        })
    }

    /// The key ID sent in `X-Apple-CloudKit-Request-KeyID`.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The public half, as SubjectPublicKeyInfo PEM (what CloudKit Console asks for).
    pub fn public_key_pem(&self) -> Option<String> {
        use p256::pkcs8::EncodePublicKey as _;
        self.signing_key
            .verifying_key()
            .to_public_key_pem(p256::pkcs8::LineEnding::LF)
            .ok()
    }

    /// Signs one request: `date` must be the exact string sent in
    /// `X-Apple-CloudKit-Request-ISO8601Date`, `body` the exact bytes sent (empty for GET),
    /// `subpath` the path sent (no scheme, host or query).
    pub fn sign(&self, date: &str, body: &[u8], subpath: &str) -> RequestSignature {
        let message = signing_message(date, &body_hash(body), subpath);
        let signature: Signature = self.signing_key.sign(message.as_bytes());
        RequestSignature {
            key_id: self.key_id.clone(),
            date: date.to_owned(),
            signature: STANDARD.encode(signature.to_der().as_bytes()),
        }
    }
}

/// A SEC1 PEM block may sit next to other blocks (Apple's `openssl ecparam` output can start
/// with `BEGIN EC PARAMETERS`); the decoder wants the key block alone.
fn extract_sec1(pem: &str) -> Option<String> {
    const BEGIN: &str = "-----BEGIN EC PRIVATE KEY-----";
    const END: &str = "-----END EC PRIVATE KEY-----";
    let start = pem.find(BEGIN)?;
    let rest = pem.get(start..)?;
    let end = rest.find(END)? + END.len();
    Some(format!("{}\n", rest.get(..end)?))
}

/// Standard base64 (with padding) of the raw SHA-256 digest of `body`.
pub fn body_hash(body: &[u8]) -> String {
    STANDARD.encode(Sha256::digest(body))
}

/// The string that gets signed: `date:bodyHash:subpath`, joined by single colons.
pub fn signing_message(date: &str, body_hash: &str, subpath: &str) -> String {
    format!("{date}:{body_hash}:{subpath}")
}

/// The current UTC time as CloudKit wants it: `2016-01-25T22:15:43Z`, no fractional seconds.
pub fn signing_date_now() -> String {
    signing_date(time::OffsetDateTime::now_utc())
}

/// Formats a UTC instant as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn signing_date(at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The TEST-ONLY key from the wire reference §2.4 (registered nowhere).
    pub(crate) const SPEC_KEY: &str = include_str!("../../../tests/fixtures/test_key.pem");
    const SPEC_PUB: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEh8XdaNYl2nfrN5oeFAyMoAjWOJTB
X4ay9lYv7I2fLMQ1lKbgngs3d7Swou8pgLcaYsPQvp5jlYUEW2rKXdoAYA==
-----END PUBLIC KEY-----
";
    const SPEC_BODY: &str = r#"{"query":{"recordType":"Artist"},"resultsLimit":1}"#;
    const SPEC_DATE: &str = "2016-01-25T22:15:43Z";
    const SPEC_SUBPATH: &str =
        "/database/1/iCloud.com.example.MyApp/development/public/records/query";
    const SPEC_SIGNATURE: &str = "MEUCIFiKOkF7NsfwPLB+PRhIzWPBXbREtOQt3KdqqYefJsEsAiEAsl2z6OmXzWTIAqLesP/GnHvfZKJjzCrjAevl06yN4UE=";

    fn verify(public_pem: &str, message: &str, signature_b64: &str) -> bool {
        use p256::ecdsa::VerifyingKey;
        use p256::ecdsa::signature::Verifier as _;
        use p256::pkcs8::DecodePublicKey as _;
        let Ok(key) = VerifyingKey::from_public_key_pem(public_pem) else {
            return false;
        };
        let Ok(der) = STANDARD.decode(signature_b64) else {
            return false;
        };
        let Ok(sig) = Signature::from_der(&der) else {
            return false;
        };
        key.verify(message.as_bytes(), &sig).is_ok()
    }

    #[test]
    fn spec_worked_example_body_hash_and_message() {
        assert_eq!(
            body_hash(SPEC_BODY.as_bytes()),
            "5gIsSwUxTOnYnGZ2hBgGCfOGP7zBI3Bu2rriruKwqRI="
        );
        assert_eq!(
            body_hash(b""),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        assert_eq!(
            signing_message(SPEC_DATE, &body_hash(SPEC_BODY.as_bytes()), SPEC_SUBPATH),
            "2016-01-25T22:15:43Z:5gIsSwUxTOnYnGZ2hBgGCfOGP7zBI3Bu2rriruKwqRI=:/database/1/iCloud.com.example.MyApp/development/public/records/query"
        );
    }

    #[test]
    fn spec_worked_example_signatures_verify() {
        let message = signing_message(SPEC_DATE, &body_hash(SPEC_BODY.as_bytes()), SPEC_SUBPATH);
        assert!(verify(SPEC_PUB, &message, SPEC_SIGNATURE), "spec signature");
        let key = ServerToServerKey::from_pem("kid", SPEC_KEY).expect("spec key loads");
        let ours = key.sign(SPEC_DATE, SPEC_BODY.as_bytes(), SPEC_SUBPATH);
        assert_eq!(ours.date, SPEC_DATE);
        assert_eq!(ours.key_id, "kid");
        assert!(verify(SPEC_PUB, &message, &ours.signature), "our signature");
        assert!(!verify(SPEC_PUB, &format!("{message}x"), &ours.signature));
        assert_eq!(key.public_key_pem().as_deref(), Some(SPEC_PUB));
    }

    #[test]
    fn loads_pkcs8_and_sec1_with_parameters_block() {
        use p256::pkcs8::EncodePrivateKey as _;
        let secret = p256::SecretKey::from_sec1_pem(SPEC_KEY).expect("sec1");
        let pkcs8 = secret
            .to_pkcs8_pem(p256::pkcs8::LineEnding::LF)
            .expect("pkcs8");
        let key = ServerToServerKey::from_pem("kid", &pkcs8).expect("pkcs8 loads");
        assert_eq!(key.public_key_pem().as_deref(), Some(SPEC_PUB));
        let with_params = format!(
            "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n{SPEC_KEY}"
        );
        assert!(ServerToServerKey::from_pem("kid", &with_params).is_ok());
        assert!(matches!(
            ServerToServerKey::from_pem("kid", "not a key"),
            Err(KeyError::InvalidPem)
        ));
        assert!(matches!(
            ServerToServerKey::from_pem(" ", SPEC_KEY),
            Err(KeyError::EmptyKeyId)
        ));
    }

    #[test]
    fn debug_never_shows_key_material() {
        let key = ServerToServerKey::from_pem("kid-123", SPEC_KEY).expect("key");
        let shown = format!("{key:?}");
        assert!(shown.contains("kid-123"));
        assert!(shown.contains("<redacted>"));
        assert!(!shown.contains("MHcCAQ"));
        let sig = key.sign(SPEC_DATE, b"", SPEC_SUBPATH);
        assert!(!format!("{sig:?}").contains(&sig.signature));
        let err = ServerToServerKey::from_pem(
            "kid",
            "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
        )
        .expect_err("bad key");
        assert!(!err.to_string().contains("AAAA"));
    }

    #[test]
    fn signing_date_has_whole_seconds_and_z() {
        let at = time::OffsetDateTime::from_unix_timestamp_nanos(1_453_760_143_987_000_000)
            .expect("instant");
        assert_eq!(signing_date(at), "2016-01-25T22:15:43Z");
        let now = signing_date_now();
        assert_eq!(now.len(), 20);
        assert!(now.ends_with('Z') && !now.contains('.'));
    }

    /// Our signature checked by an independent implementation: the `openssl` CLI.
    #[test]
    fn openssl_verifies_our_signature() {
        let Ok(version) = std::process::Command::new("openssl")
            .arg("version")
            .output()
        else {
            eprintln!("SKIPPED openssl_verifies_our_signature: `openssl` CLI not found on PATH");
            return;
        };
        assert!(version.status.success());
        let dir = std::env::temp_dir().join(format!("ck-s2s-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let key = ServerToServerKey::from_pem("kid", SPEC_KEY).expect("key");
        for body in [SPEC_BODY.as_bytes(), b"".as_slice()] {
            let date = signing_date_now();
            let ours = key.sign(&date, body, SPEC_SUBPATH);
            let message = signing_message(&date, &body_hash(body), SPEC_SUBPATH);
            std::fs::write(dir.join("pub.pem"), SPEC_PUB).expect("write");
            std::fs::write(dir.join("msg.txt"), &message).expect("write");
            std::fs::write(
                dir.join("sig.der"),
                STANDARD.decode(&ours.signature).expect("base64"),
            )
            .expect("write");
            let out = std::process::Command::new("openssl")
                .args([
                    "dgst",
                    "-sha256",
                    "-verify",
                    "pub.pem",
                    "-signature",
                    "sig.der",
                    "msg.txt",
                ])
                .current_dir(&dir)
                .output()
                .expect("run openssl");
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success() && stdout.contains("Verified OK"),
                "{stdout}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
