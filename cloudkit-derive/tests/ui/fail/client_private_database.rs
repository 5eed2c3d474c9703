// A `Client`'s type does not say whether a user is signed in, so it has no private or shared
// database; `client.signed_in()?` or `client.as_user(token)?` gives a handle that has them.
use cloudkit_runtime::client::Client;

fn main() {
    let client = Client::builder()
        .container("iCloud.com.example.notes")
        .api_token("api-token")
        .web_auth_token("web-auth-token")
        .build()
        .unwrap();
    let _ = client.private_database();
    let _ = client.signed_in().unwrap().private_database();
}
