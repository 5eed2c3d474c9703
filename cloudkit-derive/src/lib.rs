//! `#[derive(CloudKitRecord)]`: a struct checked against a checked-in CloudKit schema at
//! compile time. All logic lives in `cloudkit-codegen`; this crate only hands tokens over.
//!
//! Use it through `cloudkit_runtime`, which re-exports it:
//!
//! ```
//! use cloudkit_runtime::{CloudKitRecord, SystemFields};
//!
//! #[derive(CloudKitRecord, Debug, Clone)]
//! #[cloudkit(schema = "tests/schema/notes.ckdb", record_type = "Note")]
//! pub struct Note {
//!     #[cloudkit(system)]
//!     pub meta: SystemFields,
//!     pub title: String,
//!     pub tags: Vec<String>,
//! }
//!
//! let query = Note::query()
//!     .filter(Note::fields().title().begins_with("Shop"))
//!     .filter(Note::fields().tags().list_contains("home"))
//!     .sort(Note::fields().modified_at().descending());
//! assert_eq!(query.to_wire().record_type, "Note");
//! ```
//!
//! Container options: `schema = "PATH"` (relative to the crate's Cargo.toml),
//! `record_type = "Name"` (default: the struct's name), `rename_all = "camelCase"` and
//! `core_data` (see below), `crate = "path"` (where `cloudkit_runtime` is). Field options:
//! `rename = "schemaName"`, `system` (the field holding `SystemFields`), `skip` (not stored;
//! `Default` on decode).
//!
//! # Field names
//!
//! Schemas spell fields the way the app that owns them does, mostly Swift's camelCase. A Rust
//! field without `rename` maps to the schema field
//! 1. spelled exactly like it (`title` ↔ `title`), or else
//! 2. the one field whose *words* are the Rust name's: names split at `_`, `.` and case
//!    changes, acronyms kept whole, lower-cased and joined with `_`. So `start_date` ↔
//!    `startDate`, `user_id` ↔ `userID`, `image_url` ↔ `imageURL`, `url_string` ↔
//!    `URLString`, `display_name` ↔ `DisplayName`, `type_` ↔ `type`. System fields
//!    (`___createTime`) are never found this way.
//!
//! Two fields with the same words (`userID` and `userId`) are a compile error at the Rust
//! field that lists both with their schema lines; say which one with
//! `#[cloudkit(rename = "userID")]`. A `rename` always wins and takes the schema's spelling
//! exactly.
//!
//! `#[cloudkit(rename_all = "…")]` replaces that search with one rule, applied exactly as
//! serde applies it: `"camelCase"` (`user_id` → `userId`, so never `userID`), `"PascalCase"`,
//! `"snake_case"`, `"SCREAMING_SNAKE_CASE"`, or `"verbatim"` (the Rust name as written: exact
//! matches only, for those who want no inference). A field's `rename` wins over it.
//!
//! ```
//! use cloudkit_runtime::{CloudKitRecord, Timestamp};
//!
//! // Schema: `DisplayName STRING`, `lastLoginAt TIMESTAMP`, `userID STRING`, …
//! #[derive(CloudKitRecord)]
//! #[cloudkit(schema = "tests/schema/names.ckdb")]
//! pub struct Profile {
//!     pub display_name: String,
//!     pub last_login_at: Option<Timestamp>,
//!     pub user_id: Option<String>,
//! }
//!
//! let profile = Profile {
//!     display_name: "Ada".into(),
//!     last_login_at: None,
//!     user_id: Some("u1".into()),
//! };
//! let record = profile.to_record();
//! let names: Vec<&str> = record.fields.names().collect();
//! assert_eq!(names, ["DisplayName", "userID"]);
//! ```
//!
//! build.rs generation (`cloudkit_codegen::Builder`) names struct fields by the same words
//! (`startDate` → `start_date`), so a generated struct and a hand-written one with the same
//! fields map alike; a generated field gets a `rename` only where its name would not find its
//! field again (the name was taken, or two fields have the same words). Accessors in
//! `Note::fields()` for schema fields the struct does not hold are named the same way.
//!
//! # Core Data and SwiftData
//!
//! An app that syncs through `NSPersistentCloudKitContainer` (Core Data, or SwiftData with
//! CloudKit) has a schema Apple generates: entity `Trip` is record type `CD_Trip`, attribute
//! `startDate` is field `CD_startDate`. `#[cloudkit(core_data)]` maps those records with no
//! other attribute, so that web, server and Android code can read and write an Apple app's
//! data without changing the app:
//!
//! ```
//! use cloudkit_runtime::{Asset, CloudKitRecord, SystemFields, Timestamp};
//!
//! #[derive(CloudKitRecord, Default)]
//! #[cloudkit(schema = "tests/schema/core_data.ckdb", core_data)]
//! pub struct Trip {                          // record type `CD_Trip`
//!     #[cloudkit(system)]
//!     pub meta: SystemFields,
//!     pub destination_name: String,          // `CD_destinationName`
//!     pub start_date: Option<Timestamp>,     // `CD_startDate`
//!     pub is_favorite: bool,                 // `CD_isFavorite`, an INT64
//!     pub traveler: Option<String>,          // to-one relationship: a record name
//!     pub notes: Option<String>,
//!     pub notes_ck_asset: Option<Asset>,     // `CD_notes_ckAsset`: `notes` when too large
//! }
//!
//! let record = Trip { destination_name: "Lisbon".into(), ..Trip::default() }.to_record();
//! assert_eq!(record.record_type.as_deref(), Some("CD_Trip"));
//! // Written for Core Data to import the record by.
//! let json = serde_json::to_string(&record.fields.get("CD_entityName"))?;
//! assert_eq!(json, r#"{"value":"Trip","type":"STRING"}"#);
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! - The record type defaults to `CD_` and the struct's name; a `record_type` must name a
//!   `CD_` record type.
//! - A field maps to `CD_` and its Rust name, or else to the one `CD_` field whose words
//!   after the prefix are the Rust name's, as above. With `rename_all`, to `CD_` and the
//!   rule's spelling. A `rename` takes the schema's full spelling (`CD_startDate`).
//! - `CD_entityName` names the entity a record holds; Core Data reads it when it imports a
//!   record (sub-entities share their root entity's record type). A struct with no field for
//!   it writes the record type's entity (`Trip`) with every record; declare
//!   `entity_name: String` to read it, or to write a sub-entity's name.
//! - A to-one relationship is a STRING field holding the related record's record name: look
//!   the related record up by that name.
//! - Core Data moves a string or binary value too large for the record into an asset field
//!   `CD_<attribute>_ckAsset` and leaves `CD_<attribute>` empty: hold both to read either.
//! - Booleans are INT64 (`bool` fits), dates TIMESTAMP, transformable and Codable attributes
//!   BYTES (`Vec<u8>`). Core Data's own bookkeeping (`CD_moveReceipt`) is an ordinary field:
//!   leave it out of the struct.
//!
//! build.rs generation does the same for every `CD_` record type with
//! `Builder::core_data(true)`: struct `Trip`, field `destination_name`, and no `entity_name`
//! field, so that the entity name is always written.
//!
//! Problems become `compile_error!`s at the field or attribute they are about, never a panic,
//! so the macro behaves in rust-analyzer too.

#![warn(missing_docs)]

use proc_macro::TokenStream;

/// Implements `CloudKitRecord` and the typed field, query and subscription builders for a
/// struct, after checking it against the schema named by `#[cloudkit(schema = "...")]`.
#[proc_macro_derive(CloudKitRecord, attributes(cloudkit))]
pub fn derive_cloudkit_record(input: TokenStream) -> TokenStream {
    cloudkit_codegen::derive_record(input.into()).into()
}

/// Implements `CloudKitRecords` for an enum with one tuple variant per record type
/// (`enum AppRecord { Note(Note), Folder(Folder) }`): each record decodes into the variant of
/// its record type.
#[proc_macro_derive(CloudKitRecords)]
pub fn derive_cloudkit_records(input: TokenStream) -> TokenStream {
    cloudkit_codegen::derive_records(input.into()).into()
}
