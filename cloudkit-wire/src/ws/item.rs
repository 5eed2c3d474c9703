//! Result arrays whose elements are either a result or an error dictionary (§5.3).
//!
//! Used with `#[serde(with = "item::results")]` on fields of type `Vec<Result<T, ServerError>>`,
//! so callers see one `Result` per requested item and a failed entry is never dropped.

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use super::error::ServerError;

/// Looks only at the keys that make an element an error.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorProbe {
    #[serde(default)]
    server_error_code: Option<IgnoredAny>,
    #[serde(default)]
    extension_error_code: Option<IgnoredAny>,
}

/// Serializes one element: the result itself or its error dictionary.
pub(crate) struct Element<'a, T>(pub(crate) &'a Result<T, ServerError>);

impl<T: Serialize> Serialize for Element<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Ok(item) => item.serialize(s),
            Err(error) => error.serialize(s),
        }
    }
}

/// Decodes one buffered element.
pub(crate) fn classify<T: DeserializeOwned>(
    raw: &str,
) -> serde_json::Result<Result<T, ServerError>> {
    let probe: ErrorProbe = serde_json::from_str(raw)?;
    if probe.server_error_code.is_some() || probe.extension_error_code.is_some() {
        serde_json::from_str(raw).map(Err)
    } else {
        serde_json::from_str(raw).map(Ok)
    }
}

pub(crate) mod results {
    use super::*;

    pub(crate) fn serialize<S, T>(items: &[Result<T, ServerError>], s: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: Serialize,
    {
        let mut seq = s.serialize_seq(Some(items.len()))?;
        for item in items {
            seq.serialize_element(&Element(item))?;
        }
        seq.end()
    }

    pub(crate) fn deserialize<'de, D, T>(d: D) -> Result<Vec<Result<T, ServerError>>, D::Error>
    where
        D: Deserializer<'de>,
        T: DeserializeOwned,
    {
        let raws = Option::<Vec<Box<RawValue>>>::deserialize(d)?.unwrap_or_default();
        raws.iter()
            .enumerate()
            .map(|(i, raw)| {
                classify(raw.get())
                    .map_err(|e| serde::de::Error::custom(format_args!("element {i}: {e}")))
            })
            .collect()
    }
}

/// `moreComing` and similar flags: `null` (seen from the server) reads as `false`.
pub(crate) fn null_as_false<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or(false))
}
