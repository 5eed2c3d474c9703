//! The derive's record decoder: a `records` element read straight into the user's struct.
//!
//! The generated code supplies only a slot per field ([`FieldSlots`]): which names it knows,
//! and how to build the struct once the element has been read. Everything else (error
//! dictionaries, tombstones, system fields, unknown keys) is this crate's, classified as
//! the dynamic path (`AnyRecordElement`) classifies them.
//!
//! Two readings of the same JSON: the *exact* one expects every field to carry the `type`
//! the schema gives it and decodes each `value` straight as that type, wherever `value`
//! comes, failing on any other `type`; the *lenient* one accepts whatever the field value
//! dictionary says (an INT64 in a DOUBLE field, ENCRYPTED_BYTES, no `type`) and lets the
//! codec judge. A response is read exactly first and, only if that fails, read again
//! leniently; where both succeed they give the same values (`tests/typed_records.rs`).
//!
//! Why not one lenient reading: deciding per value which way to read it needs the `type`,
//! which usually comes after the `value`, so the value would be buffered first; reading
//! straight into the expected type is what brings decoding within 10% of hand-written serde.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::field::Codec;
use crate::codec::kind::Kind;
use crate::decode_error::DecodeError;
use crate::record::{CloudKitRecord, SystemFields, check_type_of};
use crate::ws::{
    ErrorDictionary, ExactTag, FieldKey, FieldValueSeed, RecordEntry, Scratch, ServerError,
    ServerErrorCode, Tombstone, TypedRecordResult, WireType,
};

/// The fields of one record as the generated struct reads them: one `Option` slot per field.
pub trait FieldSlots: Default {
    /// The struct the slots build.
    type Record: CloudKitRecord;

    /// Reads the value of field `name` into its slot through `value`; `false` if the struct
    /// has no such field (the runtime then skips the value).
    fn read<'de, A: MapAccess<'de>, const EXACT: bool>(
        &mut self,
        name: &str,
        value: &mut FieldReader<'_, 'de, A, EXACT>,
    ) -> Result<bool, A::Error>;

    /// Builds the struct; an empty slot is an absent field.
    fn finish(self, system: SystemFields) -> Result<Self::Record, DecodeError>;
}

/// Hands one field value to its codec; `EXACT` for the exact reading.
pub struct FieldReader<'a, 'de, A, const EXACT: bool> {
    map: &'a mut A,
    scratch: &'a mut Scratch<'de>,
}

impl<'de, A: MapAccess<'de>, const EXACT: bool> FieldReader<'_, 'de, A, EXACT> {
    /// Decodes the value through `codec`: `None` for a null value (absent, as in
    /// `from_record`), else the value or why the codec rejected it. A rejected value fails
    /// only its record, and only once the record is built, so that errors are reported in
    /// the struct's field order, as `from_record` reports them.
    #[inline]
    pub fn read<K: Kind, T>(
        &mut self,
        name: &'static str,
        codec: Codec<K, T>,
    ) -> Result<Option<Result<T, DecodeError>>, A::Error> {
        if EXACT {
            let natural = self.map.next_value_seed(ExactField::<K>(PhantomData))?;
            Ok(natural.map(|n| codec.from_natural(n).map_err(|e| e.in_field(name))))
        } else {
            self.read_lenient(name, codec)
        }
    }

    // Kept out of line: the exact reading is the one that runs, and its code stays small.
    #[inline(never)]
    fn read_lenient<K: Kind, T>(
        &mut self,
        name: &'static str,
        codec: Codec<K, T>,
    ) -> Result<Option<Result<T, DecodeError>>, A::Error> {
        let value = self
            .map
            .next_value_seed(FieldValueSeed::expecting(self.scratch, K::WIRE_TYPE))?;
        if value.value.is_null() {
            return Ok(None);
        }
        Ok(Some(codec.decode(value).map_err(|e| e.in_field(name))))
    }
}

/// A slot's value: what was read, or the codec's absent value (`None`, an empty `Vec`) or a
/// `Missing` error; errors name the field and the record.
#[inline]
pub fn take_slot<K: Kind, T>(
    slot: Option<Result<T, DecodeError>>,
    name: &'static str,
    codec: Codec<K, T>,
    record_type: &'static str,
    system: &SystemFields,
) -> Result<T, DecodeError> {
    let value = match slot {
        Some(read) => read,
        None => codec.absent().map_err(|e| e.in_field(name)),
    };
    value.map_err(|e| e.in_record(record_type, system.record_name()))
}

/// Decodes one `records` element with the generated slots `S`, leniently.
pub fn deserialize_record_element<'de, S: FieldSlots, D: Deserializer<'de>>(
    d: D,
) -> Result<TypedRecordResult<S::Record>, D::Error> {
    d.deserialize_map(Element::<S, false>(PhantomData))
}

/// Decodes one `records` element with the generated slots `S`, exactly: a field value of
/// another type than the schema's fails the whole element.
pub fn deserialize_record_element_exact<'de, S: FieldSlots, D: Deserializer<'de>>(
    d: D,
) -> Result<TypedRecordResult<S::Record>, D::Error> {
    d.deserialize_map(Element::<S, true>(PhantomData))
}

/// The keys of a `records` element that a typed record, a tombstone or an error needs;
/// the rest (share details, `pluginFields`) are skipped.
#[derive(Clone, Copy, Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum ElementKey {
    RecordName,
    RecordType,
    RecordChangeTag,
    Fields,
    Created,
    Modified,
    Deleted,
    #[serde(rename = "zoneID")]
    ZoneId,
    Parent,
    Share,
    ServerErrorCode,
    ExtensionErrorCode,
    Reason,
    RetryAfter,
    Uuid,
    #[serde(rename = "redirectURL", alias = "redirectUrl")]
    RedirectUrl,
    #[serde(other)]
    Other,
}

/// The error dictionary keys of an element; rare, so kept out of the element's frame.
#[derive(Default)]
struct ErrorKeys {
    server_error_code: Option<ServerErrorCode>,
    extension_error_code: Option<String>,
    reason: Option<String>,
    retry_after: Option<f64>,
    uuid: Option<String>,
    redirect_url: Option<String>,
}

/// Reads one element: the slots are filled in place, so a record's values are moved only
/// once, into the struct.
struct Element<S, const EXACT: bool>(PhantomData<fn() -> S>);

impl<'de, S: FieldSlots, const EXACT: bool> Visitor<'de> for Element<S, EXACT> {
    type Value = TypedRecordResult<S::Record>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record, a tombstone or a record error")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut slots = S::default();
        let mut field_count = 0;
        let mut system = SystemFields::default();
        let mut record_type: Option<String> = None;
        let mut deleted: Option<bool> = None;
        let mut error: Option<Box<ErrorKeys>> = None;
        let mut seen = 0u32;
        while let Some(key) = map.next_key::<ElementKey>()? {
            // Like a derived `Deserialize`, a repeated key is an error.
            let bit = 1u32 << (key as u32);
            if seen & bit != 0 && !matches!(key, ElementKey::Other) {
                return Err(de::Error::custom("duplicate key in a records element"));
            }
            seen |= bit;
            match key {
                ElementKey::RecordName => system.record_name = map.next_value()?,
                ElementKey::RecordType => record_type = map.next_value()?,
                ElementKey::RecordChangeTag => system.change_tag = map.next_value()?,
                ElementKey::Fields => {
                    field_count =
                        map.next_value_seed(FieldsSeed::<S, EXACT> { slots: &mut slots })?;
                }
                ElementKey::Created => system.created = map.next_value()?,
                ElementKey::Modified => system.modified = map.next_value()?,
                ElementKey::Deleted => deleted = map.next_value()?,
                ElementKey::ZoneId => system.zone_id = map.next_value()?,
                ElementKey::Parent => system.parent = map.next_value()?,
                ElementKey::Share => system.share = map.next_value()?,
                ElementKey::ServerErrorCode => {
                    error.get_or_insert_default().server_error_code = map.next_value()?;
                }
                ElementKey::ExtensionErrorCode => {
                    error.get_or_insert_default().extension_error_code = map.next_value()?;
                }
                ElementKey::Reason => error.get_or_insert_default().reason = map.next_value()?,
                ElementKey::RetryAfter => {
                    error.get_or_insert_default().retry_after = map.next_value()?;
                }
                ElementKey::Uuid => error.get_or_insert_default().uuid = map.next_value()?,
                ElementKey::RedirectUrl => {
                    error.get_or_insert_default().redirect_url = map.next_value()?;
                }
                ElementKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        // The same classification as the dynamic path's (`AnyRecordElement::classify_with`).
        if let Some(error) = error
            && (error.server_error_code.is_some() || error.extension_error_code.is_some())
        {
            let error = *error;
            return Ok(Err(ServerError::from(ErrorDictionary {
                record_name: system.record_name,
                subscription_id: None,
                zone_id: system.zone_id,
                server_error_code: error.server_error_code,
                extension_error_code: error.extension_error_code,
                reason: error.reason,
                retry_after: error.retry_after,
                uuid: error.uuid,
                redirect_url: error.redirect_url,
            })));
        }
        if deleted == Some(true)
            && record_type.is_none()
            && field_count == 0
            && let Some(record_name) = system.record_name
        {
            return Ok(Ok(RecordEntry::Tombstone(Tombstone {
                record_name,
                zone_id: system.zone_id,
            })));
        }
        let expected = S::Record::RECORD_TYPE;
        let record = match check_type_of(
            record_type.as_deref(),
            system.record_name.as_deref(),
            expected,
        ) {
            Ok(()) => slots.finish(system),
            Err(e) => Err(e),
        };
        Ok(Ok(RecordEntry::Record(record)))
    }
}

/// The `fields` object of one element, read into slots that live in the element's frame;
/// gives the number of fields it held.
struct FieldsSeed<'a, S, const EXACT: bool> {
    slots: &'a mut S,
}

impl<'de, S: FieldSlots, const EXACT: bool> DeserializeSeed<'de> for FieldsSeed<'_, S, EXACT> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S: FieldSlots, const EXACT: bool> Visitor<'de> for FieldsSeed<'_, S, EXACT> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of field value dictionaries")
    }

    fn visit_unit<E: de::Error>(self) -> Result<usize, E> {
        Ok(0)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
        let mut count = 0;
        let mut scratch = Scratch::default();
        while let Some(name) = map.next_key_seed(FieldName)? {
            count += 1;
            let mut reader = FieldReader::<'_, 'de, A, EXACT> {
                map: &mut map,
                scratch: &mut scratch,
            };
            if !self.slots.read(&name, &mut reader)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(count)
    }
}

/// A field name, borrowed from the input unless it holds escapes.
struct FieldName;

impl<'de> DeserializeSeed<'de> for FieldName {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for FieldName {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// A field value dictionary whose `type` must be `K`'s: `value` is read as `K` holds it,
/// wherever it comes; any other `type`, or none, is an error (the exact reading's).
struct ExactField<K>(PhantomData<fn() -> K>);

impl<'de, K: Kind> DeserializeSeed<'de> for ExactField<K> {
    type Value = Option<K::Natural>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, K: Kind> Visitor<'de> for ExactField<K> {
    type Value = Option<K::Natural>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a field value dictionary of type {}", K::WIRE_TYPE)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut value: Option<K::Natural> = None;
        exact_field_keys(map, K::WIRE_TYPE, &mut |map: &mut A| {
            value = map.next_value_seed(Natural::<K>(PhantomData))?;
            Ok(())
        })?;
        Ok(value)
    }
}

/// The key loop of [`ExactField`], shared by every kind (one copy of this code instead of one
/// per kind keeps the decoder's hot code small); `read_value` reads `value`.
#[inline(never)]
fn exact_field_keys<'de, A: MapAccess<'de>>(
    mut map: A,
    expected: WireType,
    read_value: &mut dyn FnMut(&mut A) -> Result<(), A::Error>,
) -> Result<(), A::Error> {
    let mut valued = false;
    let mut typed = false;
    while let Some(key) = map.next_key::<FieldKey>()? {
        match key {
            FieldKey::Value => {
                if valued {
                    return Err(de::Error::duplicate_field("value"));
                }
                read_value(&mut map)?;
                valued = true;
            }
            FieldKey::Type => {
                if typed {
                    return Err(de::Error::duplicate_field("type"));
                }
                map.next_value_seed(ExactTag(expected))?;
                typed = true;
            }
            // The flag does not change how a value decodes.
            FieldKey::IsEncrypted => {
                map.next_value::<Option<bool>>()?;
            }
            FieldKey::Unknown => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    if typed {
        Ok(())
    } else {
        Err(de::Error::missing_field("type"))
    }
}

struct Natural<K>(PhantomData<fn() -> K>);

impl<'de, K: Kind> DeserializeSeed<'de> for Natural<K> {
    type Value = Option<K::Natural>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        K::deserialize_natural(d)
    }
}
