//! The fuzz test's request generator: a seeded random source, valid-looking bodies per
//! endpoint and ways to break them, hostile strings and values, and paths (Web Services, the
//! v1 data API, the management API, and anywhere).

use serde_json::{Value, json};

use cloudkit_wire::management::SchemaUpload;

use crate::common::{CONTAINER, SCHEMA};

/// splitmix64: small, seeded, good enough to pick shapes.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }

    pub(super) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

pub(super) const ENDPOINTS: &[&str] = &[
    "records/modify",
    "records/lookup",
    "records/query",
    "records/changes",
    "changes/database",
    "changes/zone",
    "zones/list",
    "zones/lookup",
    "zones/modify",
    "zones/changes",
    "subscriptions/list",
    "subscriptions/lookup",
    "subscriptions/modify",
    "users/caller",
    "users/current",
    "users/discover",
    "users/lookup/email",
    "users/lookup/id",
    "users/lookup/contacts",
    "assets/upload",
    "assets/rereference",
];

/// A valid-looking body for `endpoint`, to be broken.
pub(super) fn template(endpoint: &str) -> Value {
    match endpoint {
        "records/modify" => json!({"operations": [{"operationType": "create", "record": {
            "recordType": "Note", "recordName": "n1",
            "fields": {"title": {"value": "x"}, "priority": {"value": 3, "type": "INT64"},
                       "tags": {"value": ["a"], "type": "STRING_LIST"},
                       "folder": {"value": {"recordName": "f1", "action": "DELETE_SELF"}}}}}],
            "zoneID": {"zoneName": "_defaultZone"}, "atomic": true}),
        "records/lookup" => json!({"records": [{"recordName": "n1"}], "desiredKeys": ["title"]}),
        "records/query" => json!({"query": {"recordType": "Note",
            "filterBy": [{"comparator": "EQUALS", "fieldName": "title", "fieldValue": {"value": "x"}},
                         {"comparator": "NEAR", "fieldName": "place", "fieldValue": {"value": {"latitude": 1.0, "longitude": 2.0}}, "distance": 10.0}],
            "sortBy": [{"fieldName": "title", "ascending": true}]},
            "resultsLimit": 10, "continuationMarker": "abc", "desiredKeys": ["title"]}),
        "records/changes" => {
            json!({"zoneID": {"zoneName": "z"}, "resultsLimit": 5, "syncToken": "t"})
        }
        "changes/database" => json!({"resultsLimit": 5, "syncToken": "t"}),
        "changes/zone" | "zones/changes" => {
            json!({"zones": [{"zoneID": {"zoneName": "z"}, "syncToken": "t", "resultsLimit": 5}]})
        }
        "zones/lookup" => json!({"zones": [{"zoneName": "z"}]}),
        "zones/modify" => {
            json!({"operations": [{"operationType": "create", "zone": {"zoneID": {"zoneName": "z"}}}]})
        }
        "subscriptions/lookup" => json!({"subscriptions": [{"subscriptionID": "s"}]}),
        "subscriptions/modify" => {
            json!({"operations": [{"operationType": "create", "subscription": {
            "subscriptionID": "s", "subscriptionType": "query", "query": {"recordType": "Note",
            "filterBy": [{"comparator": "BEGINS_WITH", "fieldName": "title", "fieldValue": {"value": "a"}}]},
            "firesOn": ["create", "update"], "zoneID": {"zoneName": "_defaultZone"}}}]})
        }
        "users/discover" | "users/lookup/email" => {
            json!({"users": [{"emailAddress": "alice@example.com"}]})
        }
        "users/lookup/id" => json!({"users": [{"userRecordName": "_abc"}]}),
        "users/lookup/contacts" => json!({}),
        "assets/upload" => {
            json!({"tokens": [{"recordType": "Note", "fieldName": "data", "recordName": "n1"}], "zoneID": {"zoneName": "_defaultZone"}})
        }
        "assets/rereference" => json!({"assets": [{"recordName": "n1", "fieldName": "data"}]}),
        "v1/records" => json!({"recordName": "n1", "recordType": "Note", "recordChangeTag": "1",
            "fields": {"title": {"type": "stringType", "value": "x"}, "priority": {"type": "int64Type", "value": 3},
                       "due": {"type": "timestampType", "value": "2024-01-01T00:00:00.000Z"},
                       "folder": {"type": "referenceType", "value": {"recordName": "f1", "zone": {"zoneName": "_defaultZone", "canonicalName": "_defaultZone"}}}}}),
        "v1/query" | "v1/deletionQuery" => json!({"query": {"recordType": "Note",
            "filters": [{"type": "LIST_NOT_CONTAINS", "fieldName": "tags", "fieldValue": {"type": "stringType", "value": "a"}},
                        {"type": "NEAR", "fieldName": "place", "fieldValue": {"type": "locationType", "value": {"latitude": 1.0, "longitude": 2.0}}, "radiusInKilometers": 5.0}],
            "sorts": [{"fieldName": "___createTime", "order": "DESC"}]},
            "recordType": "Note", "dryRun": true, "resultsLimit": 10, "continuationToken": "abc", "requestedFields": ["title"]}),
        "v1/lookup" => json!({"recordNames": ["n1", "n2"], "requestedFields": ["title"]}),
        "v1/changes" => {
            json!({"changeToken": "t", "resultsLimit": 5, "requestedRecordTypes": ["Note"]})
        }
        "v1/zones" => json!({"zoneName": "z", "zoneType": "REGULAR_CUSTOM_ZONE"}),
        "tokens/create" => json!({"apnsEnvironment": "development"}),
        "tokens/register" => json!({"apnsEnvironment": "development", "apnsToken": "x"}),
        _ => json!({}),
    }
}

pub(super) fn nasty_string(rng: &mut Rng) -> String {
    match rng.below(14) {
        0 => String::new(),
        1 => "../../../../etc/passwd".to_owned(),
        2 => "%2e%2e/%00".to_owned(),
        3 => "a".repeat(if rng.chance(10) { 300_000 } else { 3_000 }),
        4 => "\u{0}\u{1}\u{7f}".to_owned(),
        5 => "💥\u{202e}ﬀ".to_owned(),
        6 => "_defaultZone".to_owned(),
        7 => "___recordID".to_owned(),
        8 => "'; DROP TABLE records; --".to_owned(),
        9 => "LIST<STRING>".to_owned(),
        10 => "cloudkit.share".to_owned(),
        11 => "INT64".to_owned(),
        12 => "-1".to_owned(),
        _ => format!("{:x}", rng.next()),
    }
}

pub(super) fn nasty_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 4 { 9 } else { 12 }) {
        0 => Value::Null,
        1 => json!(rng.chance(50)),
        2 => json!(-1),
        3 => json!(i64::MIN),
        4 => json!(u64::MAX),
        5 => json!(1e308),
        6 => json!(-0.5),
        7 => Value::String(nasty_string(rng)),
        8 => json!(0),
        9 => {
            let n = rng.below(4);
            Value::Array((0..n).map(|_| nasty_value(rng, depth + 1)).collect())
        }
        10 => {
            let mut map = serde_json::Map::new();
            for _ in 0..rng.below(4) {
                map.insert(nasty_string(rng), nasty_value(rng, depth + 1));
            }
            Value::Object(map)
        }
        _ => {
            // Nesting deep enough to trouble a recursive walker, not the JSON parser.
            let mut v = Value::Null;
            for _ in 0..100 {
                v = json!([v]);
            }
            v
        }
    }
}

/// Every path (as a list of steps) inside `value`.
pub(super) fn paths(value: &Value, at: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                at.push(PathStep::Key(k.clone()));
                paths(v, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(PathStep::Index(i));
                paths(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
pub(super) enum PathStep {
    Key(String),
    Index(usize),
}

pub(super) fn at_path<'a>(value: &'a mut Value, path: &[PathStep]) -> Option<&'a mut Value> {
    let mut v = value;
    for step in path {
        v = match step {
            PathStep::Key(k) => v.get_mut(k)?,
            PathStep::Index(i) => v.get_mut(*i)?,
        };
    }
    Some(v)
}

/// A broken version of `endpoint`'s template.
pub(super) fn mutated(rng: &mut Rng, endpoint: &str) -> Value {
    let mut body = template(endpoint);
    for _ in 0..=rng.below(3) {
        let mut all = Vec::new();
        paths(&body, &mut Vec::new(), &mut all);
        let path = rng.pick(&all).clone();
        let replacement = nasty_value(rng, 0);
        match rng.below(4) {
            // Drop a key.
            0 if !path.is_empty() => {
                let (last, parent) = path
                    .split_last()
                    .map_or((None, &path[..0]), |(l, p)| (Some(l), p));
                if let (Some(PathStep::Key(k)), Some(Value::Object(map))) =
                    (last, at_path(&mut body, parent))
                {
                    map.remove(k);
                }
            }
            // Add an unknown key.
            1 => {
                if let Some(Value::Object(map)) = at_path(&mut body, &path) {
                    map.insert(nasty_string(rng), replacement);
                }
            }
            // Many copies of an array element (lists past CloudKit's 200).
            2 => {
                if let Some(Value::Array(items)) = at_path(&mut body, &path)
                    && let Some(first) = items.first().cloned()
                {
                    let n = *rng.pick(&[2, 199, 201, 1000]);
                    *items = vec![first; n];
                }
            }
            _ => {
                if let Some(slot) = at_path(&mut body, &path) {
                    *slot = replacement;
                }
            }
        }
    }
    body
}

/// A schema upload: the test schema, cut short, with a hostile name put in, or as it is.
pub(super) fn schema_upload(rng: &mut Rng) -> Vec<u8> {
    let mut text = SCHEMA.to_owned();
    match rng.below(4) {
        0 => text.truncate(rng.below(text.len())),
        1 => text = text.replacen("title", &nasty_string(rng), 1),
        2 => text.push_str(&format!("RECORD TYPE {} ( a STRING );", nasty_string(rng))),
        _ => {}
    }
    SchemaUpload::new(&text).into_body()
}

/// A request body: mostly broken templates, also random JSON and bytes that are not JSON.
pub(super) fn body(rng: &mut Rng, endpoint: &str) -> Vec<u8> {
    if endpoint == "mgmt/schema" && rng.chance(70) {
        return schema_upload(rng);
    }
    match rng.below(10) {
        0 => serde_json::to_vec(&nasty_value(rng, 0)).unwrap_or_default(),
        1 => {
            // Invalid UTF-8 inside otherwise plausible JSON.
            let mut bytes = serde_json::to_vec(&template(endpoint)).unwrap_or_default();
            let at = rng.below(bytes.len());
            bytes.insert(at, *rng.pick(&[0xff, 0xc3, 0x80, 0xed]));
            bytes
        }
        2 => {
            // Nesting past serde_json's recursion limit.
            let depth = *rng.pick(&[129, 1_000, 20_000]);
            let mut s = "[".repeat(depth);
            s.push_str(&"]".repeat(depth));
            s.into_bytes()
        }
        3 => {
            // Truncated, or duplicate keys.
            let text = serde_json::to_string(&template(endpoint)).unwrap_or_default();
            if rng.chance(50) {
                text.as_bytes()[..rng.below(text.len())].to_vec()
            } else {
                text.replacen('{', "{\"zoneID\":1,\"zoneID\":{\"zoneName\":\"x\"},", 1)
                    .into_bytes()
            }
        }
        4 => Vec::new(),
        _ => serde_json::to_vec(&mutated(rng, endpoint)).unwrap_or_default(),
    }
}

/// A path: mostly real endpoints of the right container, some anywhere.
pub(super) fn path(rng: &mut Rng) -> (String, String) {
    let endpoint = (*rng.pick(ENDPOINTS)).to_owned();
    let db = *rng.pick(&[
        "public",
        "public",
        "private",
        "private",
        "shared",
        "../private",
        "PUBLIC",
        "%70ublic",
    ]);
    let env = *rng.pick(&[
        "development",
        "development",
        "development",
        "production",
        "staging",
    ]);
    let container = if rng.chance(90) {
        CONTAINER.to_owned()
    } else {
        nasty_string(rng).chars().take(200).collect()
    };
    let encode = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let v1_tails = [
        ("zones", "v1/zones"),
        ("zones/_defaultZone", "v1/zones"),
        ("zones/_defaultZone/records", "v1/records"),
        ("zones/_defaultZone/records/n1", "v1/records"),
        ("zones/_defaultZone/records/lookup", "v1/lookup"),
        ("zones/_defaultZone/query", "v1/query"),
        ("zones/_defaultZone/changes", "v1/changes"),
        ("zones/_defaultZone/deletionQuery", "v1/deletionQuery"),
        ("zones/..%2f..%2fz/records/%00", "v1/records"),
    ];
    let upper_env = *rng.pick(&[
        "DEVELOPMENT",
        "DEVELOPMENT",
        "PRODUCTION",
        "development",
        "STAGING",
    ]);
    let upper_db = *rng.pick(&["PUBLIC", "PRIVATE", "SHARED", "private", "ALL", "%2e%2e"]);
    let team = *rng.pick(&["EMULATOR00", "EMULATOR00", "OTHER", "..", ""]);
    let path = match rng.below(28) {
        20..=23 => {
            let (tail, label) = *rng.pick(&v1_tails);
            let path = format!(
                "/v1/database/containers/{}/environments/{upper_env}/databases/{upper_db}/{tail}",
                encode(&container)
            );
            return (path, label.to_owned());
        }
        24 => {
            return (
                format!(
                    "/v1/database/containers/{}/environments/{upper_env}/session/user",
                    encode(&container)
                ),
                "v1/session".to_owned(),
            );
        }
        25 | 26 => {
            let tail = *rng.pick(&["schema", "schema/validate", "schema/export", "reset", "x"]);
            let path = format!(
                "/v1/database/teams/{team}/containers/{}/environments/{upper_env}/{tail}",
                encode(&container)
            );
            return (path, "mgmt/schema".to_owned());
        }
        27 => {
            let path = match rng.below(3) {
                0 => "/users/current/teams".to_owned(),
                1 => format!(
                    "/teams/{team}/containers?limit={}&startingAfterKey={}&q={}",
                    rng.pick(&["0", "1", "-1", "99999999999", "x"]),
                    encode(&nasty_string(rng).chars().take(100).collect::<String>()),
                    encode(&nasty_string(rng).chars().take(100).collect::<String>())
                ),
                _ => format!(
                    "/v1/database/teams/{team}/containers/{}/containerConfig/reset",
                    encode(&container)
                ),
            };
            return (path, "mgmt/account".to_owned());
        }
        0 => format!(
            "/database/1/{}/{env}/{db}/{endpoint}/..%2f..%2fetc",
            encode(&container)
        ),
        1 => format!(
            "/database/{}/{CONTAINER}/{env}/{db}/{endpoint}",
            rng.pick(&["0", "2", "-1", "..", "%00"])
        ),
        2 => format!(
            "/device/1/{CONTAINER}/{env}/tokens/{}",
            rng.pick(&["create", "register", "..", "x"])
        ),
        3 => format!(
            "/asset-upload/{}",
            encode(&nasty_string(rng).chars().take(500).collect::<String>())
        ),
        4 => format!(
            "/asset-download/{}/{}",
            encode("../../x"),
            encode(&nasty_string(rng).chars().take(100).collect::<String>())
        ),
        5 => format!(
            "/webcourier/{}?timeout=0",
            encode(&nasty_string(rng).chars().take(100).collect::<String>())
        ),
        6 => format!(
            "/signin?user={}&callback={}",
            encode(&nasty_string(rng).chars().take(100).collect::<String>()),
            encode(&nasty_string(rng).chars().take(100).collect::<String>())
        ),
        7 => format!(
            "/{}",
            (0..rng.below(6))
                .map(|_| encode(&nasty_string(rng).chars().take(50).collect::<String>()))
                .collect::<Vec<_>>()
                .join("/")
        ),
        _ => format!("/database/1/{}/{env}/{db}/{endpoint}", encode(&container)),
    };
    let endpoint = if path.starts_with("/device/") {
        path.rsplit('/')
            .next()
            .map(|a| format!("tokens/{a}"))
            .unwrap_or_default()
    } else {
        endpoint
    };
    (path, endpoint)
}

/// At most 8,000 characters: a query string past 64 KB is not a URI the client will send.
pub(super) fn short(text: String) -> String {
    text.chars().take(8_000).collect()
}
