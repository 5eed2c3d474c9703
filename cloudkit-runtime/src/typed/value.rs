//! Right-hand sides of filters.
//!
//! [`QueryValue`] is defined in cloudkit-wire beside [`FieldCodec`](crate::codec::FieldCodec):
//! its `&str` implementation sits next to the one for every `FieldCodec` type, which Rust
//! accepts only in the crate that owns `FieldCodec`.

pub use cloudkit_wire::codec::QueryValue;
