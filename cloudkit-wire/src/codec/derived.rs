//! Whole records of the structs `#[derive(CloudKitRecord)]` (or build.rs generation) writes:
//! each field bound once to its codec ([`Codec`]), and the record written and read through
//! those codecs, either as a [`Record`](crate::ws::Record) dictionary ([`RecordWriter`],
//! [`RecordReader`]) or straight between JSON and the struct ([`serialize_record`],
//! [`deserialize_record_element`]).
//!
//! Not public API: cloudkit-runtime's `typed::__private` re-exports these for generated code,
//! and they change together with the code generator. They live here, beside the wire types,
//! because the direct path reads and writes field value dictionaries with the same private
//! decoders the wire types use.

mod decoder;
mod encoder;
mod field;
mod record_dictionary;

pub use decoder::{
    FieldReader, FieldSlots, deserialize_record_element, deserialize_record_element_exact,
    take_slot,
};
pub use encoder::{FieldRef, WriteField, serialize_record};
pub use field::Codec;
pub use record_dictionary::{RecordReader, RecordWriter};
