//! Whether the server refused a modify request for its size (it is then sent again as two
//! halves).
//!
//! CloudKit does not document which error a too-large request gets (spec §6: "unknown"). We
//! split on a whole-request refusal without a retry hint that says "too big": HTTP 413 (other
//! than `QUOTA_EXCEEDED`, which is about storage, not the request), the native framework's
//! `LIMIT_EXCEEDED`, or `BAD_REQUEST` whose reason says "too many" / "too large" (the
//! emulator's wording for more than 200 operations). Atomic batches are never split: two
//! requests cannot be all-or-nothing together.

use super::super::error::Error;
use cloudkit_wire::ws::ServerErrorCode;

/// Whether `error` is the server refusing a request for its size.
pub(crate) fn is_too_large(error: &Error) -> bool {
    match error {
        Error::Server(failure) if failure.http_status.is_some() && !failure.is_transient() => {
            let reason = failure.reason().unwrap_or_default().to_ascii_lowercase();
            match failure.code() {
                ServerErrorCode::QuotaExceeded => false,
                ServerErrorCode::Other(code) if code == "LIMIT_EXCEEDED" => true,
                ServerErrorCode::BadRequest => {
                    failure.http_status == Some(413)
                        || reason.contains("too many")
                        || reason.contains("too large")
                }
                _ => failure.http_status == Some(413),
            }
        }
        Error::UnexpectedResponse { status: 413, .. } => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::error::ServerFailure;
    use super::*;
    use cloudkit_wire::ws::ServerError as WireServerError;

    fn whole(status: u16, code: ServerErrorCode, reason: &str) -> Error {
        ServerFailure::new(
            "records/modify",
            Some(status),
            WireServerError::new(code, reason),
        )
        .into()
    }

    #[test]
    fn too_large_means_a_size_refusal_without_a_retry_hint() {
        assert!(is_too_large(&whole(
            413,
            ServerErrorCode::BadRequest,
            "body"
        )));
        assert!(is_too_large(&whole(
            400,
            ServerErrorCode::BadRequest,
            "too many operations in one request: 201, the limit is 200"
        )));
        assert!(is_too_large(&whole(
            400,
            ServerErrorCode::Other("LIMIT_EXCEEDED".into()),
            ""
        )));
        assert!(!is_too_large(&whole(
            413,
            ServerErrorCode::QuotaExceeded,
            "quota"
        )));
        assert!(!is_too_large(&whole(
            400,
            ServerErrorCode::BadRequest,
            "bad type"
        )));
        assert!(!is_too_large(&whole(
            429,
            ServerErrorCode::Throttled,
            "too many requests"
        )));
    }
}
