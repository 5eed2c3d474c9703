//! Record structs generated in `build.rs` from `schema/notes.ckdb`, with the same typed
//! fields, queries and subscriptions as derived ones; and from `schema/trips.ckdb`, the schema
//! a Core Data app syncing through NSPersistentCloudKitContainer has.
//!
//! ```
//! use cloudkit_example_build_rs::records::Note;
//! use cloudkit_runtime::CloudKitRecord;
//!
//! let note = Note {
//!     title: Some("Shopping".into()),
//!     ..Note::default()
//! };
//! let back = Note::from_record(note.to_record()).expect("round trip");
//! assert_eq!(back, note);
//! let query = Note::query().filter(Note::fields().title().begins_with("Shop"));
//! assert_eq!(query.to_wire().filter_by.len(), 1);
//! ```

#![warn(missing_docs)]

/// The generated record structs.
pub mod records {
    cloudkit_runtime::include_records!("notes");
}

/// The Core Data app's records, generated with `Builder::core_data`: record type `CD_Trip` is
/// struct [`Trip`](trips::Trip), field `CD_startDate` is `start_date`.
pub mod trips {
    cloudkit_runtime::include_records!("trips");
}
