//! The `fields` object of a record: field names in order, each with its value dictionary.
//!
//! Names are stored inline when short (nearly every CloudKit field name is under 24 bytes), so
//! decoding a record does not allocate once per field name.

use std::fmt;

use compact_str::CompactString;
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use smallvec::SmallVec;

use super::value::{FieldValue, FieldValueSeed, Scratch};

/// The `fields` object of a record, in the order the fields were inserted or received.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fields(Vec<(CompactString, FieldValue)>);

impl Fields {
    /// No fields.
    pub const fn new() -> Self {
        Fields(Vec::new())
    }

    /// Room for `n` fields.
    pub fn with_capacity(n: usize) -> Self {
        Fields(Vec::with_capacity(n))
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of a field.
    pub fn get(&self, name: &str) -> Option<&FieldValue> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Mutable access to the value of a field.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut FieldValue> {
        self.0.iter_mut().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Sets a field, replacing an existing value in place; returns the old value.
    pub fn insert(&mut self, name: impl AsRef<str>, value: FieldValue) -> Option<FieldValue> {
        let name = name.as_ref();
        match self.get_mut(name) {
            Some(slot) => Some(std::mem::replace(slot, value)),
            None => {
                self.0.push((CompactString::new(name), value));
                None
            }
        }
    }

    /// Appends a field without checking for an existing one of the same name (generated code
    /// writes each field once). A name of up to 24 bytes is stored without allocating.
    pub fn push(&mut self, name: impl AsRef<str>, value: FieldValue) {
        self.0.push((CompactString::new(name.as_ref()), value));
    }

    /// [`Fields::push`] for a name fixed at compile time: never allocates for the name.
    pub fn push_static(&mut self, name: &'static str, value: FieldValue) {
        self.0.push((CompactString::const_new(name), value));
    }

    /// Removes a field and returns its value.
    pub fn remove(&mut self, name: &str) -> Option<FieldValue> {
        let at = self.0.iter().position(|(n, _)| n == name)?;
        Some(self.0.remove(at).1)
    }

    /// Removes a field and returns its value, moving the last field into its place (the
    /// order of the rest is not kept); for readers that take every field out once.
    pub(crate) fn take(&mut self, name: &str) -> Option<FieldValue> {
        let at = self.0.iter().position(|(n, _)| n == name)?;
        Some(self.0.swap_remove(at).1)
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &FieldValue)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v))
    }

    /// The fields in order, values mutable.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut FieldValue)> {
        self.0.iter_mut().map(|(n, v)| (n.as_str(), v))
    }

    /// Field names in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(n, _)| n.as_str())
    }
}

/// The fields of a [`Fields`] by value, in order: what `for (name, value) in fields` walks.
#[derive(Debug)]
pub struct FieldsIntoIter(std::vec::IntoIter<(CompactString, FieldValue)>);

impl Iterator for FieldsIntoIter {
    type Item = (String, FieldValue);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(n, v)| (n.into_string(), v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for FieldsIntoIter {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(n, v)| (n.into_string(), v))
    }
}

impl ExactSizeIterator for FieldsIntoIter {}

impl std::iter::FusedIterator for FieldsIntoIter {}

impl IntoIterator for Fields {
    type Item = (String, FieldValue);
    type IntoIter = FieldsIntoIter;

    fn into_iter(self) -> Self::IntoIter {
        FieldsIntoIter(self.0.into_iter())
    }
}

impl<N: AsRef<str>> FromIterator<(N, FieldValue)> for Fields {
    fn from_iter<I: IntoIterator<Item = (N, FieldValue)>>(iter: I) -> Self {
        let mut fields = Fields::new();
        for (n, v) in iter {
            fields.insert(n, v);
        }
        fields
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name.as_str(), value)?;
        }
        map.end()
    }
}

/// A field name, copied inline when short.
struct Name;

impl<'de> DeserializeSeed<'de> for Name {
    type Value = CompactString;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<CompactString, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for Name {
    type Value = CompactString;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<CompactString, E> {
        Ok(CompactString::new(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<CompactString, E> {
        Ok(CompactString::from(v))
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of field value dictionaries")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Fields, E> {
                Ok(Fields::new())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut staged: SmallVec<[(CompactString, FieldValue); 16]> = SmallVec::new();
                let mut scratch = Scratch::default();
                while let Some(name) = map.next_key_seed(Name)? {
                    let value = map.next_value_seed(FieldValueSeed::new(&mut scratch))?;
                    staged.push((name, value));
                }
                Ok(Fields(staged.into_vec()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ws::Value;

    #[test]
    fn names_short_and_long_keep_their_order_and_round_trip() {
        let long = "a_field_name_well_past_twenty_four_bytes";
        let json = format!(
            r#"{{"title":{{"value":"x","type":"STRING"}},"{long}":{{"value":1,"type":"INT64"}}}}"#
        );
        let fields: Fields = serde_json::from_str(&json).unwrap();
        assert_eq!(fields.names().collect::<Vec<_>>(), ["title", long]);
        assert_eq!(fields.get(long).map(|v| &v.value), Some(&Value::Int64(1)));
        assert_eq!(serde_json::to_string(&fields).unwrap(), json);
        let owned: Vec<(String, FieldValue)> = fields.into_iter().collect();
        assert_eq!(owned[0].0, "title");
        assert_eq!(owned[1].0, long);
    }
}
