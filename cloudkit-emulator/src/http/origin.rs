//! Who may talk to the emulator from a browser: the `Host` a request names and the `Origin`
//! of the page that sends it.
//!
//! A web page the user happens to visit can make the browser send requests to
//! `127.0.0.1:PORT`, and with DNS rebinding it can even read the answers under its own name.
//! So a request must name the emulator itself in `Host` (a loopback name or address with the
//! emulator's port, the address it was bound to, or a host allowed with
//! [`EmulatorBuilder::allowed_host`](crate::EmulatorBuilder::allowed_host)), and a request a
//! page sends (it carries `Origin`) must come from a loopback page (any port, http or https)
//! or from an origin allowed with
//! [`EmulatorBuilder::allowed_origin`](crate::EmulatorBuilder::allowed_origin). CORS reflects
//! exactly those origins; sign-in hands tokens only to them.

use std::net::IpAddr;

/// The allowed hosts and origins of one emulator.
#[derive(Debug, Clone, Default)]
pub struct WebPolicy {
    /// The port listened on.
    pub port: u16,
    /// The address bound, when it is not a loopback one (its literal names the emulator).
    pub bound: Option<IpAddr>,
    /// Extra host names (lower case, no port) that name the emulator.
    pub hosts: Vec<String>,
    /// Extra page origins (`scheme://host[:port]`, lower case) that may call it.
    pub origins: Vec<String>,
}

impl WebPolicy {
    /// The policy of an emulator listening on `addr`, with the extra `hosts` and page
    /// `origins` its builder allowed (written as users give them; unusable origins dropped).
    pub fn new(addr: std::net::SocketAddr, hosts: &[String], origins: &[String]) -> WebPolicy {
        WebPolicy {
            port: addr.port(),
            bound: (!addr.ip().is_loopback()).then_some(addr.ip()),
            hosts: hosts
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect(),
            origins: origins.iter().filter_map(|o| origin_of(o)).collect(),
        }
    }
}

/// Host names that always mean this machine.
const LOOPBACK_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// Splits `host[:port]` (IPv6 in brackets) into a lower-case host and its port, if any.
fn split_host(authority: &str) -> Option<(String, Option<u16>)> {
    let authority = authority.trim().to_ascii_lowercase();
    if authority.is_empty() || authority.contains(['@', '/', ' ', '\\']) {
        return None;
    }
    let (host, port) = match authority.rfind(':') {
        // An IPv6 literal without a port: the last colon is inside the brackets.
        Some(i) if !authority[i..].contains(']') => {
            let port = authority[i + 1..].parse::<u16>().ok()?;
            (authority[..i].to_owned(), Some(port))
        }
        _ => (authority, None),
    };
    (!host.is_empty()).then_some((host, port))
}

/// The origin (`scheme://authority`, lower case) of an absolute http(s) URL, if it is one.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.chars().any(|c| c.is_control()) {
        return None;
    }
    let (host, port) = split_host(authority)?;
    Some(match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    })
}

impl WebPolicy {
    /// Whether a `Host` header value names this emulator.
    pub fn allows_host(&self, value: &str) -> bool {
        let Some((host, port)) = split_host(value) else {
            return false;
        };
        if self.hosts.contains(&host) {
            return true;
        }
        let own_address = self.bound.is_some_and(|ip| match ip {
            IpAddr::V4(v4) => host == v4.to_string(),
            IpAddr::V6(v6) => host == format!("[{v6}]"),
        });
        (LOOPBACK_NAMES.contains(&host.as_str()) || own_address) && port.unwrap_or(80) == self.port
    }

    /// Whether a page of this origin (an `Origin` header value) may call the emulator.
    pub fn allows_origin(&self, origin: &str) -> bool {
        let Some(normalised) = origin_of(origin) else {
            return false;
        };
        if self.origins.contains(&normalised) {
            return true;
        }
        let host = normalised
            .split_once("://")
            .and_then(|(_, authority)| split_host(authority))
            .map(|(h, _)| h);
        host.is_some_and(|h| LOOPBACK_NAMES.contains(&h.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> WebPolicy {
        WebPolicy {
            port: 8080,
            bound: None,
            hosts: vec!["devbox.lan".to_owned()],
            origins: vec!["https://app.example".to_owned()],
        }
    }

    #[test]
    fn hosts_must_name_the_emulator() {
        let p = policy();
        for ok in [
            "127.0.0.1:8080",
            "LOCALHOST:8080",
            "[::1]:8080",
            "devbox.lan",
            "devbox.lan:9",
        ] {
            assert!(p.allows_host(ok), "{ok}");
        }
        for bad in [
            "127.0.0.1:8081",
            "evil.example:8080",
            "localhost",
            "",
            "a@127.0.0.1:8080",
            "[::1]",
        ] {
            assert!(!p.allows_host(bad), "{bad}");
        }
    }

    #[test]
    fn origins_are_loopback_or_configured() {
        let p = policy();
        for ok in [
            "http://localhost:3000",
            "https://127.0.0.1",
            "http://[::1]:5173",
            "https://APP.example",
        ] {
            assert!(p.allows_origin(ok), "{ok}");
        }
        for bad in [
            "null",
            "http://evil.example",
            "https://app.example:444",
            "http://localhost.evil.example",
            "file://x",
            "http://127.0.0.1@evil.example",
        ] {
            assert!(!p.allows_origin(bad), "{bad}");
        }
        assert_eq!(
            origin_of("https://App.example/cb?x=1").as_deref(),
            Some("https://app.example")
        );
        assert_eq!(origin_of("javascript:alert(1)"), None);
    }
}
