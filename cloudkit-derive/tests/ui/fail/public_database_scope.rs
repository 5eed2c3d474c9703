// The public database has no change feeds and no custom zones: the calls do not compile, and
// the message says which database has them.
use cloudkit_runtime::ZoneId;
use cloudkit_runtime::client::Client;

fn main() {
    let client = Client::builder()
        .container("iCloud.com.example.notes")
        .api_token("token")
        .build()
        .unwrap();
    let public = client.public_database();
    let _ = public.database_changes(None);
    let _ = public.zones().create(ZoneId::new("Work"));
}
