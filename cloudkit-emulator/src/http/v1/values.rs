//! Field values, references, records and zones between the v1 API's shapes (spec
//! `management-api.md` §5–§7: `stringType`, ISO-8601 times, `zone`, `downloadUrl`) and the
//! Web Services shapes the emulator's operations speak (`STRING`, milliseconds, `zoneID`,
//! `downloadURL`). Pure JSON to JSON, both ways.

use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The Web Services type of a v1 scalar type name (without `List`), and whether it is encrypted.
fn scalar_to_ckws(name: &str) -> Option<(&'static str, bool)> {
    let (plain, encrypted) = match name.strip_prefix("encrypted") {
        Some(rest) => (rest.trim_start_matches("Number"), true),
        None => (name, false),
    };
    let ckws = match plain {
        "string" | "String" => "STRING",
        "int64" | "Int64" => "INT64",
        "double" | "Double" => "DOUBLE",
        "timestamp" | "Timestamp" => "TIMESTAMP",
        "bytes" | "Bytes" => "BYTES",
        "reference" => "REFERENCE",
        "asset" => "ASSETID",
        "location" | "Location" => "LOCATION",
        _ => return None,
    };
    Some((ckws, encrypted))
}

/// The v1 type name of a Web Services scalar type, encrypted or not.
fn scalar_to_v1(ckws: &str, encrypted: bool) -> Option<&'static str> {
    Some(match (ckws, encrypted) {
        ("STRING", false) => "string",
        ("INT64", false) => "int64",
        ("DOUBLE", false) => "double",
        ("TIMESTAMP", false) => "timestamp",
        ("BYTES", false) => "bytes",
        ("REFERENCE", _) => "reference",
        ("ASSETID" | "ASSET", _) => "asset",
        ("LOCATION", false) => "location",
        ("STRING", true) => "encryptedString",
        ("INT64", true) => "encryptedNumberInt64",
        ("DOUBLE", true) => "encryptedNumberDouble",
        ("TIMESTAMP", true) => "encryptedTimestamp",
        ("BYTES" | "ENCRYPTED_BYTES", true) | ("ENCRYPTED_BYTES", false) => "encryptedBytes",
        ("LOCATION", true) => "encryptedLocation",
        _ => return None,
    })
}

fn iso_to_ms(value: &Value) -> Result<Value, String> {
    let text = value
        .as_str()
        .ok_or_else(|| format!("a time is an ISO-8601 string, got {value}"))?;
    let at = OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|e| format!("`{}` is not an ISO-8601 time: {e}", shown(text)))?;
    let ms = at.unix_timestamp_nanos() / 1_000_000;
    i64::try_from(ms)
        .map(|ms| json!(ms))
        .map_err(|_| format!("`{}` is out of range", shown(text)))
}

/// Milliseconds as an ISO-8601 UTC string with milliseconds (what `Date.toISOString` writes).
pub fn ms_to_iso(value: &Value) -> Value {
    let Some(ms) = value.as_i64() else {
        return value.clone();
    };
    match OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000) {
        Ok(at) => {
            let date = at.date();
            let time = at.time();
            json!(format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                date.year(),
                u8::from(date.month()),
                date.day(),
                time.hour(),
                time.minute(),
                time.second(),
                time.millisecond()
            ))
        }
        Err(_) => value.clone(),
    }
}

fn shown(text: &str) -> String {
    text.chars().take(64).collect()
}

fn element_to_ckws(ckws: &str, value: &Value) -> Result<Value, String> {
    Ok(match ckws {
        "TIMESTAMP" => iso_to_ms(value)?,
        "REFERENCE" => reference_to_ckws(value),
        "ASSETID" => rename_key(value, "downloadUrl", "downloadURL"),
        "LOCATION" => match value.get("timestamp") {
            Some(at) if !at.is_null() => {
                let mut location = value.clone();
                location["timestamp"] = iso_to_ms(at)?;
                location
            }
            _ => value.clone(),
        },
        _ => value.clone(),
    })
}

fn element_to_v1(ckws: &str, value: &Value) -> Value {
    match ckws {
        "TIMESTAMP" => ms_to_iso(value),
        "REFERENCE" => reference_to_v1(value),
        "ASSETID" | "ASSET" => rename_key(value, "downloadURL", "downloadUrl"),
        "LOCATION" => match value.get("timestamp") {
            Some(at) if !at.is_null() => {
                let mut location = value.clone();
                location["timestamp"] = ms_to_iso(at);
                location
            }
            _ => value.clone(),
        },
        _ => value.clone(),
    }
}

fn rename_key(value: &Value, from: &str, to: &str) -> Value {
    let mut value = value.clone();
    if let Some(object) = value.as_object_mut()
        && let Some(v) = object.remove(from)
    {
        object.insert(to.to_owned(), v);
    }
    value
}

/// A v1 `RecordReference` (`zone` with `canonicalName`) as a Web Services reference (`zoneID`).
fn reference_to_ckws(value: &Value) -> Value {
    let mut out = Map::new();
    for key in ["recordName", "action"] {
        if let Some(v) = value.get(key).filter(|v| !v.is_null()) {
            out.insert(key.to_owned(), v.clone());
        }
    }
    if let Some(zone) = value.get("zone").filter(|z| z.is_object()) {
        let mut zone_id = Map::new();
        if let Some(name) = zone.get("zoneName") {
            zone_id.insert("zoneName".to_owned(), name.clone());
        }
        if let Some(owner) = zone.get("ownerRecordName").or(value.get("owner")) {
            zone_id.insert("ownerRecordName".to_owned(), owner.clone());
        }
        out.insert("zoneID".to_owned(), Value::Object(zone_id));
    }
    Value::Object(out)
}

/// A Web Services reference as a v1 `RecordReference`.
fn reference_to_v1(value: &Value) -> Value {
    let mut out = Map::new();
    if let Some(name) = value.get("recordName") {
        out.insert("recordName".to_owned(), name.clone());
    }
    if let Some(action) = value.get("action") {
        out.insert("action".to_owned(), action.clone());
    }
    if let Some(zone_id) = value.get("zoneID") {
        out.insert("zone".to_owned(), zone_id_to_v1(zone_id));
    }
    Value::Object(out)
}

/// A Web Services `zoneID` as a v1 `ZoneId` (`canonicalName` is required by CKTool JS; the
/// zone's name serves, as zone names are unique within a database).
pub fn zone_id_to_v1(zone_id: &Value) -> Value {
    let name = zone_id
        .get("zoneName")
        .cloned()
        .unwrap_or_else(|| json!("_defaultZone"));
    let mut out = Map::new();
    out.insert("zoneName".to_owned(), name.clone());
    out.insert("canonicalName".to_owned(), name.clone());
    out.insert(
        "zoneType".to_owned(),
        json!(if name == "_defaultZone" {
            "DEFAULT_ZONE"
        } else {
            "REGULAR_CUSTOM_ZONE"
        }),
    );
    if let Some(owner) = zone_id.get("ownerRecordName") {
        out.insert("ownerRecordName".to_owned(), owner.clone());
    }
    Value::Object(out)
}

/// A v1 field value (`{"type": "int64Type", "value": 42}`) as a Web Services one; `None` for a
/// null (a `type` without `value`), which a write leaves out.
pub fn field_to_ckws(field: &Value) -> Result<Option<Value>, String> {
    let kind = field
        .get("type")
        .and_then(Value::as_str)
        .ok_or("a field value needs its `type`")?;
    let Some(value) = field.get("value").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    if kind == "emptyListType" {
        // Untyped: the schema says which list it is.
        return Ok(Some(json!({"value": []})));
    }
    let (base, list) = match kind.strip_suffix("ListType") {
        Some(base) => (base, true),
        None => (
            kind.strip_suffix("Type")
                .ok_or_else(|| format!("unknown field value type `{}`", shown(kind)))?,
            false,
        ),
    };
    let (ckws, encrypted) = scalar_to_ckws(base)
        .ok_or_else(|| format!("unknown field value type `{}`", shown(kind)))?;
    let (ckws_type, converted) = if list {
        let items = value
            .as_array()
            .ok_or_else(|| format!("a `{}` value is a list", shown(kind)))?;
        let items = items
            .iter()
            .map(|item| element_to_ckws(ckws, item))
            .collect::<Result<Vec<_>, _>>()?;
        (format!("{ckws}_LIST"), Value::Array(items))
    } else {
        (ckws.to_owned(), element_to_ckws(ckws, value)?)
    };
    let mut out = json!({"type": ckws_type, "value": converted});
    if encrypted {
        out["isEncrypted"] = json!(true);
    }
    Ok(Some(out))
}

/// A Web Services field value as a v1 one.
pub fn field_to_v1(field: &Value) -> Value {
    let kind = field
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("STRING");
    let encrypted = field.get("isEncrypted").and_then(Value::as_bool) == Some(true);
    let value = field.get("value").cloned().unwrap_or(Value::Null);
    let (base, list) = match kind.strip_suffix("_LIST") {
        Some(base) => (base, true),
        None => (kind, false),
    };
    let Some(v1) = scalar_to_v1(base, encrypted) else {
        return json!({"type": "stringType", "value": value});
    };
    let converted = if list {
        Value::Array(
            value
                .as_array()
                .map(|items| items.iter().map(|i| element_to_v1(base, i)).collect())
                .unwrap_or_default(),
        )
    } else {
        element_to_v1(base, &value)
    };
    let suffix = if list { "ListType" } else { "Type" };
    if converted.is_null() {
        json!({"type": format!("{v1}{suffix}")})
    } else {
        json!({"type": format!("{v1}{suffix}"), "value": converted})
    }
}

/// The `fields` of a v1 record write as Web Services fields (nulls left out).
pub fn fields_to_ckws(fields: Option<&Value>) -> Result<Value, String> {
    let mut out = Map::new();
    if let Some(fields) = fields.and_then(Value::as_object) {
        for (name, field) in fields {
            if let Some(value) =
                field_to_ckws(field).map_err(|e| format!("field `{}`: {e}", shown(name)))?
            {
                out.insert(name.clone(), value);
            }
        }
    }
    Ok(Value::Object(out))
}

/// A Web Services record dictionary as a v1 `Record`.
pub fn record_to_v1(record: &Value) -> Value {
    let mut out = Map::new();
    for key in ["recordName", "recordType", "recordChangeTag"] {
        out.insert(
            key.to_owned(),
            record.get(key).cloned().unwrap_or_else(|| json!("")),
        );
    }
    let fields: Map<String, Value> = record
        .get("fields")
        .and_then(Value::as_object)
        .map(|f| f.iter().map(|(k, v)| (k.clone(), field_to_v1(v))).collect())
        .unwrap_or_default();
    out.insert("fields".to_owned(), Value::Object(fields));
    for key in ["created", "modified"] {
        let stamp = record.get(key).cloned().unwrap_or_else(|| json!({}));
        let mut meta = Map::new();
        meta.insert(
            "timestamp".to_owned(),
            ms_to_iso(stamp.get("timestamp").unwrap_or(&json!(0))),
        );
        meta.insert(
            "userRecordName".to_owned(),
            stamp
                .get("userRecordName")
                .cloned()
                .unwrap_or_else(|| json!("")),
        );
        if let Some(device) = stamp.get("deviceID") {
            meta.insert("deviceId".to_owned(), device.clone());
        }
        out.insert(key.to_owned(), Value::Object(meta));
    }
    if let Some(zone_id) = record.get("zoneID") {
        out.insert("zone".to_owned(), zone_id_to_v1(zone_id));
    }
    if let Some(guid) = record.get("shortGUID") {
        out.insert("shortGuid".to_owned(), guid.clone());
    }
    if let Some(parent) = record.get("parent") {
        out.insert("parent".to_owned(), reference_to_v1(parent));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cross_both_ways() {
        let cases = [
            (
                json!({"type": "stringType", "value": "a"}),
                json!({"type": "STRING", "value": "a"}),
            ),
            (
                json!({"type": "int64ListType", "value": [1, 2]}),
                json!({"type": "INT64_LIST", "value": [1, 2]}),
            ),
            (
                json!({"type": "timestampType", "value": "2024-01-01T12:00:00.250Z"}),
                json!({"type": "TIMESTAMP", "value": 1_704_110_400_250_i64}),
            ),
            (
                json!({"type": "encryptedNumberInt64Type", "value": 7}),
                json!({"type": "INT64", "value": 7, "isEncrypted": true}),
            ),
            (
                json!({"type": "referenceType", "value": {"recordName": "r", "action": "DELETE_SELF", "zone": {"zoneName": "Z", "canonicalName": "Z", "zoneType": "REGULAR_CUSTOM_ZONE"}}}),
                json!({"type": "REFERENCE", "value": {"recordName": "r", "action": "DELETE_SELF", "zoneID": {"zoneName": "Z"}}}),
            ),
        ];
        for (v1, ckws) in cases {
            assert_eq!(field_to_ckws(&v1), Ok(Some(ckws.clone())), "{v1}");
            assert_eq!(field_to_v1(&ckws), v1, "{ckws}");
        }
        assert_eq!(field_to_ckws(&json!({"type": "stringType"})), Ok(None));
        assert!(field_to_ckws(&json!({"type": "boolType", "value": true})).is_err());
        assert!(field_to_ckws(&json!({"type": "timestampType", "value": 5})).is_err());
    }
}
