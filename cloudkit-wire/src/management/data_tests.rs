//! Every v1 data shape against examples built from the spec's tables (spec §4.7, §4.8, §5, §6):
//! each example decodes, re-encodes to the same JSON, and the encoding is snapshotted.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::*;
use crate::ws::Environment;

fn round_trip<T: Serialize + DeserializeOwned>(example: &str) -> String {
    let decoded: T = serde_json::from_str(example).expect("the example decodes");
    let encoded = serde_json::to_string_pretty(&decoded).expect("encodes");
    let expected: serde_json::Value = serde_json::from_str(example).expect("example is JSON");
    let actual: serde_json::Value = serde_json::from_str(&encoded).expect("encoding is JSON");
    assert_eq!(actual, expected, "round trip changed the JSON");
    encoded
}

/// §4.7 `ZonesResponse`: the default zone with every key, a custom zone with the required ones.
const ZONES_EXAMPLE: &str = r#"{
  "zones": [
    {"zoneName": "_defaultZone", "canonicalName": "_defaultZone", "zoneType": "DEFAULT_ZONE",
     "isDefaultZone": true, "atomic": false, "isSharable": false,
     "isEligibleForZoneShare": false, "isEligibleForHierarchicalShare": false,
     "ownerRecordName": "_abc", "changeToken": "ct-1"},
    {"zoneName": "Work", "canonicalName": "Work", "zoneType": "REGULAR_CUSTOM_ZONE",
     "isDefaultZone": false, "atomic": true}
  ],
  "continuationToken": "zones-2"
}"#;

#[test]
fn zone_shapes_round_trip() {
    insta::assert_snapshot!(
        "v1_zones_response",
        round_trip::<ZonesResponse>(ZONES_EXAMPLE)
    );
    let one = r#"{"zone": {"zoneName": "Work", "canonicalName": "Work",
        "zoneType": "REGULAR_CUSTOM_ZONE", "isDefaultZone": false, "atomic": true}}"#;
    insta::assert_snapshot!("v1_zone_response", round_trip::<ZoneResponse>(one));
    insta::assert_snapshot!(
        "v1_create_zone_request",
        serde_json::to_string(&CreateZoneRequest::named("Work")).expect("encodes")
    );
    // A zone without canonicalName fails, as in CKTool JS (§5.2).
    assert!(serde_json::from_str::<ZoneId>(r#"{"zoneName": "Work"}"#).is_err());
}

/// §6.2: one value of each of the 29 types, then nulls.
const FIELDS_EXAMPLE: &str = r#"{
  "s": {"type": "stringType", "value": "hello"},
  "i": {"type": "int64Type", "value": 9223372036854775807},
  "d": {"type": "doubleType", "value": 2.5},
  "t": {"type": "timestampType", "value": "2024-01-01T12:00:00.000Z"},
  "b": {"type": "bytesType", "value": "aGk="},
  "r": {"type": "referenceType", "value": {"recordName": "folder-1", "owner": "_abc",
        "zone": {"zoneName": "Work", "canonicalName": "Work", "zoneType": "REGULAR_CUSTOM_ZONE",
                 "ownerRecordName": "_abc"}, "action": "DELETE_SELF"}},
  "a": {"type": "assetType", "value": {"size": 3, "receipt": "r", "fileChecksum": "f",
        "wrappingKey": "w", "referenceChecksum": "c", "downloadUrl": "https://example.invalid/a"}},
  "l": {"type": "locationType", "value": {"latitude": 37.5, "longitude": -122.25,
        "altitude": 10.5, "horizontalAccuracy": 5.5, "verticalAccuracy": 3.5, "course": 90.5,
        "speed": 1.5, "timestamp": "2024-01-01T12:00:00.000Z"}},
  "sl": {"type": "stringListType", "value": ["a", "b"]},
  "il": {"type": "int64ListType", "value": [-9223372036854775808, 0]},
  "dl": {"type": "doubleListType", "value": [1, 0.5]},
  "tl": {"type": "timestampListType", "value": ["2024-01-01T12:00:00.000Z"]},
  "bl": {"type": "bytesListType", "value": ["", "AA=="]},
  "rl": {"type": "referenceListType", "value": [{"recordName": "n"}]},
  "al": {"type": "assetListType", "value": [{"downloadUrl": "https://example.invalid/b"}]},
  "ll": {"type": "locationListType", "value": [{"latitude": 1.5, "longitude": 2.5}]},
  "el": {"type": "emptyListType", "value": []},
  "es": {"type": "encryptedStringType", "value": "secret"},
  "ei": {"type": "encryptedNumberInt64Type", "value": -1},
  "ed": {"type": "encryptedNumberDoubleType", "value": 0.25},
  "et": {"type": "encryptedTimestampType", "value": "2024-01-01T12:00:00.000Z"},
  "eb": {"type": "encryptedBytesType", "value": "AQID"},
  "eloc": {"type": "encryptedLocationType", "value": {"latitude": 0.5, "longitude": 0.5}},
  "esl": {"type": "encryptedStringListType", "value": ["x"]},
  "eil": {"type": "encryptedNumberInt64ListType", "value": [1, 2]},
  "edl": {"type": "encryptedNumberDoubleListType", "value": [1.5]},
  "etl": {"type": "encryptedTimestampListType", "value": ["2024-01-01T12:00:00.000Z"]},
  "ebl": {"type": "encryptedBytesListType", "value": ["AQID"]},
  "elocl": {"type": "encryptedLocationListType", "value": [{"latitude": 0.5, "longitude": 0.5}]},
  "nothing": {"type": "stringType"},
  "nolist": {"type": "int64ListType"}
}"#;

/// §5.1 `RecordResponse` around those fields, with every optional record key.
fn record_example() -> String {
    format!(
        r#"{{"record": {{
  "recordName": "note-1", "recordType": "Note", "recordChangeTag": "tag-1",
  "fields": {FIELDS_EXAMPLE},
  "created": {{"timestamp": "2024-01-01T12:00:00.000Z", "userRecordName": "_abc", "deviceId": "dev"}},
  "modified": {{"timestamp": "2024-01-02T12:00:00.000Z", "userRecordName": "_abc"}},
  "otherSystemFields": {{"___createTime": {{"type": "timestampType", "value": "2024-01-01T12:00:00.000Z"}}}},
  "zone": {{"zoneName": "_defaultZone", "canonicalName": "_defaultZone"}},
  "shortGuid": "0abc", "share": {{"recordName": "share-1"}}, "parent": {{}},
  "publicPermission": "READ_ONLY",
  "participants": [{{"participantId": "p1", "type": "OWNER", "acceptanceStatus": "ACCEPTED",
    "permission": "READ_WRITE", "userIdentity": {{"userRecordName": "_abc",
    "nameComponents": {{"givenName": "Alice", "familyName": "Doe", "nickname": "Al"}},
    "lookupInfo": {{"emailAddress": "alice@example.invalid"}}}}}}],
  "owner": {{"userIdentity": {{}}}}, "currentUserParticipant": {{"userIdentity": {{}}}},
  "stableUrl": {{"routingKey": "k", "shortTokenHash": "h", "displayedHostname": "www.icloud.com"}}
}}}}"#
    )
}

#[test]
fn record_response_with_every_field_type_round_trips() {
    let encoded = round_trip::<RecordResponse>(&record_example());
    let record: RecordResponse = serde_json::from_str(&encoded).expect("decodes");
    let fields = &record.record.fields;
    let types: std::collections::BTreeSet<_> = fields.values().map(|v| v.field_type()).collect();
    assert_eq!(types.len(), FieldType::ALL.len(), "every type once");
    assert_eq!(fields["i"], FieldValue::Int64(i64::MAX));
    assert_eq!(fields["b"], FieldValue::Bytes(b"hi".to_vec()));
    assert_eq!(fields["nothing"], FieldValue::Null(FieldType::String));
    insta::assert_snapshot!("v1_record_response", encoded);
}

#[test]
fn field_values_follow_the_wire_rules() {
    let read = |json: &str| serde_json::from_str::<FieldValue>(json);
    let write = |v: &FieldValue| serde_json::to_string(v).expect("encodes");
    // Null: `type` only (§6.1); `value: null` reads the same.
    assert_eq!(
        write(&FieldValue::Null(FieldType::Bytes)),
        r#"{"type":"bytesType"}"#
    );
    assert_eq!(
        read(r#"{"type":"bytesType","value":null}"#).ok(),
        Some(FieldValue::Null(FieldType::Bytes))
    );
    // Integral doubles without a fraction; int64 as a decimal string is accepted on read.
    assert_eq!(
        write(&FieldValue::Double(2.0)),
        r#"{"type":"doubleType","value":2}"#
    );
    assert!(serde_json::to_string(&FieldValue::Double(f64::NAN)).is_err());
    let place = r#"{"type":"locationType","value":{"latitude":37,"longitude":-122,"speed":0}}"#;
    let read_place = read(place).expect("decodes");
    assert_eq!(write(&read_place), place);
    assert_eq!(
        read(r#"{"type":"int64Type","value":"12"}"#).ok(),
        Some(FieldValue::Int64(12))
    );
    // Exact type names; no booleans; strict base64; int64 never rounded through f64.
    assert!(read(r#"{"type":"StringType","value":"x"}"#).is_err());
    assert!(read(r#"{"type":"boolType","value":true}"#).is_err());
    assert!(read(r#"{"type":"bytesType","value":"aGk"}"#).is_err());
    assert!(read(r#"{"type":"int64Type","value":1.5}"#).is_err());
    assert!(read(r#"{"type":"int64Type","value":9223372036854775808}"#).is_err());
    assert!(read(r#"{"type":"emptyListType","value":["x"]}"#).is_err());
    for kind in FieldType::ALL {
        assert_eq!(FieldType::from_wire(kind.as_str()), Some(kind));
    }
    // A numeric change timestamp is refused, as CKTool JS refuses it (§5.1).
    assert!(
        serde_json::from_str::<ChangeMetadata>(
            r#"{"timestamp":1704110400000,"userRecordName":"u"}"#
        )
        .is_err()
    );
}

/// §4.8 `LookupRecordsResponse` with the three result types.
fn lookup_example() -> String {
    let record = record_example();
    let record: serde_json::Value = serde_json::from_str(&record).expect("json");
    format!(
        r#"{{"recordResults": [
  {{"type": "existing", "recordName": "note-1", "record": {}}},
  {{"type": "deleted", "recordName": "note-2"}},
  {{"type": "error", "recordName": "nope", "errorCode": "NOT_FOUND", "message": "no such record"}}
]}}"#,
        record["record"]
    )
}

#[test]
fn lookup_shapes_round_trip() {
    let request = LookupRecordsRequest {
        record_names: vec!["note-1".into(), "nope".into()],
        requested_fields: Some(vec!["title".into()]),
    };
    insta::assert_snapshot!(
        "v1_lookup_request",
        serde_json::to_string(&request).expect("encodes")
    );
    let encoded = round_trip::<LookupRecordsResponse>(&lookup_example());
    let answer: LookupRecordsResponse = serde_json::from_str(&encoded).expect("decodes");
    insta::assert_snapshot!("v1_lookup_response", encoded);
    assert!(answer.record_results[0].record().is_some());
    // The discriminator is exact: an unknown or differently cased `type` fails the answer.
    assert!(
        serde_json::from_str::<RecordResult>(r#"{"type":"Deleted","recordName":"x"}"#).is_err()
    );
}

#[test]
fn create_and_modify_requests_match_the_spec() {
    let mut fields = Fields::new();
    fields.insert("title".into(), FieldValue::String("hello".into()));
    fields.insert("body".into(), FieldValue::Null(FieldType::String));
    fields.insert(
        "folder".into(),
        FieldValue::Reference(RecordReference {
            zone: Some(ZoneId::named("_defaultZone")),
            ..RecordReference::to("folder-1")
        }),
    );
    let create = CreateRecordRequest::new("Note", fields.clone()).named("note-1");
    insta::assert_snapshot!(
        "v1_create_record_request",
        serde_json::to_string_pretty(&create).expect("encodes")
    );
    let modify = ModifyRecordRequest {
        record_type: "Note".into(),
        record_change_tag: Some("tag-1".into()),
        fields,
        ..ModifyRecordRequest::default()
    };
    insta::assert_snapshot!(
        "v1_modify_record_request",
        serde_json::to_string_pretty(&modify).expect("encodes")
    );
}

/// §4.8 `QueryRecordsRequest` with the v1-only filter spellings and a sort.
const QUERY_EXAMPLE: &str = r#"{
  "query": {
    "recordType": "Note",
    "filters": [
      {"type": "LIST_NOT_CONTAINS", "fieldName": "tags", "fieldValue": {"type": "stringType", "value": "x"}},
      {"type": "LIST_NOT_CONTAINS_ANY", "fieldName": "tags", "fieldValue": {"type": "stringListType", "value": ["y"]}},
      {"type": "IN", "fieldName": "priority", "fieldValue": {"type": "int64ListType", "value": [1, 2]}},
      {"type": "NEAR", "fieldName": "place", "radiusInKilometers": 1.5,
       "fieldValue": {"type": "locationType", "value": {"latitude": 37.5, "longitude": -122.5}}}
    ],
    "sorts": [{"fieldName": "title", "order": "DESC"}]
  },
  "resultsLimit": 50,
  "continuationToken": "page-2",
  "requestedFields": ["title"]
}"#;

#[test]
fn query_shapes_round_trip() {
    insta::assert_snapshot!(
        "v1_query_request",
        round_trip::<QueryRecordsRequest>(QUERY_EXAMPLE)
    );
    // Sort order is read in any casing and written upper case (§5.8).
    let sort: QuerySort = serde_json::from_str(r#"{"order":"asc"}"#).expect("decodes");
    assert_eq!(
        serde_json::to_string(&sort).expect("encodes"),
        r#"{"order":"ASC"}"#
    );
    // The CKWS spelling is not a v1 filter name.
    assert!(serde_json::from_str::<FilterType>(r#""NOT_LIST_CONTAINS""#).is_err());
    let page = r#"{"records": [{"recordName": "n", "recordType": "Note", "recordChangeTag": "t",
        "fields": {}, "created": {"timestamp": "2024-01-01T12:00:00.000Z", "userRecordName": "_a"},
        "modified": {"timestamp": "2024-01-01T12:00:00.000Z", "userRecordName": "_a"}}],
        "continuationToken": "page-3"}"#;
    insta::assert_snapshot!("v1_records_response", round_trip::<RecordsResponse>(page));
}

#[test]
fn deletion_query_and_changes_shapes_round_trip() {
    let deletion = r#"{"recordType": "Note", "dryRun": true, "resultsLimit": 200,
        "continuationToken": "d-1",
        "filters": [{"type": "EQUALS", "fieldName": "title", "fieldValue": {"type": "stringType", "value": "old"}}]}"#;
    insta::assert_snapshot!(
        "v1_deletion_query_request",
        round_trip::<DeleteRecordsByQueryRequest>(deletion)
    );
    let deleted = r#"{"deletedCount": 2, "continuationToken": "d-2",
        "errors": [{"id": "note-9", "code": "PERMISSION_FAILURE", "message": "not yours"}]}"#;
    insta::assert_snapshot!(
        "v1_deletion_query_response",
        round_trip::<PagedBatchDeleteResponse>(deleted)
    );
    let changes = r#"{"changeToken": "c-1", "resultsLimit": 10,
        "requestedRecordTypes": ["Note"], "requestedFields": ["title"]}"#;
    insta::assert_snapshot!(
        "v1_changes_request",
        round_trip::<RecordChangesRequest>(changes)
    );
    assert!(RecordChangesRequest::default().is_empty());
    let answer = r#"{"recordResults": [{"type": "deleted", "recordName": "note-2"}],
        "moreComing": false, "changeToken": "c-2"}"#;
    insta::assert_snapshot!(
        "v1_changes_response",
        round_trip::<RecordChangesResponse>(answer)
    );
    // `moreComing` is required.
    assert!(serde_json::from_str::<RecordChangesResponse>(r#"{"recordResults": []}"#).is_err());
}

#[test]
fn data_paths_match_the_endpoint_index() {
    let db = DatabasePath::new(
        "iCloud.com.example.notes",
        Environment::Development,
        DatabaseType::Private,
    );
    let paths = [
        db.zones(),
        db.zone("My Zone/1"),
        db.records("_defaultZone"),
        db.record("_defaultZone", "note 1"),
        db.lookup("_defaultZone"),
        db.query("_defaultZone"),
        db.changes("_defaultZone"),
        db.deletion_query("_defaultZone"),
    ];
    insta::assert_snapshot!("v1_data_paths", paths.join("\n"));
}
