//! The field `type` tags ([`WireType`]).

use crate::vocabulary::wire_enum;

wire_enum! {
    /// Every field `type` tag this crate knows (§4.6 of the wire reference).
    closed WireType {
        /// `STRING`.
        String = "STRING",
        /// `INT64`.
        Int64 = "INT64",
        /// `DOUBLE`.
        Double = "DOUBLE",
        /// `TIMESTAMP`: integer milliseconds.
        Timestamp = "TIMESTAMP",
        /// `BYTES`: base64.
        Bytes = "BYTES",
        /// `BOOLEAN` (no schema type; rare).
        Boolean = "BOOLEAN",
        /// `REFERENCE`.
        Reference = "REFERENCE",
        /// `ASSETID`: the tag of schema `ASSET` fields.
        AssetId = "ASSETID",
        /// `ASSET`: seen on some first-party responses; same value shape as `ASSETID`.
        Asset = "ASSET",
        /// `LOCATION`.
        Location = "LOCATION",
        /// `ENCRYPTED_BYTES`: base64, first-party encrypted fields.
        EncryptedBytes = "ENCRYPTED_BYTES",
        /// `STRING_LIST`.
        StringList = "STRING_LIST",
        /// `INT64_LIST`.
        Int64List = "INT64_LIST",
        /// `DOUBLE_LIST`.
        DoubleList = "DOUBLE_LIST",
        /// `TIMESTAMP_LIST`.
        TimestampList = "TIMESTAMP_LIST",
        /// `BYTES_LIST`.
        BytesList = "BYTES_LIST",
        /// `REFERENCE_LIST`.
        ReferenceList = "REFERENCE_LIST",
        /// `ASSETID_LIST`.
        AssetIdList = "ASSETID_LIST",
        /// `LOCATION_LIST`.
        LocationList = "LOCATION_LIST",
        /// `BOOLEAN_LIST`.
        BooleanList = "BOOLEAN_LIST",
        /// `UNKNOWN_LIST`: rare, first-party data; kept as raw JSON.
        UnknownList = "UNKNOWN_LIST",
    }
}

impl WireType {
    /// The list tag whose elements have this type (`STRING` -> `STRING_LIST`); `None` for
    /// list tags and for types without a list form.
    pub const fn list_type(self) -> Option<WireType> {
        Some(match self {
            WireType::String => WireType::StringList,
            WireType::Int64 => WireType::Int64List,
            WireType::Double => WireType::DoubleList,
            WireType::Timestamp => WireType::TimestampList,
            WireType::Bytes => WireType::BytesList,
            WireType::Boolean => WireType::BooleanList,
            WireType::Reference => WireType::ReferenceList,
            WireType::AssetId | WireType::Asset => WireType::AssetIdList,
            WireType::Location => WireType::LocationList,
            _ => return None,
        })
    }

    /// The element tag of a list tag (`STRING_LIST` -> `STRING`).
    pub const fn element_type(self) -> Option<WireType> {
        Some(match self {
            WireType::StringList => WireType::String,
            WireType::Int64List => WireType::Int64,
            WireType::DoubleList => WireType::Double,
            WireType::TimestampList => WireType::Timestamp,
            WireType::BytesList => WireType::Bytes,
            WireType::BooleanList => WireType::Boolean,
            WireType::ReferenceList => WireType::Reference,
            WireType::AssetIdList => WireType::AssetId,
            WireType::LocationList => WireType::Location,
            _ => return None,
        })
    }

    /// Whether this is a list tag.
    pub const fn is_list(self) -> bool {
        matches!(self, WireType::UnknownList) || self.element_type().is_some()
    }
}
