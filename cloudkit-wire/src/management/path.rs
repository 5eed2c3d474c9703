//! Where each management operation lives: base URL, auth header names and path templates
//! (spec §1.2, §1.3, §2.1, §3).

use crate::ws::Environment;

/// Apple's management API host; `v1` is part of each path, not of the base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.icloud.apple.com";

/// Header carrying the management token (teams, containers, schema, reset).
pub const MANAGEMENT_TOKEN_HEADER: &str = "X-Apple-CloudKit-Management-Token";

/// Header carrying the user token (resetConfigToProduction, and the v1 data calls).
pub const USER_TOKEN_HEADER: &str = "X-Apple-CloudKit-User-Token";

/// The `{environment}` path segment: always upper case (`DEVELOPMENT`, `PRODUCTION`), as
/// CKTool JS sends it.
pub fn environment_segment(environment: Environment) -> &'static str {
    match environment {
        Environment::Development => "DEVELOPMENT",
        Environment::Production => "PRODUCTION",
    }
}

/// A path parameter encoded like JavaScript's `encodeURIComponent` (space as `%20`, `/` as
/// `%2F`; letters, digits and `-_.!~*'()` kept), as CKTool JS encodes team and container ids.
pub fn encode_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// getTeams: `/users/current/teams`.
pub fn teams_path() -> String {
    "/users/current/teams".to_owned()
}

/// getContainers: `/teams/{teamId}/containers` (query parameters not included).
pub fn containers_path(team_id: &str) -> String {
    format!("/teams/{}/containers", encode_segment(team_id))
}

fn environment_path(team_id: &str, container_id: &str, environment: Environment) -> String {
    format!(
        "/v1/database/teams/{}/containers/{}/environments/{}",
        encode_segment(team_id),
        encode_segment(container_id),
        environment_segment(environment)
    )
}

/// exportSchema: `GET …/environments/{env}/schema/export`.
pub fn schema_export_path(team_id: &str, container_id: &str, environment: Environment) -> String {
    environment_path(team_id, container_id, environment) + "/schema/export"
}

/// validateSchema: `POST …/environments/{env}/schema/validate`.
pub fn schema_validate_path(team_id: &str, container_id: &str, environment: Environment) -> String {
    environment_path(team_id, container_id, environment) + "/schema/validate"
}

/// importSchema: `PUT …/environments/{env}/schema`.
pub fn schema_import_path(team_id: &str, container_id: &str, environment: Environment) -> String {
    environment_path(team_id, container_id, environment) + "/schema"
}

/// resetToProduction: `POST …/environments/{env}/reset`.
pub fn reset_path(team_id: &str, container_id: &str, environment: Environment) -> String {
    environment_path(team_id, container_id, environment) + "/reset"
}

/// Header carrying the container's API token on v1 data calls (CKWS's `ckAPIToken`).
pub const API_TOKEN_HEADER: &str = "X-Apple-CloudKit-API-Token";

/// Header carrying a signed-in user's web auth token on v1 data calls (CKWS's
/// `ckWebAuthToken`), sent raw.
pub const WEB_AUTH_TOKEN_HEADER: &str = "X-Apple-CloudKit-Web-Auth-Token";
