//! The web sign-in page over HTTP: the user list, the callback redirect, the post-message page
//! and sign-out.

use cloudkit_emulator::Emulator;

async fn emulator() -> Emulator {
    Emulator::builder()
        .container("iCloud.com.example.notes")
        .api_token("tok")
        .allowed_origin("https://app.example")
        .start()
        .await
        .unwrap_or_else(|e| panic!("emulator did not start: {e}"))
}

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"))
}

#[tokio::test]
async fn sign_in_page_redirects_posts_and_signs_out() {
    let emu = emulator().await;
    let base = emu.base_url();
    let http = http();

    let list = http
        .get(format!(
            "{base}/signin?container=iCloud.com.example.notes&ckAPIToken=tok"
        ))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(list.status().as_u16(), 200);
    let page = list.text().await.unwrap_or_default();
    assert!(page.contains("alice@example.com") && page.contains("carol@example.com"));

    let redirect = http
        .get(format!(
            "{base}/signin?user=bob&ckAPIToken=tok&callback=https%3A%2F%2Fapp.example%2Fcb"
        ))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(redirect.status().as_u16(), 302);
    let location = redirect
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        location.starts_with("https://app.example/cb?ckWebAuthToken="),
        "{location}"
    );
    let token: String =
        form_urlencoded::parse(location.split('?').nth(1).unwrap_or_default().as_bytes())
            .find(|(k, _)| k == "ckWebAuthToken")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
    let caller = |token: String| {
        let http = http.clone();
        let url = format!(
            "{base}/database/1/iCloud.com.example.notes/development/public/users/caller?ckAPIToken=tok&ckWebAuthToken={}",
            form_urlencoded::byte_serialize(token.as_bytes()).collect::<String>()
        );
        async move { http.get(url).send().await.map(|r| r.status().as_u16()) }
    };
    assert_eq!(caller(token.clone()).await.ok(), Some(200));

    // Post-message mode: the page carries the token under both names.
    let posted = http
        .get(format!(
            "{base}/signin?user=alice&ckAPIToken=tok&origin=http%3A%2F%2Flocalhost%3A3000"
        ))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        posted
            .headers()
            .contains_key("x-apple-cloudkit-web-auth-token")
    );
    let page = posted.text().await.unwrap_or_default();
    assert!(
        page.contains("{ckWebAuthToken: t, ckSession: t}, \"http://localhost:3000\")"),
        "{page}"
    );

    // Sign-out revokes; the token is then refused with 421.
    let out = http
        .get(format!(
            "{base}/signout?ckWebAuthToken={}",
            form_urlencoded::byte_serialize(token.as_bytes()).collect::<String>()
        ))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status().as_u16(), 200);
    assert_eq!(caller(token).await.ok(), Some(421));

    // Unknown test user.
    let unknown = http
        .get(format!(
            "{base}/signin?user=mallory&ckAPIToken=tok&callback=https%3A%2F%2Fapp.example"
        ))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unknown.status().as_u16(), 404);
    emu.shutdown().await;
}
