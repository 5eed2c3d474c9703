use super::*;
use crate::model::{Grant, Name, NumberPreference, Permissions, Role, Span};

fn name(value: &str) -> Name {
    Name {
        value: value.to_owned(),
        quoted: value.starts_with('_'),
        span: Span::default(),
    }
}

fn plain(scalar: ScalarType) -> FieldType {
    FieldType::Element(ElementType::plain(scalar))
}

fn encrypted(scalar: ScalarType) -> FieldType {
    FieldType::Element(ElementType {
        scalar,
        encrypted: true,
    })
}

/// A field from `options`, a string of `Q`, `S` (searchable) and `R` (range/sortable).
fn field(field_name: &str, field_type: FieldType, options: &str) -> Field {
    let on = |c| options.contains(c).then(Span::default);
    Field {
        name: name(field_name),
        field_type,
        type_span: Span::default(),
        indexes: Indexes {
            queryable: on('Q'),
            searchable: on('S'),
            sortable: on('R'),
        },
        declared: true,
        span: Span::default(),
        repeated_options: Vec::new(),
    }
}

fn grant(role: &str, read: bool, create: bool, write: bool) -> Grant {
    Grant {
        permissions: Permissions {
            read,
            create,
            write,
        },
        role: name(role),
        span: Span::default(),
        repeated_permissions: Vec::new(),
    }
}

fn record_type(type_name: &str, fields: Vec<Field>, grants: Vec<Grant>) -> RecordType {
    RecordType {
        name: name(type_name),
        fields,
        grants,
        span: Span::default(),
    }
}

fn schema(roles: &[&str], record_types: Vec<RecordType>) -> Schema {
    Schema {
        roles: roles
            .iter()
            .map(|r| Role {
                name: name(r),
                span: Span::default(),
            })
            .collect(),
        record_types,
    }
}

fn note(fields: Vec<Field>) -> Schema {
    schema(&[], vec![record_type("Note", fields, vec![])])
}

fn lines(d: &SchemaDiff) -> Vec<String> {
    d.changes().iter().map(ToString::to_string).collect()
}

#[test]
fn identical_schemas_have_no_changes() {
    let s = note(vec![field("title", plain(ScalarType::String), "QSR")]);
    let d = diff(&s, &s);
    assert!(d.is_empty());
    assert!(d.is_deployable());
}

#[test]
fn record_type_added_is_allowed() {
    let d = diff(&schema(&[], vec![]), &note(vec![]));
    assert_eq!(lines(&d), ["record type Note added"]);
    assert_eq!(d.changes()[0].production_blocker(), None);
    assert!(d.is_deployable());
}

#[test]
fn record_type_removed_blocks() {
    let d = diff(&note(vec![]), &schema(&[], vec![]));
    assert_eq!(lines(&d), ["record type Note removed"]);
    assert_eq!(
        d.changes()[0].production_blocker(),
        Some(Blocker::RecordTypeRemoved)
    );
    assert!(!d.is_deployable());
}

#[test]
fn field_added_is_allowed_and_removed_blocks() {
    let without = note(vec![]);
    let with = note(vec![field(
        "tags",
        FieldType::List(ElementType::plain(ScalarType::String)),
        "QS",
    )]);
    let added = diff(&without, &with);
    assert_eq!(
        lines(&added),
        ["field Note.tags added: LIST<STRING> QUERYABLE SEARCHABLE"]
    );
    assert_eq!(
        added.len(),
        1,
        "the new field's indexes are not separate changes"
    );
    assert!(added.is_deployable());

    let removed = diff(&with, &without);
    assert_eq!(
        lines(&removed),
        ["field Note.tags removed (was LIST<STRING>)"]
    );
    assert_eq!(
        removed.changes()[0].production_blocker(),
        Some(Blocker::FieldRemoved)
    );
}

#[test]
fn type_change_blocks() {
    let d = diff(
        &note(vec![field("pinned", plain(ScalarType::Int64), "")]),
        &note(vec![field("pinned", plain(ScalarType::String), "")]),
    );
    assert_eq!(
        lines(&d),
        ["field Note.pinned changed type: INT64 -> STRING"]
    );
    assert_eq!(
        d.changes()[0].production_blocker(),
        Some(Blocker::TypeChanged)
    );
}

#[test]
fn list_versus_single_value_is_a_type_change() {
    let d = diff(
        &note(vec![field("tags", plain(ScalarType::String), "")]),
        &note(vec![field(
            "tags",
            FieldType::List(ElementType::plain(ScalarType::String)),
            "",
        )]),
    );
    assert!(matches!(
        d.changes(),
        [Change::FieldRetyped {
            reason: Retype::TypeChanged,
            ..
        }]
    ));
}

#[test]
fn encryption_toggle_blocks_both_ways() {
    let plain_body = note(vec![field("body", plain(ScalarType::String), "")]);
    let secret_body = note(vec![field("body", encrypted(ScalarType::String), "")]);
    let on = diff(&plain_body, &secret_body);
    assert_eq!(
        lines(&on),
        ["field Note.body turned encryption on: STRING -> ENCRYPTED STRING"]
    );
    assert_eq!(
        on.changes()[0].production_blocker(),
        Some(Blocker::EncryptionToggled)
    );
    let off = diff(&secret_body, &plain_body);
    assert_eq!(
        lines(&off),
        ["field Note.body turned encryption off: ENCRYPTED STRING -> STRING"]
    );
    assert!(!off.is_deployable());
}

#[test]
fn encryption_and_scalar_change_together_is_a_type_change() {
    let d = diff(
        &note(vec![field("n", plain(ScalarType::String), "")]),
        &note(vec![field("n", encrypted(ScalarType::Int64), "")]),
    );
    assert_eq!(
        d.changes()[0].production_blocker(),
        Some(Blocker::TypeChanged)
    );
}

#[test]
fn preference_change_blocks_but_first_preference_is_allowed() {
    let number = |p| plain(ScalarType::Number(p));
    let as_int = note(vec![field("n", number(Some(NumberPreference::Int64)), "")]);
    let as_double = note(vec![field("n", number(Some(NumberPreference::Double)), "")]);
    let bare = note(vec![field("n", number(None), "")]);

    let changed = diff(&as_int, &as_double);
    assert_eq!(
        lines(&changed),
        [
            "field Note.n changed PREFERRED AS: NUMBER PREFERRED AS INT64 -> NUMBER PREFERRED AS DOUBLE"
        ]
    );
    assert_eq!(
        changed.changes()[0].production_blocker(),
        Some(Blocker::PreferenceChanged)
    );

    let dropped = diff(&as_int, &bare);
    assert_eq!(
        dropped.changes()[0].production_blocker(),
        Some(Blocker::PreferenceChanged)
    );

    let set = diff(&bare, &as_int);
    assert_eq!(
        lines(&set),
        ["field Note.n set PREFERRED AS: NUMBER -> NUMBER PREFERRED AS INT64"]
    );
    assert_eq!(set.changes()[0].production_blocker(), None);
    assert_eq!(
        set.changes()[0].production_caution(),
        Some(Caution::PreferenceSet)
    );
    assert!(set.is_deployable());
}

#[test]
fn system_field_type_change_blocks() {
    let d = diff(
        &note(vec![field("___etag", plain(ScalarType::String), "")]),
        &note(vec![field("___etag", plain(ScalarType::Int64), "")]),
    );
    assert_eq!(
        lines(&d),
        ["system field Note.___etag changed type: STRING -> INT64"]
    );
    assert_eq!(
        d.changes()[0].production_blocker(),
        Some(Blocker::SystemFieldType)
    );
}

#[test]
fn implicit_system_fields_differ_only_by_indexes() {
    let implicit = note(vec![]);
    let declared = note(vec![
        field("___createTime", plain(ScalarType::Timestamp), "QR"),
        field("___recordID", plain(ScalarType::Reference), "Q"),
        field("___etag", plain(ScalarType::String), ""),
    ]);
    let d = diff(&implicit, &declared);
    assert_eq!(
        lines(&d),
        [
            "index QUERYABLE added on Note.___createTime",
            "index SORTABLE added on Note.___createTime",
            "index QUERYABLE added on Note.___recordID",
        ]
    );
    assert!(d.is_deployable());

    let back = diff(&declared, &implicit);
    assert_eq!(back.len(), 3);
    assert!(
        back.is_deployable(),
        "dropping system-field lines only drops indexes"
    );
    assert!(
        back.changes()
            .iter()
            .all(|c| c.production_caution() == Some(Caution::IndexRemoved))
    );
}

#[test]
fn index_added_is_allowed_and_removed_carries_a_note() {
    let bare = note(vec![field("title", plain(ScalarType::String), "")]);
    let indexed = note(vec![field("title", plain(ScalarType::String), "QSR")]);
    let added = diff(&bare, &indexed);
    assert_eq!(
        lines(&added),
        [
            "index QUERYABLE added on Note.title",
            "index SEARCHABLE added on Note.title",
            "index SORTABLE added on Note.title",
        ]
    );
    assert!(added.is_deployable());
    assert!(
        added
            .changes()
            .iter()
            .all(|c| c.production_caution().is_none())
    );

    let removed = diff(&indexed, &bare);
    assert_eq!(
        removed.changes()[1].to_string(),
        "index SEARCHABLE removed from Note.title"
    );
    assert!(removed.is_deployable());
    assert!(
        removed
            .changes()
            .iter()
            .all(|c| c.production_caution() == Some(Caution::IndexRemoved))
    );
}

#[test]
fn grant_changes_are_allowed_and_split_clauses_add_up() {
    let before = schema(
        &[],
        vec![record_type(
            "Note",
            vec![],
            vec![
                grant("_icloud", false, true, false),
                grant("_icloud", false, false, true),
                grant("_world", true, false, false),
            ],
        )],
    );
    let after = schema(
        &[],
        vec![record_type(
            "Note",
            vec![],
            vec![
                grant("_creator", false, false, true),
                grant("_icloud", false, true, true),
            ],
        )],
    );
    let d = diff(&before, &after);
    assert_eq!(
        lines(&d),
        [
            "grant to _creator on Note changed: none -> WRITE",
            "grant to _world on Note changed: READ -> none",
        ]
    );
    assert!(d.is_deployable());
}

fn users(extra: Vec<Field>) -> Schema {
    let mut fields = vec![
        field("___recordID", plain(ScalarType::Reference), "Q"),
        field(
            "roles",
            FieldType::List(ElementType::plain(ScalarType::Int64)),
            "",
        ),
    ];
    fields.extend(extra);
    schema(
        &[],
        vec![record_type(
            "Users",
            fields,
            vec![
                grant("_creator", false, false, true),
                grant("_world", true, false, false),
            ],
        )],
    )
}

#[test]
fn leaving_users_out_is_not_removing_it() {
    let declared = users(vec![]);
    let omitted = schema(&[], vec![]);
    let d = diff(&declared, &omitted);
    assert_eq!(
        lines(&d),
        ["index QUERYABLE removed from Users.___recordID"]
    );
    assert!(d.is_deployable());
    assert_eq!(
        lines(&diff(&omitted, &declared)),
        ["index QUERYABLE added on Users.___recordID"]
    );
}

#[test]
fn leaving_users_out_still_drops_fields_an_app_added() {
    let declared = users(vec![field("nickname", plain(ScalarType::String), "")]);
    let d = diff(&declared, &schema(&[], vec![]));
    assert_eq!(
        lines(&d),
        [
            "index QUERYABLE removed from Users.___recordID",
            "field Users.nickname removed (was STRING)",
        ]
    );
    assert!(!d.is_deployable());
}

/// Every real export, parsed and checked, or `None` when the shared test data is absent.
fn real_schemas() -> Option<Vec<(String, Schema)>> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata/schemas/real");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipping: {} is absent", dir.display());
        return None;
    };
    let mut schemas = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "ckdb") {
            let source = std::fs::read_to_string(&path).expect("readable");
            let checked = crate::parse_and_check(&source).expect("real exports are valid");
            schemas.push((path.display().to_string(), checked.schema));
        }
    }
    assert!(!schemas.is_empty());
    Some(schemas)
}

#[test]
fn real_exports_equal_themselves_and_their_canonical_form() {
    let Some(schemas) = real_schemas() else {
        return;
    };
    for (path, schema) in schemas {
        assert!(diff(&schema, &schema).is_empty(), "{path}");
        let formatted = crate::format(&schema);
        let reparsed = crate::parse(&formatted).expect("formatted output parses");
        let d = diff(&schema, &reparsed);
        assert!(d.is_empty(), "{path}: {:?}", lines(&d));
    }
}

#[test]
fn real_exports_without_system_field_lines_only_lose_indexes() {
    let Some(schemas) = real_schemas() else {
        return;
    };
    for (path, schema) in schemas {
        let mut stripped = schema.clone();
        for record_type in &mut stripped.record_types {
            record_type.fields.retain(|f| f.system_field().is_none());
        }
        let d = diff(&schema, &stripped);
        assert!(d.is_deployable(), "{path}");
        for change in &d {
            assert!(
                matches!(change, Change::IndexRemoved { field, .. } if field.starts_with("___")),
                "{path}: {change}"
            );
        }
    }
}

#[test]
fn roles_added_and_removed_are_allowed() {
    let d = diff(
        &schema(&["Editors"], vec![]),
        &schema(&["Moderators"], vec![]),
    );
    assert_eq!(lines(&d), ["role Editors removed", "role Moderators added"]);
    assert!(d.is_deployable());
    assert_eq!(d.changes()[0].record_type(), None);
}

#[test]
fn order_is_by_record_type_then_field_regardless_of_source_order() {
    let old = schema(
        &[],
        vec![
            record_type("Zebra", vec![], vec![]),
            record_type(
                "Apple",
                vec![
                    field("b", plain(ScalarType::Int64), ""),
                    field("a", plain(ScalarType::Int64), ""),
                ],
                vec![],
            ),
        ],
    );
    let new = schema(
        &["Role"],
        vec![
            record_type(
                "Apple",
                vec![field("c", plain(ScalarType::Int64), "")],
                vec![grant("_world", true, false, false)],
            ),
            record_type("Mango", vec![], vec![]),
        ],
    );
    assert_eq!(
        lines(&diff(&old, &new)),
        [
            "role Role added",
            "field Apple.a removed (was INT64)",
            "field Apple.b removed (was INT64)",
            "field Apple.c added: INT64",
            "grant to _world on Apple changed: none -> READ",
            "record type Mango added",
            "record type Zebra removed",
        ]
    );
}

#[test]
fn blockers_are_listed_with_reasons() {
    let d = diff(
        &note(vec![field("a", plain(ScalarType::Int64), "Q")]),
        &note(vec![field("b", plain(ScalarType::Int64), "")]),
    );
    let blockers: Vec<String> = d
        .production_blockers()
        .map(|(c, b)| format!("{c}: {b}"))
        .collect();
    assert_eq!(
        blockers,
        [
            "field Note.a removed (was INT64): removing a field that exists in production would lose its values"
        ]
    );
}
