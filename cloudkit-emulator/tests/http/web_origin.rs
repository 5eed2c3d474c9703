//! Web pages cannot drive a local emulator (issue #16, item 7): requests must name the
//! emulator in `Host` (no DNS rebinding), pages of other origins are refused and never get
//! CORS, and the sign-in page needs an API token and hands tokens only to allowed origins.

use cloudkit_emulator::Emulator;

use crate::common::{API_TOKEN, CONTAINER, Client, SCHEMA};
use crate::raw;

async fn emulator() -> Emulator {
    Emulator::builder()
        .schema_source(SCHEMA)
        .container(CONTAINER)
        .api_token(API_TOKEN)
        .allowed_host("devbox.lan")
        .allowed_origin("https://app.example")
        .start()
        .await
        .unwrap_or_else(|e| panic!("emulator did not start: {e}"))
}

fn http() -> reqwest::Client {
    let _ = crate::common::http();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"))
}

async fn get(url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = http().get(url);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    request.send().await.unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn requests_must_name_the_emulator_in_host() {
    let emu = emulator().await;
    let port = emu.local_addr().port();
    let path =
        format!("/database/1/{CONTAINER}/development/public/zones/list?ckAPIToken={API_TOKEN}");
    let cases = [
        (format!("127.0.0.1:{port}"), 200),
        (format!("localhost:{port}"), 200),
        (format!("devbox.lan:{port}"), 200),
        (format!("attacker.example:{port}"), 403),
        (format!("127.0.0.1:{}", port.wrapping_add(1)), 403),
        ("".to_owned(), 403),
    ];
    for (host, status) in cases {
        let r = raw::send(
            emu.local_addr(),
            &format!("GET {path} HTTP/1.1\r\nHost: {host}"),
            b"",
        )
        .await;
        assert_eq!(r.status, status, "Host: {host}: {r:?}");
        if status == 403 {
            assert_eq!(r.json()["serverErrorCode"], "ACCESS_DENIED");
        }
    }
    // The sign-in page is guarded the same way.
    let r = raw::send(
        emu.local_addr(),
        &format!(
            "GET /signin?user=alice&ckAPIToken={API_TOKEN} HTTP/1.1\r\nHost: rebound.example:{port}"
        ),
        b"",
    )
    .await;
    assert_eq!(r.status, 403, "{r:?}");
    assert!(r.header("x-apple-cloudkit-web-auth-token").is_none());
    emu.shutdown().await;
}

#[tokio::test]
async fn cors_reflects_only_allowed_origins() {
    let emu = emulator().await;
    let url = Client::anonymous(&emu).url("public", "zones/list");
    for origin in [
        "http://localhost:3000",
        "http://127.0.0.1:8000",
        "https://app.example",
    ] {
        let r = get(&url, &[("origin", origin)]).await;
        assert_eq!(r.status().as_u16(), 200, "{origin}");
        let h = r.headers();
        assert_eq!(
            h.get("access-control-allow-origin")
                .and_then(|v| v.to_str().ok()),
            Some(origin)
        );
        assert_eq!(h.get("vary").and_then(|v| v.to_str().ok()), Some("Origin"));
        assert!(h.get("access-control-expose-headers").is_some());
    }
    for origin in [
        "https://attacker.example",
        "null",
        "http://localhost.attacker.example",
    ] {
        let r = get(&url, &[("origin", origin)]).await;
        assert_eq!(r.status().as_u16(), 403, "{origin}");
        assert!(
            r.headers().get("access-control-allow-origin").is_none(),
            "{origin}"
        );
        let preflight = http()
            .request(reqwest::Method::OPTIONS, &url)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(preflight.status().as_u16(), 403, "{origin}");
        assert!(
            preflight
                .headers()
                .get("access-control-allow-origin")
                .is_none()
        );
    }
    // A loopback page's preflight passes, with its own origin and never `*`.
    let preflight = http()
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", "http://localhost:5173")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(preflight.status().as_u16(), 204);
    assert_eq!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("http://localhost:5173")
    );
    // Requests without Origin (non-browser clients) get no CORS headers, and work.
    let r = get(&url, &[]).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers().get("access-control-allow-origin").is_none());
    emu.shutdown().await;
}

#[tokio::test]
async fn sign_in_needs_an_api_token_and_an_allowed_origin() {
    let emu = emulator().await;
    let base = emu.base_url();
    let token_header =
        |r: &reqwest::Response| r.headers().contains_key("x-apple-cloudkit-web-auth-token");

    // No or a wrong API token: nothing is issued.
    for q in [
        "user=alice",
        "user=alice&ckAPIToken=wrong",
        "",
        "user=alice&callback=http%3A%2F%2Flocalhost%3A3000%2Fcb",
    ] {
        let r = get(&format!("{base}/signin?{q}"), &[]).await;
        assert_eq!(r.status().as_u16(), 401, "{q}");
        assert!(
            !token_header(&r) && r.headers().get("location").is_none(),
            "{q}"
        );
    }
    // A callback elsewhere than loopback or an allowed origin is refused.
    for callback in [
        "https://attacker.example/cb",
        "http://127.0.0.1@attacker.example/",
        "javascript:alert(1)",
    ] {
        let q = form_urlencoded::Serializer::new(String::new())
            .append_pair("user", "alice")
            .append_pair("ckAPIToken", API_TOKEN)
            .append_pair("callback", callback)
            .finish();
        let r = get(&format!("{base}/signin?{q}"), &[]).await;
        assert_eq!(r.status().as_u16(), 403, "{callback}");
        assert!(r.headers().get("location").is_none(), "{callback}");
    }
    // Loopback and allowed callbacks get the token.
    for callback in ["http://localhost:3000/cb", "https://app.example/cb"] {
        let q = form_urlencoded::Serializer::new(String::new())
            .append_pair("user", "alice")
            .append_pair("ckAPIToken", API_TOKEN)
            .append_pair("callback", callback)
            .finish();
        let r = get(&format!("{base}/signin?{q}"), &[]).await;
        assert_eq!(r.status().as_u16(), 302, "{callback}");
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            location.starts_with(&format!("{callback}?ckWebAuthToken=")),
            "{location}"
        );
    }
    // Post-message mode: the token goes to the opener's origin by name, never to '*'.
    let url = format!("{base}/signin?user=alice&ckAPIToken={API_TOKEN}");
    let r = get(&url, &[("referer", "http://127.0.0.1:8000/app/index.html")]).await;
    assert_eq!(r.status().as_u16(), 200);
    let page = r.text().await.unwrap_or_default();
    assert!(
        page.contains("ckSession: t}, \"http://127.0.0.1:8000\")"),
        "{page}"
    );
    assert!(!page.contains("'*'") && !page.contains("\"*\""), "{page}");
    let r = get(&url, &[("referer", "https://attacker.example/phish")]).await;
    assert_eq!(r.status().as_u16(), 403);
    assert!(!token_header(&r));
    let r = get(&format!("{url}&origin=https%3A%2F%2Fattacker.example"), &[]).await;
    assert_eq!(r.status().as_u16(), 403);

    // AUTHENTICATION_REQUIRED points at a sign-in page that lets the caller in.
    let r = Client::anonymous(&emu).get("private", "zones/list").await;
    assert_eq!(r.status.as_u16(), 421);
    let redirect = r.json["redirectURL"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        redirect.contains(&format!("ckAPIToken={API_TOKEN}")),
        "{redirect}"
    );
    let page = get(&redirect, &[]).await;
    assert_eq!(page.status().as_u16(), 200);
    let text = page.text().await.unwrap_or_default();
    assert!(
        text.contains(&format!("ckAPIToken={API_TOKEN}")),
        "links carry the token: {text}"
    );
    emu.shutdown().await;
}
