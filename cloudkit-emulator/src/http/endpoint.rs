//! Request targets: which endpoint of which container, environment and database a path names
//! (web-services spec §1.1).

use cloudkit_wire::ws::{DatabaseScope, Environment};

use crate::error::{ServerError, ServerErrorCode};

/// The endpoints the emulator serves, by `entity/action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `records/modify`
    RecordsModify,
    /// `records/lookup`
    RecordsLookup,
    /// `records/query`
    RecordsQuery,
    /// `records/changes`
    RecordsChanges,
    /// `changes/database`
    ChangesDatabase,
    /// `changes/zone`
    ChangesZone,
    /// `zones/list`
    ZonesList,
    /// `zones/lookup`
    ZonesLookup,
    /// `zones/modify`
    ZonesModify,
    /// `zones/changes` (deprecated form of `changes/database`)
    ZonesChanges,
    /// `subscriptions/list`
    SubscriptionsList,
    /// `subscriptions/lookup`
    SubscriptionsLookup,
    /// `subscriptions/modify`
    SubscriptionsModify,
    /// `users/caller`
    UsersCaller,
    /// `users/current` (legacy form of `users/caller`)
    UsersCurrent,
    /// `users/discover` (GET: every discoverable user; POST: by lookup infos)
    UsersDiscover,
    /// `users/lookup/email` (deprecated)
    UsersLookupEmail,
    /// `users/lookup/id` (deprecated)
    UsersLookupId,
    /// `users/lookup/contacts` (deprecated)
    UsersLookupContacts,
    /// `assets/upload`
    AssetsUpload,
    /// `assets/rereference`
    AssetsRereference,
}

impl Endpoint {
    /// Every endpoint served.
    pub const ALL: [Endpoint; 21] = [
        Endpoint::RecordsModify,
        Endpoint::RecordsLookup,
        Endpoint::RecordsQuery,
        Endpoint::RecordsChanges,
        Endpoint::ChangesDatabase,
        Endpoint::ChangesZone,
        Endpoint::ZonesList,
        Endpoint::ZonesLookup,
        Endpoint::ZonesModify,
        Endpoint::ZonesChanges,
        Endpoint::SubscriptionsList,
        Endpoint::SubscriptionsLookup,
        Endpoint::SubscriptionsModify,
        Endpoint::UsersCaller,
        Endpoint::UsersCurrent,
        Endpoint::UsersDiscover,
        Endpoint::UsersLookupEmail,
        Endpoint::UsersLookupId,
        Endpoint::UsersLookupContacts,
        Endpoint::AssetsUpload,
        Endpoint::AssetsRereference,
    ];

    /// The `entity/action` part of the path.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::RecordsModify => "records/modify",
            Endpoint::RecordsLookup => "records/lookup",
            Endpoint::RecordsQuery => "records/query",
            Endpoint::RecordsChanges => "records/changes",
            Endpoint::ChangesDatabase => "changes/database",
            Endpoint::ChangesZone => "changes/zone",
            Endpoint::ZonesList => "zones/list",
            Endpoint::ZonesLookup => "zones/lookup",
            Endpoint::ZonesModify => "zones/modify",
            Endpoint::ZonesChanges => "zones/changes",
            Endpoint::SubscriptionsList => "subscriptions/list",
            Endpoint::SubscriptionsLookup => "subscriptions/lookup",
            Endpoint::SubscriptionsModify => "subscriptions/modify",
            Endpoint::UsersCaller => "users/caller",
            Endpoint::UsersCurrent => "users/current",
            Endpoint::UsersDiscover => "users/discover",
            Endpoint::UsersLookupEmail => "users/lookup/email",
            Endpoint::UsersLookupId => "users/lookup/id",
            Endpoint::UsersLookupContacts => "users/lookup/contacts",
            Endpoint::AssetsUpload => "assets/upload",
            Endpoint::AssetsRereference => "assets/rereference",
        }
    }

    /// Whether the endpoint is called with GET (no body) rather than POST.
    pub fn is_get(self) -> bool {
        matches!(
            self,
            Endpoint::ZonesList
                | Endpoint::SubscriptionsList
                | Endpoint::UsersCaller
                | Endpoint::UsersCurrent
                | Endpoint::UsersDiscover
        )
    }

    /// Whether the endpoint needs a signed-in user even on the public database (the users
    /// endpoints).
    pub fn needs_user(self) -> bool {
        matches!(
            self,
            Endpoint::UsersCaller
                | Endpoint::UsersCurrent
                | Endpoint::UsersDiscover
                | Endpoint::UsersLookupEmail
                | Endpoint::UsersLookupId
                | Endpoint::UsersLookupContacts
        )
    }

    /// Whether the endpoint writes; only these can take a fault that drops the response after
    /// the write, and only these are refused by read-only grants.
    pub fn writes(self) -> bool {
        matches!(
            self,
            Endpoint::RecordsModify | Endpoint::ZonesModify | Endpoint::SubscriptionsModify
        )
    }

    /// Whether the database scope is one this endpoint serves (spec §1.4).
    pub fn accepts(self, scope: DatabaseScope) -> bool {
        match self {
            Endpoint::RecordsChanges | Endpoint::ChangesDatabase | Endpoint::ChangesZone => {
                scope != DatabaseScope::Public
            }
            Endpoint::ZonesChanges => scope != DatabaseScope::Shared,
            Endpoint::UsersCaller | Endpoint::UsersCurrent => true,
            // Discovery lives on the public path only (spec §3.25: private → 400).
            Endpoint::UsersDiscover
            | Endpoint::UsersLookupEmail
            | Endpoint::UsersLookupId
            | Endpoint::UsersLookupContacts => scope == DatabaseScope::Public,
            Endpoint::AssetsUpload | Endpoint::AssetsRereference => scope != DatabaseScope::Shared,
            _ => true,
        }
    }

    fn from_path(path: &str) -> Option<Endpoint> {
        Endpoint::ALL.into_iter().find(|e| e.path() == path)
    }
}

/// A parsed `/database/1/{container}/{environment}/{database}/{entity}/{action}` target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The container identifier, verbatim.
    pub container: String,
    /// The environment segment.
    pub environment: Environment,
    /// The database segment.
    pub scope: DatabaseScope,
    /// The endpoint.
    pub endpoint: Endpoint,
}

/// The "unknown endpoint" answer CloudKit gives (spec §5.2: 404, "could not find handler").
pub fn no_handler(path: &str) -> ServerError {
    ServerError::new(
        ServerErrorCode::NotFound,
        format!("could not find handler for endpoint {path}"),
    )
}

/// Parses a request path (without query string) and checks the method.
pub fn parse(method: &str, path: &str) -> Result<Route, ServerError> {
    let mut segments = path.trim_start_matches('/').splitn(6, '/');
    let module = segments.next().unwrap_or_default();
    let version = segments.next().unwrap_or_default();
    let container = segments.next().unwrap_or_default();
    let environment = segments.next().unwrap_or_default();
    if module == "device" {
        // `tokens/create` and `tokens/register` are served by their own routes
        // (`courier`); anything else under `/device/` is unknown.
        return Err(no_handler(path));
    }
    if module != "database" || version != "1" || container.is_empty() {
        return Err(no_handler(path));
    }
    let database = segments.next().unwrap_or_default();
    let rest = segments.next().unwrap_or_default();
    let environment: Environment =
        environment
            .parse()
            .map_err(|e: cloudkit_wire::ws::UnknownEnvironment| {
                ServerError::bad_request(e.to_string())
            })?;
    let scope: DatabaseScope =
        database
            .parse()
            .map_err(|e: cloudkit_wire::ws::UnknownDatabaseScope| {
                ServerError::bad_request(e.to_string())
            })?;
    if rest.starts_with("tokens/") {
        // The live service answers 405 with `Allow: OPTIONS` here; the token endpoints live
        // under `/device/` (spec §1.1, §8 item 1).
        let mut e = ServerError::bad_request(format!(
            "method {method} not allowed for {path}; token endpoints live under /device/"
        ));
        e.status = Some(405);
        return Err(e);
    }
    let endpoint = Endpoint::from_path(rest).ok_or_else(|| no_handler(path))?;
    let allowed = if endpoint.is_get() { "GET" } else { "POST" };
    // CloudKit JS sends GET exactly when there is no body; a POST with an empty body to a GET
    // endpoint is tolerated, as its body is ignored anyway.
    let method_ok = method == allowed || (endpoint.is_get() && method == "POST");
    if !method_ok {
        let mut e = ServerError::bad_request(format!(
            "method {method} not allowed for {}; use {allowed}",
            endpoint.path()
        ));
        e.status = Some(405);
        return Err(e);
    }
    if !endpoint.accepts(scope) {
        return Err(ServerError::bad_request(format!(
            "endpoint not applicable in the database type '{}db'",
            scope.as_str()
        )));
    }
    Ok(Route {
        container: container.to_owned(),
        environment,
        scope,
        endpoint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_endpoint() {
        for e in Endpoint::ALL {
            let method = if e.is_get() { "GET" } else { "POST" };
            let scope = if e.accepts(DatabaseScope::Public) {
                "public"
            } else {
                "private"
            };
            let path = format!("/database/1/iCloud.a.b/development/{scope}/{}", e.path());
            let route = parse(method, &path).map_err(|e| e.to_string());
            assert_eq!(route.map(|r| r.endpoint), Ok(e));
        }
    }

    #[test]
    fn refuses_unknown_pieces() {
        let status = |m: &str, p: &str| parse(m, p).err().map(|e| (e.http_status(), e.code));
        assert_eq!(
            status("POST", "/database/1/c/development/public/records/nope"),
            Some((404, ServerErrorCode::NotFound))
        );
        assert_eq!(
            status("POST", "/database/1/c/staging/public/records/query"),
            Some((400, ServerErrorCode::BadRequest))
        );
        assert_eq!(
            status("POST", "/database/1/c/development/other/records/query"),
            Some((400, ServerErrorCode::BadRequest))
        );
        assert_eq!(
            status("POST", "/database/1/c/development/public/tokens/create"),
            Some((405, ServerErrorCode::BadRequest))
        );
        assert_eq!(
            status("GET", "/database/1/c/development/public/records/query"),
            Some((405, ServerErrorCode::BadRequest))
        );
        assert_eq!(
            status("POST", "/database/1/c/development/public/changes/zone"),
            Some((400, ServerErrorCode::BadRequest))
        );
        assert_eq!(status("GET", "/"), Some((404, ServerErrorCode::NotFound)));
        assert_eq!(
            status("GET", "/database/2/c/development/public/users/caller"),
            Some((404, ServerErrorCode::NotFound))
        );
    }
}
