//! References between records.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use serde::{Deserialize, Serialize};

use crate::vocabulary::wire_enum;
use crate::zone::ZoneId;

wire_enum! {
    /// What happens to the referencing record when its target is deleted.
    closed ReferenceAction {
        /// Nothing: the reference dangles.
        None = "NONE",
        /// Deleting the target deletes the referencing record.
        DeleteSelf = "DELETE_SELF",
        /// The target must exist when saving and cannot be deleted while referenced.
        Validate = "VALIDATE",
    }
}

/// A reference dictionary: `{"recordName", "zoneID"?, "action"?}`.
///
/// `T` is the Rust type of the target record; it exists only at compile time so that a
/// `Reference<Folder>` cannot be stored where a `Reference<Note>` belongs. Use `Reference` (that
/// is, `Reference<()>`) when the target type does not matter; [`Reference::cast`] converts.
///
/// `action` is required when saving a reference field and absent in query filter values.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound = "")]
pub struct Reference<T = ()> {
    /// Name of the target record.
    pub record_name: String,
    /// Zone of the target record; absent = same zone as the referencing record.
    #[serde(rename = "zoneID", default, skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<ZoneId>,
    /// Delete behaviour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<ReferenceAction>,
    #[serde(skip)]
    target: PhantomData<fn() -> T>,
}

impl<T> Reference<T> {
    /// A reference with action `NONE`.
    pub fn new(record_name: impl Into<String>) -> Self {
        Reference {
            record_name: record_name.into(),
            zone_id: None,
            action: Some(ReferenceAction::None),
            target: PhantomData,
        }
    }

    /// A reference without `action`, the form used in query filter values.
    pub fn without_action(record_name: impl Into<String>) -> Self {
        Reference {
            action: None,
            ..Reference::new(record_name)
        }
    }

    /// Sets the delete behaviour.
    pub fn with_action(mut self, action: ReferenceAction) -> Self {
        self.action = Some(action);
        self
    }

    /// Sets the target zone.
    pub fn in_zone(mut self, zone_id: ZoneId) -> Self {
        self.zone_id = Some(zone_id);
        self
    }

    /// The same reference, typed for another target.
    pub fn cast<U>(self) -> Reference<U> {
        Reference {
            record_name: self.record_name,
            zone_id: self.zone_id,
            action: self.action,
            target: PhantomData,
        }
    }
}

// Written by hand: derives would demand `T: Clone` etc. although `T` is never stored.
impl<T> Clone for Reference<T> {
    fn clone(&self) -> Self {
        Reference {
            record_name: self.record_name.clone(),
            zone_id: self.zone_id.clone(),
            action: self.action,
            target: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Reference<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reference")
            .field("record_name", &self.record_name)
            .field("zone_id", &self.zone_id)
            .field("action", &self.action)
            .finish()
    }
}

impl<T> PartialEq for Reference<T> {
    fn eq(&self, other: &Self) -> bool {
        self.record_name == other.record_name
            && self.zone_id == other.zone_id
            && self.action == other.action
    }
}

impl<T> Eq for Reference<T> {}

impl<T> Hash for Reference<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.record_name.hash(state);
        self.zone_id.hash(state);
        self.action.hash(state);
    }
}
