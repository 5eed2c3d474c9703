//! snake_case fields find camelCase, PascalCase and acronym schema names without `rename`;
//! `rename_all` spells every name by one rule instead, and a field's `rename` wins over it.
use cloudkit_runtime::{Asset, CloudKitRecord, SystemFields, Timestamp};

#[derive(CloudKitRecord, Debug, Clone, PartialEq, Default)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/names.ckdb")]
pub struct Profile {
    #[cloudkit(system)]
    pub meta: SystemFields,
    pub avatar_url: Option<Asset>,
    pub display_name: String,
    pub home_page_url: Option<String>,
    pub isbn13_code: Option<String>,
    pub last_login_at: Option<Timestamp>,
    pub url_string: Option<String>,
    pub user_id: Option<String>,
}

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/names.ckdb", record_type = "Profile", rename_all = "camelCase")]
pub struct CamelProfile {
    pub last_login_at: Option<Timestamp>,
    #[cloudkit(rename = "userID")]
    pub user: Option<String>,
}

#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/names.ckdb", record_type = "Profile", rename_all = "PascalCase")]
pub struct PascalProfile {
    pub display_name: String,
}

#[derive(CloudKitRecord)]
#[allow(non_snake_case)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/names.ckdb", record_type = "Profile", rename_all = "verbatim")]
pub struct VerbatimProfile {
    pub userID: Option<String>,
}

/// Where two fields read alike (`userID`, `userId`), `rename` says which.
#[derive(CloudKitRecord)]
#[cloudkit(schema = "../../../../cloudkit-derive/tests/schema/names.ckdb")]
pub struct Legacy {
    pub start_date: Option<Timestamp>,
    #[cloudkit(rename = "userID")]
    pub user_id: Option<String>,
    #[cloudkit(rename = "userId")]
    pub old_user_id: Option<String>,
}

fn main() {
    let profile = Profile {
        display_name: "Ada".into(),
        user_id: Some("u-1".into()),
        url_string: Some("https://example.com".into()),
        ..Profile::default()
    };
    let record = profile.to_record();
    let names: Vec<&str> = record.fields.names().collect();
    assert_eq!(names, ["DisplayName", "URLString", "userID"]);
    assert_eq!(Profile::from_record(record), Ok(profile));

    // Accessors take the Rust field names; the wire names stay the schema's.
    let f = Profile::fields();
    let query = Profile::query()
        .filter(f.display_name().begins_with("A"))
        .filter(f.user_id().equals("u-1"))
        .sort(f.last_login_at().descending());
    let json = serde_json::to_string(&query.to_wire()).unwrap_or_default();
    assert!(json.contains(r#""fieldName":"DisplayName""#), "{json}");
    assert!(json.contains(r#""fieldName":"lastLoginAt""#), "{json}");
    let _ = CamelProfile::fields().user().equals("u-1");
    let _ = PascalProfile::fields().display_name().ascending();
    let _ = VerbatimProfile::fields().userID().equals("u-1");
    let _ = Legacy::fields().old_user_id();
}
