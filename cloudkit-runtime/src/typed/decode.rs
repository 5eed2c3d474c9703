//! The derive's record decoder: a `records` element read straight into the user's struct.
//!
//! The generated code supplies only a slot per field ([`FieldSlots`]): which names it knows,
//! and how to build the struct once the element has been read. Everything else (error
//! dictionaries, tombstones, system fields, unknown keys) is the runtime's, shared with the
//! dynamic path through `AnyRecordElement`.
//!
//! Two readings of the same JSON: the *exact* one expects every field to carry the `type`
//! the schema gives it and decodes each `value` straight as that type, wherever `value`
//! comes, failing on any other `type`; the *lenient* one accepts whatever the field value
//! dictionary says (an INT64 in a DOUBLE field, ENCRYPTED_BYTES, no `type`) and lets the
//! codec judge. A response is read exactly
//! first and, only if that fails, read again leniently; both give the same values.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::__private::Codec;
use crate::codec::kind::Kind;
use crate::record::{CloudKitRecord, DecodeError, SystemFields, check_type_of};
use crate::wire::{
    AnyRecordElement, ExactFieldValueSeed, FieldValueSeed, FieldsPayload, Scratch,
    TypedRecordResult,
};

/// The fields of one record as the generated struct reads them: one `Option` slot per field.
pub trait FieldSlots: Default {
    /// The struct the slots build.
    type Record: CloudKitRecord;

    /// Reads the value of field `name` into its slot through `value`; `false` if the struct
    /// has no such field (the runtime then skips the value).
    fn read<'de, A: MapAccess<'de>>(
        &mut self,
        name: &str,
        value: &mut FieldReader<'_, 'de, A>,
    ) -> Result<bool, A::Error>;

    /// Builds the struct; an empty slot is an absent field.
    fn finish(self, system: SystemFields) -> Result<Self::Record, DecodeError>;
}

/// Hands one field value to its codec.
pub struct FieldReader<'a, 'de, A> {
    map: &'a mut A,
    scratch: &'a mut Scratch<'de>,
    exact: bool,
}

impl<'de, A: MapAccess<'de>> FieldReader<'_, 'de, A> {
    /// Decodes the value through `codec`: `None` for a null value (absent, as in
    /// `from_record`), else the value or why the codec rejected it. A rejected value fails
    /// only its record, and only once the record is built, so that errors are reported in
    /// the struct's field order, as `from_record` reports them.
    pub fn read<K: Kind, T>(
        &mut self,
        name: &'static str,
        codec: Codec<K, T>,
    ) -> Result<Option<Result<T, DecodeError>>, A::Error> {
        let value = if self.exact {
            self.map
                .next_value_seed(ExactFieldValueSeed(K::WIRE_TYPE))?
        } else {
            self.map
                .next_value_seed(FieldValueSeed::expecting(self.scratch, K::WIRE_TYPE))?
        };
        if value.value.is_null() {
            return Ok(None);
        }
        Ok(Some(codec.decode(value).map_err(|e| e.in_field(name))))
    }
}

/// A slot's value: what was read, or the codec's absent value (`None`, an empty `Vec`) or a
/// `Missing` error; errors name the field and the record.
pub fn take_slot<K, T>(
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
    let element = AnyRecordElement::<Slots<S, false>>::deserialize(d)?;
    Ok(element.classify_with(build))
}

/// Decodes one `records` element with the generated slots `S`, exactly: a field value of
/// another type than the schema's fails the whole element.
pub fn deserialize_record_element_exact<'de, S: FieldSlots, D: Deserializer<'de>>(
    d: D,
) -> Result<TypedRecordResult<S::Record>, D::Error> {
    let element = AnyRecordElement::<Slots<S, true>>::deserialize(d)?;
    Ok(element.classify_with(build))
}

fn build<S: FieldSlots, const EXACT: bool>(
    e: AnyRecordElement<Slots<S, EXACT>>,
) -> Result<S::Record, DecodeError> {
    let record_type = S::Record::RECORD_TYPE;
    check_type_of(
        e.record_type.as_deref(),
        e.record_name.as_deref(),
        record_type,
    )?;
    let system = SystemFields {
        record_name: e.record_name,
        change_tag: e.record_change_tag,
        zone_id: e.zone_id,
        created: e.created,
        modified: e.modified,
        share: e.share,
        parent: e.parent,
    };
    e.fields.unwrap_or_default().slots.finish(system)
}

/// The `fields` object of one element, read exactly or leniently.
#[derive(Default)]
pub(crate) struct Slots<S, const EXACT: bool> {
    slots: S,
    /// How many keys the object had (a tombstone has none).
    keys: usize,
}

impl<S, const EXACT: bool> FieldsPayload for Slots<S, EXACT> {
    fn is_empty(&self) -> bool {
        self.keys == 0
    }
}

impl<'de, S: FieldSlots, const EXACT: bool> Deserialize<'de> for Slots<S, EXACT> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SlotsVisitor(Slots::default()))
    }
}

struct SlotsVisitor<S, const EXACT: bool>(Slots<S, EXACT>);

impl<'de, S: FieldSlots, const EXACT: bool> Visitor<'de> for SlotsVisitor<S, EXACT> {
    type Value = Slots<S, EXACT>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of field value dictionaries")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Slots<S, EXACT>, E> {
        Ok(self.0)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Slots<S, EXACT>, A::Error> {
        let mut out = self.0;
        let mut scratch = Scratch::default();
        while let Some(name) = map.next_key_seed(FieldName)? {
            out.keys += 1;
            let mut reader = FieldReader {
                map: &mut map,
                scratch: &mut scratch,
                exact: EXACT,
            };
            if !out.slots.read(&name, &mut reader)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
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
