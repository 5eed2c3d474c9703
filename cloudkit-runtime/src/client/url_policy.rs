//! Which URLs the client talks to: plain `http://` only to this machine (the emulator) unless
//! the user opts in, and redirects only within the host a request went to.
//!
//! Apple's hosts are all https; a plain-http URL to another host would send tokens, signed
//! requests and record data in the clear. The same rule covers asset upload and download URLs,
//! which come from the server.

use super::error::{ConfigError, Error};
pub(crate) use super::loopback::is_loopback;

/// Most redirects followed within one host.
const MAX_REDIRECTS: usize = 10;

/// Checks a base URL: `https://host[:port]`, or `http://` to a loopback host (any host when
/// `allow_insecure_http`).
pub(crate) fn check_base_url(base_url: &str, allow_insecure_http: bool) -> Result<(), ConfigError> {
    let url = reqwest::Url::parse(base_url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or_else(|| ConfigError::InvalidBaseUrl(base_url.to_owned()))?;
    if url.scheme() == "http" && !allow_insecure_http && !is_loopback(&url) {
        return Err(ConfigError::InsecureHttp(base_url.to_owned()));
    }
    Ok(())
}

/// Checks a URL the server handed out (asset upload and download URLs) by the same rule.
pub(crate) fn check_server_url(
    endpoint: &'static str,
    url: &str,
    allow_insecure_http: bool,
) -> Result<(), Error> {
    let parsed = reqwest::Url::parse(url).ok();
    let ok = parsed.as_ref().is_some_and(|u| match u.scheme() {
        "https" => true,
        "http" => allow_insecure_http || is_loopback(u),
        _ => false,
    });
    if ok {
        Ok(())
    } else {
        let shown = parsed.map_or_else(
            || "an unparsable URL".to_owned(),
            |u| format!("{}://{}", u.scheme(), u.host_str().unwrap_or_default()),
        );
        Err(Error::unexpected(
            endpoint,
            0,
            &format!("refused to send to {shown}: plain http is only allowed to this machine"),
            b"",
        ))
    }
}

/// Follows a redirect only to the same scheme, host and port, at most [`MAX_REDIRECTS`] times.
/// A redirect elsewhere is an error: it would carry the request (and, in API-token mode, the
/// tokens in its query string) to a host the user never named.
pub(crate) fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().first().is_some_and(|first| {
            first.scheme() == attempt.url().scheme()
                && first.host_str() == attempt.url().host_str()
                && first.port_or_known_default() == attempt.url().port_or_known_default()
        });
        if !same_origin {
            attempt.error("redirect to another host refused")
        } else if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_this_machine_unless_allowed() {
        for ok in [
            "https://api.apple-cloudkit.com",
            "http://127.0.0.1:8080",
            "http://127.3.4.5",
            "http://[::1]:9",
            "http://localhost:3000",
        ] {
            assert_eq!(check_base_url(ok, false), Ok(()), "{ok}");
        }
        for (bad, allowed) in [
            ("http://example.com", true),
            ("http://10.0.0.1:8080", true),
            ("http://127.0.0.1.example.com", true),
            ("ftp://127.0.0.1", false),
            ("127.0.0.1:8080", false),
        ] {
            assert!(check_base_url(bad, false).is_err(), "{bad}");
            assert_eq!(check_base_url(bad, true).is_ok(), allowed, "{bad}");
        }
    }
}
