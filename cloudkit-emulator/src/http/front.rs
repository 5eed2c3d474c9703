//! The front of an emulator serving several containers and environments: it picks the
//! service a request belongs to and hands the request to that service's router unchanged
//! (CloudKit paths) or with its `/_c/N` prefix taken off (URLs the service handed out). See
//! [`crate::services`].

use axum::Router;
use axum::extract::Request;
use axum::http::Uri;
use axum::response::Response;
use tower::ServiceExt as _;

use crate::services::Services;

/// The router over `routers` (one per service, in the order of `services`).
pub fn router(services: Services, routers: Vec<Router>) -> Router {
    let routers = std::sync::Arc::new(routers);
    Router::new().fallback(move |request: Request| {
        let services = services.clone();
        let routers = std::sync::Arc::clone(&routers);
        async move { forward(&services, &routers, request).await }
    })
}

async fn forward(services: &Services, routers: &[Router], mut request: Request) -> Response {
    let index = match prefixed(request.uri(), routers.len()) {
        Some((index, uri)) => {
            *request.uri_mut() = uri;
            index
        }
        None => by_cloudkit_path(services, request.uri().path()),
    };
    // The unknown (a container not served, any other path) goes to the first service, whose
    // answers (CloudKit's error dictionaries) are what a single-container emulator gives.
    let router = routers.get(index).or(routers.first()).cloned();
    match router {
        Some(router) => match router.oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        },
        None => Response::default(),
    }
}

/// `/_c/N/rest?query` for a service N other than the first: N and `/rest?query`.
fn prefixed(uri: &Uri, services: usize) -> Option<(usize, Uri)> {
    let rest = uri.path().strip_prefix("/_c/")?;
    let (number, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let index = number
        .parse::<usize>()
        .ok()
        .filter(|i| (1..services).contains(i))?;
    let target = match uri.query() {
        Some(query) => format!("/{tail}?{query}"),
        None => format!("/{tail}"),
    };
    target.parse::<Uri>().ok().map(|uri| (index, uri))
}

/// `/database/1/CONTAINER/ENVIRONMENT/…` and `/device/1/…`: the service they name (the first
/// when none).
fn by_cloudkit_path(services: &Services, path: &str) -> usize {
    let mut segments = path.trim_start_matches('/').split('/');
    match (
        segments.next(),
        segments.next(),
        segments.next(),
        segments.next(),
    ) {
        (Some("database" | "device"), Some(_), Some(container), Some(environment)) => {
            services.find(container, environment).unwrap_or(0)
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_name_a_service_other_than_the_first() {
        let uri: Uri = "/_c/2/asset-download/f/n?x=1".parse().unwrap_or_default();
        let (index, rest) = prefixed(&uri, 4).unwrap_or((0, Uri::default()));
        assert_eq!(index, 2);
        assert_eq!(rest.to_string(), "/asset-download/f/n?x=1");
        for path in [
            "/_c/0/x",
            "/_c/4/x",
            "/_c/abc/x",
            "/_c/",
            "/asset-download/f/n",
        ] {
            let uri: Uri = path.parse().unwrap_or_default();
            assert!(prefixed(&uri, 4).is_none(), "{path}");
        }
    }
}
