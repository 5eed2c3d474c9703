//! The app's record types, checked against `schema/notes.ckdb` when the example compiles.

use cloudkit_runtime::{Asset, CloudKitRecord, Location, Reference, SystemFields};

/// A folder notes live in.
#[derive(CloudKitRecord, Debug, Clone)]
#[cloudkit(schema = "schema/notes.ckdb")]
pub struct Folder {
    /// Record name, change tag, zone, timestamps.
    #[cloudkit(system)]
    pub meta: SystemFields,
    /// Shown in the folder list.
    pub name: String,
}

/// One note.
#[derive(CloudKitRecord, Debug, Clone)]
#[cloudkit(schema = "schema/notes.ckdb", record_type = "Note")]
pub struct Note {
    /// Record name, change tag, zone, timestamps.
    #[cloudkit(system)]
    pub meta: SystemFields,
    /// STRING QUERYABLE SEARCHABLE SORTABLE.
    pub title: String,
    /// Free text; not indexed.
    pub body: Option<String>,
    /// `LIST<STRING>` QUERYABLE SEARCHABLE.
    pub tags: Vec<String>,
    /// INT64 QUERYABLE SORTABLE, as 0 / 1.
    pub pinned: bool,
    /// Where the note was written.
    pub location: Option<Location>,
    /// A file; empty until the assets API lands.
    pub attachment: Option<Asset>,
    /// The folder holding the note.
    #[cloudkit(rename = "folder")]
    pub folder_ref: Option<Reference<Folder>>,
    /// Words in the title and body: schema field `wordCount`, found without a `rename`.
    pub word_count: Option<i64>,
}
