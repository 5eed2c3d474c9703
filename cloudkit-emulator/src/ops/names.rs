//! The names a request brings: record types, fields, records, zones and subscriptions.
//!
//! Every name is checked here before anything is stored, so that nothing a client sends can
//! end up in the grown schema, an index or a data file in a form that cannot be read back.
//! What the emulator decides where CloudKit is vague:
//! - record type and field names: a letter, then letters, digits and `_`, at most 255
//!   characters (the schema language's bare names, spec §3.5); an existing type of the schema
//!   (`cloudkit.share`, `CD_Item`) is accepted as written;
//! - record names: ASCII without control characters, at most 255 characters. A leading `_` is
//!   refused when a client creates a record (Apple reserves it for the server's own records),
//!   and accepted in every other use: user records (`_9a06…`) are named so and clients look
//!   them up, update and delete them by that name;
//! - zone names and subscription IDs: at most 255 characters, no control characters, zone
//!   names ASCII. A zone name starts with `_` only for `_defaultZone`.
//!
//! The reason of a refusal never repeats a long name whole.

use cloudkit_wire::ZoneId;

use super::limits::MAX_NAME_CHARS;
use crate::error::ServerError;

/// Names are quoted in reasons up to this many characters.
const QUOTED_CHARS: usize = 64;

/// A name for a reason: itself when short, its start and length otherwise.
pub fn shown(name: &str) -> String {
    if name.chars().count() <= QUOTED_CHARS {
        return name.to_owned();
    }
    let head: String = name
        .chars()
        .take(QUOTED_CHARS)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    format!("{head}… ({} characters)", name.chars().count())
}

fn too_long(what: &str, name: &str) -> Option<ServerError> {
    (name.chars().count() > MAX_NAME_CHARS).then(|| {
        ServerError::bad_request(format!(
            "{what} '{}' is too long: the limit is {MAX_NAME_CHARS} characters",
            shown(name)
        ))
    })
}

/// Whether `name` is a schema identifier: a letter, then letters, digits and `_`.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn identifier(what: &str, name: &str) -> Result<(), ServerError> {
    if let Some(e) = too_long(what, name) {
        return Err(e);
    }
    if !is_identifier(name) {
        return Err(ServerError::bad_request(format!(
            "invalid {what} '{}': use letters, digits and underscores, starting with a letter",
            shown(name)
        )));
    }
    Ok(())
}

/// Checks the name of a record type a request creates (one the schema lacks).
pub fn check_record_type(name: &str) -> Result<(), ServerError> {
    identifier("record type name", name)
}

/// Checks the name of a field a request creates (one the schema lacks).
pub fn check_field(name: &str) -> Result<(), ServerError> {
    identifier("field name", name)
}

/// Checks a record name sent by a client.
pub fn check_record_name(name: &str) -> Result<(), ServerError> {
    if let Some(e) = too_long("recordName", name) {
        return Err(e);
    }
    if name.is_empty() || !name.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        return Err(ServerError::bad_request(format!(
            "invalid recordName '{}': use ASCII characters without control characters",
            shown(name)
        )));
    }
    Ok(())
}

/// Checks the name of a record a client creates: a record name, not starting with `_`.
pub fn check_new_record_name(name: &str) -> Result<(), ServerError> {
    check_record_name(name)?;
    if name.starts_with('_') {
        return Err(ServerError::bad_request(format!(
            "invalid recordName '{}': names starting with '_' are reserved for the server's own records",
            shown(name)
        )));
    }
    Ok(())
}

/// Checks a zone name sent by a client.
pub fn check_zone_name(name: &str) -> Result<(), ServerError> {
    if let Some(e) = too_long("zoneName", name) {
        return Err(e);
    }
    let printable = name.chars().all(|c| c.is_ascii() && !c.is_ascii_control());
    let reserved = name.starts_with('_') && name != ZoneId::DEFAULT_ZONE_NAME;
    if name.is_empty() || !printable || reserved {
        return Err(ServerError::bad_request(format!(
            "invalid zoneName '{}': use ASCII characters without control characters, not starting with '_'",
            shown(name)
        )));
    }
    Ok(())
}

/// Checks a zone owner name sent by a client (compared, never stored).
pub fn check_owner_name(name: &str) -> Result<(), ServerError> {
    match too_long("ownerRecordName", name) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Checks a subscription ID sent by a client.
pub fn check_subscription_id(id: &str) -> Result<(), ServerError> {
    if let Some(e) = too_long("subscriptionID", id) {
        return Err(e);
    }
    if id.is_empty() || id.chars().any(char::is_control) {
        return Err(ServerError::bad_request(format!(
            "invalid subscriptionID '{}': it must not be empty or hold control characters",
            shown(id)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_schema_words() {
        assert!(check_record_type("Note").is_ok());
        assert!(check_field("due_at2").is_ok());
        for bad in ["", "2x", "_x", "a b", "a\"b", "a\nb", "é"] {
            assert!(check_field(bad).is_err(), "{bad:?}");
        }
        assert!(check_field(&"a".repeat(255)).is_ok());
        assert!(check_field(&"a".repeat(256)).is_err());
    }

    #[test]
    fn record_zone_and_subscription_names() {
        assert!(check_record_name("_9a065b60313a5937e75e03ed8e8f383d").is_ok());
        assert!(check_record_name("a/b:c-d.e").is_ok());
        assert!(check_record_name("a\u{0}b").is_err());
        assert!(check_record_name(&"r".repeat(256)).is_err());
        assert!(check_zone_name("_defaultZone").is_ok());
        assert!(check_zone_name("_mine").is_err());
        assert!(check_zone_name("Work-2").is_ok());
        assert!(check_subscription_id("shopping notes").is_ok());
        assert!(check_subscription_id(&"s".repeat(256)).is_err());
    }

    #[test]
    fn long_names_are_shortened_in_reasons() {
        let reason = shown(&"x".repeat(100_000));
        assert!(reason.len() < 100, "{reason}");
    }
}
