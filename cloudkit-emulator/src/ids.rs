//! Random identifiers and the checksum encoding the emulator hands out.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest as _, Sha256};

/// A request UUID, as CloudKit returns in `X-Apple-Request-UUID` and error `uuid`s.
pub fn new_uuid() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A random opaque token (receipts, upload IDs, file IDs, web courier IDs): URL-safe
/// characters only.
pub fn opaque_id() -> String {
    new_uuid().replace('-', "")
}

/// A share identifier, shaped like CloudKit's (the last path segment of an
/// `https://www.icloud.com/share/...` URL): `0` and 24 letters and digits.
pub fn new_short_guid() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let bytes: [u8; 24] = rand::random();
    std::iter::once('0')
        .chain(
            bytes
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])),
        )
        .collect()
}

/// Base64 SHA-256, the emulator's checksum encoding.
pub fn checksum(bytes: &[u8]) -> String {
    STANDARD.encode(Sha256::digest(bytes))
}
