// A server-to-server key has no user: its handle has no private or shared database, and the
// message says how to get a per-user handle.
use cloudkit_runtime::client::Client;

fn main() {
    let client = Client::builder()
        .container("iCloud.com.example.notes")
        .server_to_server_key("key-id", "pem")
        .build()
        .unwrap();
    let server = client.as_server().unwrap();
    let _ = server.private_database();
}
