//! Stand-in for the crate's `CloudKitRecord` trait until it lands from the `wire` branch;
//! same shape, so switching is a change of `use` lines.

/// A Rust type stored as a CloudKit record.
pub trait CloudKitRecord: Sized {
    /// The record type name in the schema.
    const RECORD_TYPE: &'static str;
    /// Encodes into a wire record.
    fn to_record(&self) -> crate::wire::Record;
    /// Decodes from a wire record.
    fn from_record(record: crate::wire::Record) -> Result<Self, DecodeError>;
}

/// Why a wire record does not decode.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DecodeError(pub String);

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A record type for unit tests.
    #[derive(Debug)]
    pub(crate) struct Thing;

    impl CloudKitRecord for Thing {
        const RECORD_TYPE: &'static str = "Thing";
        fn to_record(&self) -> crate::wire::Record {
            crate::wire::Record::new(Self::RECORD_TYPE)
        }
        fn from_record(_: crate::wire::Record) -> Result<Self, DecodeError> {
            Ok(Thing)
        }
    }
}
