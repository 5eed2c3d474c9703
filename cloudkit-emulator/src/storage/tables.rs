//! The SQLite tables, created at startup when missing.

/// Meta (the change sequence), zones, records and subscriptions.
pub const CORE: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('seq', '0');
CREATE TABLE IF NOT EXISTS zones (
    scope TEXT NOT NULL, owner TEXT NOT NULL, zone_name TEXT NOT NULL,
    change_seq INTEGER NOT NULL, epoch INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, owner, zone_name)
);
CREATE INDEX IF NOT EXISTS zones_by_change ON zones (scope, owner, change_seq);
CREATE TABLE IF NOT EXISTS records (
    scope TEXT NOT NULL, owner TEXT NOT NULL, zone_name TEXT NOT NULL, record_name TEXT NOT NULL,
    record_type TEXT NOT NULL, change_tag TEXT NOT NULL, fields TEXT NOT NULL,
    created_ts INTEGER NOT NULL, created_by TEXT NOT NULL,
    modified_ts INTEGER NOT NULL, modified_by TEXT NOT NULL,
    change_seq INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, owner, zone_name, record_name)
);
CREATE INDEX IF NOT EXISTS records_by_change ON records (scope, owner, zone_name, change_seq);
CREATE INDEX IF NOT EXISTS records_by_type ON records (scope, owner, record_type, zone_name);
CREATE TABLE IF NOT EXISTS subscriptions (
    scope TEXT NOT NULL, owner TEXT NOT NULL, subscription_id TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (scope, owner, subscription_id)
);
CREATE INDEX IF NOT EXISTS subscriptions_by_record_type
    ON subscriptions (scope, json_extract(body, '$.query.recordType'), owner);
";

/// The share-hierarchy keys of a record (`parent`, `shortGUID`), added to a data file written
/// before they existed (new files get them the same way, so there is one path).
pub const SHARING: &str = "
ALTER TABLE records ADD COLUMN parent TEXT;
ALTER TABLE records ADD COLUMN short_guid TEXT;
";

/// Upload URLs, stored files and receipts.
pub const ASSETS: &str = "
CREATE TABLE IF NOT EXISTS asset_uploads (
    upload_id TEXT PRIMARY KEY, scope TEXT NOT NULL, owner TEXT NOT NULL,
    zone_name TEXT NOT NULL, record_name TEXT NOT NULL, field_name TEXT NOT NULL,
    expires_ms INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS asset_files (
    file_id TEXT PRIMARY KEY, file_checksum TEXT NOT NULL, size INTEGER NOT NULL,
    bytes BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS asset_files_by_checksum ON asset_files (file_checksum);
CREATE TABLE IF NOT EXISTS asset_receipts (
    receipt TEXT PRIMARY KEY, file_id TEXT NOT NULL, scope TEXT, owner TEXT,
    zone_name TEXT, record_name TEXT, field_name TEXT
);
";

/// Signed-in users' sessions (see `web_session.rs`): token hashes and expiries, never tokens.
pub const WEB_SESSIONS: &str = "
CREATE TABLE IF NOT EXISTS web_sessions (
    id INTEGER PRIMARY KEY, user_name TEXT NOT NULL, tokens BLOB NOT NULL
);
";

/// Device tokens and queued notifications.
pub const NOTIFICATIONS: &str = "
CREATE TABLE IF NOT EXISTS device_tokens (
    apns_token TEXT PRIMARY KEY, courier_id TEXT NOT NULL UNIQUE, user TEXT,
    apns_environment TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notifications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, courier_id TEXT NOT NULL, payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notifications_by_courier ON notifications (courier_id, seq);
";

/// The references with an action between records (see `reference.rs`). Creates the table; fills it from the stored records when it is new (a data file written
/// before it existed). A reference is an object with `recordName` and `action` inside a
/// field value; one naming another zone has no effect and is left out.
pub const REFERENCES: &str = "
CREATE TABLE record_references (
    scope TEXT NOT NULL, owner TEXT NOT NULL, zone_name TEXT NOT NULL,
    source_name TEXT NOT NULL, target_name TEXT NOT NULL, action TEXT NOT NULL,
    PRIMARY KEY (scope, owner, zone_name, target_name, action, source_name)
);
CREATE INDEX record_references_by_source
    ON record_references (scope, owner, zone_name, source_name);
INSERT OR IGNORE INTO record_references
    SELECT r.scope, r.owner, r.zone_name, r.record_name,
           json_extract(j.value, '$.recordName'), json_extract(j.value, '$.action')
    FROM records r, json_tree(r.fields) j
    WHERE r.deleted = 0 AND j.type = 'object'
      AND json_extract(j.value, '$.action') IN ('VALIDATE', 'DELETE_SELF')
      AND json_type(j.value, '$.recordName') = 'text'
      AND coalesce(json_extract(j.value, '$.zoneID.zoneName'), r.zone_name) = r.zone_name;
";
