//! Stored subscriptions decoded once: every record write checks the subscriptions of its
//! record type, and decoding each one's JSON and preparing its query on every write would cost
//! each write as much as a query of its own. An entry is used only while the stored text and
//! the schema it was prepared against are the ones in force, so a stale entry is never read;
//! `subscriptions/modify` and `firesOnce` drop entries so they do not outlive their
//! subscription.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cloudkit_wire::ws::Subscription;

use super::query::prepare::{PreparedQuery, prepare};
use crate::schema::LiveSchema;
use crate::storage::DatabaseKey;

/// Most subscriptions kept decoded. Past it the cache starts again empty: a database with that
/// many subscriptions pays the decoding again rather than holding memory without bound.
const MAX_ENTRIES: usize = 10_000;

/// A stored subscription decoded, with its query prepared against one schema.
#[derive(Debug)]
pub struct Decoded {
    /// The subscription dictionary.
    pub subscription: Subscription,
    /// Its query, prepared; `None` for a subscription without one, or whose query the schema
    /// no longer accepts (it then matches nothing rather than failing the write).
    pub query: Option<PreparedQuery>,
}

#[derive(Debug)]
struct Entry {
    body: String,
    schema_generation: u64,
    decoded: Arc<Decoded>,
}

type Key = (DatabaseKey, String);

/// Decoded subscriptions by database and subscription ID.
#[derive(Debug, Default)]
pub struct SubscriptionCache {
    entries: Mutex<HashMap<Key, Entry>>,
}

impl SubscriptionCache {
    /// The decoded form of the subscription `id` of `db` whose stored text is `body`; `None`
    /// when the text does not decode (a subscription that cannot fire).
    pub fn decoded(
        &self,
        db: &DatabaseKey,
        id: &str,
        body: &str,
        schema: &LiveSchema,
    ) -> Option<Arc<Decoded>> {
        let key = (db.clone(), id.to_owned());
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = entries.get(&key)
            && e.body == body
            && e.schema_generation == schema.generation()
        {
            return Some(Arc::clone(&e.decoded));
        }
        let subscription: Subscription = serde_json::from_str(body).ok()?;
        let query = subscription
            .query
            .as_ref()
            .and_then(|q| prepare(schema, q).ok());
        let decoded = Arc::new(Decoded {
            subscription,
            query,
        });
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                body: body.to_owned(),
                schema_generation: schema.generation(),
                decoded: Arc::clone(&decoded),
            },
        );
        Some(decoded)
    }

    /// Forgets the subscription `id` of `db` (modified or deleted).
    pub fn forget(&self, db: &DatabaseKey, id: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&(db.clone(), id.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Growth;
    use cloudkit_wire::ws::Environment;

    fn schema() -> LiveSchema {
        let source = r#"DEFINE SCHEMA RECORD TYPE Note (
            title STRING QUERYABLE, GRANT READ TO "_world");"#;
        let store = crate::storage::Store::memory().unwrap_or_else(|e| panic!("{e}"));
        LiveSchema::load(Environment::Development, Some((source, "t.ckdb")), &store)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn body(field: &str) -> String {
        serde_json::json!({"subscriptionID": "s", "subscriptionType": "query",
            "query": {"recordType": "Note", "filterBy": [{"fieldName": field,
                "comparator": "EQUALS", "fieldValue": {"type": "STRING", "value": "x"}}]}})
        .to_string()
    }

    #[test]
    fn decoded_once_until_the_text_or_the_schema_changes() {
        let cache = SubscriptionCache::default();
        let db = DatabaseKey::private("_u");
        let s1 = schema();
        let get = |text: &str, schema: &LiveSchema| {
            cache
                .decoded(&db, "s", text, schema)
                .unwrap_or_else(|| panic!("decodes"))
        };
        let first = get(&body("title"), &s1);
        assert!(first.query.is_some());
        assert!(
            Arc::ptr_eq(&first, &get(&body("title"), &s1)),
            "decoded once"
        );
        // A query on a field the schema lacks matches nothing until the schema grows it.
        let unknown = get(&body("mood"), &s1);
        assert!(unknown.query.is_none());
        let s2 = s1
            .grown(&[Growth::Field(
                "Note".into(),
                "mood".into(),
                cloudkit_schema::FieldType::Element(cloudkit_schema::ElementType::plain(
                    cloudkit_schema::ScalarType::String,
                )),
            )])
            .unwrap_or_else(|| panic!("grows"));
        assert!(get(&body("mood"), &s2).query.is_some(), "prepared again");
        let again = get(&body("mood"), &s2);
        cache.forget(&db, "s");
        assert!(!Arc::ptr_eq(&again, &get(&body("mood"), &s2)), "forgotten");
        assert!(cache.decoded(&db, "s", "not json", &s2).is_none());
    }
}
