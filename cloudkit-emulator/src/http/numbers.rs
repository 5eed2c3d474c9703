//! `numbersAsStrings: true`: INT64 values (and INT64_LIST elements) go out as JSON strings, so
//! that JavaScript clients keep all 64 bits (spec §4.6). Applied to the encoded response, only
//! when asked for, so the usual path stays typed end to end.

use serde_json::Value as Json;

/// Rewrites every `{"value": n, "type": "INT64"}` (and `INT64_LIST`) under `records[*].fields`
/// and `zones[*].records[*].fields` of an encoded response.
pub fn stringify(body: Vec<u8>) -> Vec<u8> {
    let Ok(mut json) = serde_json::from_slice::<Json>(&body) else {
        return body;
    };
    rewrite_records(json.get_mut("records"));
    if let Some(Json::Array(zones)) = json.get_mut("zones") {
        for zone in zones {
            rewrite_records(zone.get_mut("records"));
        }
    }
    serde_json::to_vec(&json).unwrap_or(body)
}

fn rewrite_records(records: Option<&mut Json>) {
    let Some(Json::Array(records)) = records else {
        return;
    };
    for record in records {
        let Some(Json::Object(fields)) = record.get_mut("fields") else {
            continue;
        };
        for field in fields.values_mut() {
            let tag = field
                .get("type")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned();
            let Some(value) = field.get_mut("value") else {
                continue;
            };
            match (tag.as_str(), value) {
                ("INT64", v @ Json::Number(_)) => *v = Json::String(v.to_string()),
                ("INT64_LIST", Json::Array(items)) => {
                    for item in items.iter_mut().filter(|i| i.is_number()) {
                        *item = Json::String(item.to_string());
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn int64_values_become_strings() {
        let body = br#"{"records":[{"fields":{"a":{"value":9007199254740993,"type":"INT64"},"b":{"value":[1,2],"type":"INT64_LIST"},"c":{"value":1.5,"type":"DOUBLE"}}}]}"#;
        let out = String::from_utf8(super::stringify(body.to_vec())).unwrap_or_default();
        assert_eq!(
            out,
            r#"{"records":[{"fields":{"a":{"type":"INT64","value":"9007199254740993"},"b":{"type":"INT64_LIST","value":["1","2"]},"c":{"type":"DOUBLE","value":1.5}}}]}"#
        );
    }
}
