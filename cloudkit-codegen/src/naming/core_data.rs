//! The names NSPersistentCloudKitContainer (Core Data, and SwiftData on top of it) gives the
//! records it mirrors: entity `TodoItem` is record type `CD_TodoItem`, attribute `createdAt`
//! is field `CD_createdAt`, and every record says which entity it holds in `CD_entityName`.

/// The prefix of every record type and field Core Data mirrors.
pub const PREFIX: &str = "CD_";

/// The STRING field naming the entity a record holds; Core Data reads it to pick the entity
/// when it imports the record (sub-entities share their root entity's record type).
pub const ENTITY_NAME_FIELD: &str = "CD_entityName";

/// `name` without the Core Data prefix, if it has one: `CD_TodoItem` → `TodoItem`.
pub fn strip_prefix(name: &str) -> Option<&str> {
    name.strip_prefix(PREFIX)
}

/// `name` with the Core Data prefix: the record type of entity `TodoItem`, the field of
/// attribute `createdAt`.
pub fn prefixed(name: &str) -> String {
    format!("{PREFIX}{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_strips() {
        assert_eq!(prefixed("TodoItem"), "CD_TodoItem");
        assert_eq!(strip_prefix("CD_TodoItem"), Some("TodoItem"));
        assert_eq!(strip_prefix("TodoItem"), None);
    }
}
