use std::path::PathBuf;

use cloudkit_schema::{RecordType, Schema};

use super::*;

fn schema(source: &str) -> Schema {
    match cloudkit_schema::parse_and_check(source) {
        Ok(checked) => checked.schema,
        Err(diagnostics) => panic!("test schema has errors: {diagnostics:?}"),
    }
}

fn record<'s>(schema: &'s Schema, name: &str) -> &'s RecordType {
    schema
        .record_type(name)
        .unwrap_or_else(|| panic!("no record type {name}"))
}

/// The schema name `rust` resolves to, or what went wrong, as text.
fn resolve(naming: Naming, rust: &str, record: &RecordType) -> String {
    match naming.resolve(rust, record) {
        Resolution::Field(f) => f.name.value.clone(),
        Resolution::Ambiguous(fields) => {
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            format!("ambiguous: {}", names.join(", "))
        }
        Resolution::Missing(wanted) => format!("missing: {wanted}"),
    }
}

const ACCOUNT: &str = "DEFINE SCHEMA\nRECORD TYPE Account (\n    \"___createTime\" TIMESTAMP,\n    startDate TIMESTAMP,\n    userID STRING,\n    userId STRING,\n    imageURL STRING,\n    URLString STRING,\n    DisplayName STRING,\n    plain STRING,\n    plain_name STRING,\n    plainName STRING,\n    createTime TIMESTAMP\n);\n";

#[test]
fn infers_camel_case_and_acronyms() {
    let schema = schema(ACCOUNT);
    let account = record(&schema, "Account");
    let infer = Naming::default();
    assert_eq!(resolve(infer, "start_date", account), "startDate");
    assert_eq!(resolve(infer, "image_url", account), "imageURL");
    assert_eq!(resolve(infer, "url_string", account), "URLString");
    assert_eq!(resolve(infer, "display_name", account), "DisplayName");
    assert_eq!(resolve(infer, "plain", account), "plain");
    // An exact spelling wins over fields whose words match.
    assert_eq!(resolve(infer, "plain_name", account), "plain_name");
    // System fields are never inferred: `createTime` is the only candidate.
    assert_eq!(resolve(infer, "create_time", account), "createTime");
    assert_eq!(
        resolve(infer, "user_id", account),
        "ambiguous: userID, userId"
    );
    assert_eq!(resolve(infer, "user", account), "missing: user");
}

#[test]
fn rename_all_is_applied_exactly() {
    let schema = schema(ACCOUNT);
    let account = record(&schema, "Account");
    let camel = Naming {
        rename_all: Some(RenameAll::CamelCase),
        core_data: false,
    };
    assert_eq!(resolve(camel, "start_date", account), "startDate");
    assert_eq!(resolve(camel, "user_id", account), "userId");
    assert_eq!(resolve(camel, "image_url", account), "missing: imageUrl");
    let verbatim = Naming {
        rename_all: Some(RenameAll::Verbatim),
        core_data: false,
    };
    assert_eq!(
        resolve(verbatim, "start_date", account),
        "missing: start_date"
    );
    assert_eq!(resolve(verbatim, "startDate", account), "startDate");
}

const TODO: &str = "DEFINE SCHEMA\nRECORD TYPE CD_TodoItem (\n    CD_completionTime TIMESTAMP,\n    CD_entityName STRING,\n    CD_listID STRING,\n    CD_text STRING,\n    CD_text_ckAsset ASSET,\n    CD_order INT64,\n    order INT64,\n    CD_name STRING,\n    name STRING,\n    note STRING\n);\n";

#[test]
fn core_data_drops_the_prefix() {
    let schema = schema(TODO);
    let todo = record(&schema, "CD_TodoItem");
    let core = Naming {
        rename_all: None,
        core_data: true,
    };
    assert_eq!(resolve(core, "completion_time", todo), "CD_completionTime");
    assert_eq!(resolve(core, "entity_name", todo), "CD_entityName");
    assert_eq!(resolve(core, "list_id", todo), "CD_listID");
    assert_eq!(resolve(core, "text_ck_asset", todo), "CD_text_ckAsset");
    // `CD_order` is the exact spelling under `core_data`; `order` only by its own name.
    assert_eq!(resolve(core, "order", todo), "CD_order");
    assert_eq!(resolve(core, "note", todo), "note");
    assert_eq!(resolve(core, "CD_text", todo), "CD_text");
    assert_eq!(resolve(core, "titel", todo), "missing: CD_titel");
    let camel = Naming {
        rename_all: Some(RenameAll::CamelCase),
        core_data: true,
    };
    assert_eq!(resolve(camel, "completion_time", todo), "CD_completionTime");
    assert_eq!(resolve(camel, "list_id", todo), "missing: CD_listId");
    // Without the preset the prefix is one more word.
    let infer = Naming::default();
    assert_eq!(
        resolve(infer, "cd_completion_time", todo),
        "CD_completionTime"
    );
    assert_eq!(
        resolve(infer, "completion_time", todo),
        "missing: completion_time"
    );
}

/// The Rust fields codegen would write for every user field of every record type, and the
/// schema names of those that need a `rename`.
fn needing_rename(schema: &Schema, core_data: bool) -> (usize, Vec<String>) {
    let mut total = 0;
    let mut renamed = Vec::new();
    for record in &schema.record_types {
        let naming = Naming {
            rename_all: None,
            core_data: core_data && core_data::strip_prefix(record.name.as_str()).is_some(),
        };
        let mut taken = vec!["meta".to_owned()];
        for field in record.user_fields() {
            total += 1;
            let rust = naming.rust_field(field, record, &mut taken);
            if rust.needs_rename {
                renamed.push(format!("{}.{} as {}", record.name, field.name, rust.ident));
            }
        }
    }
    (total, renamed)
}

#[test]
fn generated_names_round_trip_on_our_schemas() {
    let schema = schema(ACCOUNT);
    let (total, renamed) = needing_rename(&schema, false);
    assert_eq!(total, 10);
    // Two spellings of one name: the first takes `user_id`, which then matches both; the
    // exact `plain_name` takes its Rust name from `plainName`.
    assert_eq!(
        renamed,
        [
            "Account.userID as user_id",
            "Account.userId as user_id_",
            "Account.plainName as plain_name_"
        ]
    );
    let schema = self::schema(TODO);
    let (_, renamed) = needing_rename(&schema, true);
    // `order` and `name` lose the Rust name to their `CD_` twin.
    assert_eq!(
        renamed,
        ["CD_TodoItem.order as order_", "CD_TodoItem.name as name_"]
    );
    let (_, renamed) = needing_rename(&schema, false);
    assert_eq!(renamed, Vec::<String>::new());
}

#[test]
fn generated_names_round_trip_on_real_schemas() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata/schemas/real");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: no real schemas at {}", dir.display());
        return;
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ckdb"))
        .collect();
    paths.sort();
    let mut totals = (0, 0);
    let mut renamed = Vec::new();
    for path in &paths {
        let source = std::fs::read_to_string(path).unwrap_or_default();
        let Ok(checked) = cloudkit_schema::parse_and_check(&source) else {
            println!("not checked: {}", path.display());
            continue;
        };
        for core_data in [false, true] {
            let (total, names) = needing_rename(&checked.schema, core_data);
            if core_data {
                totals.1 += total;
            } else {
                totals.0 += total;
            }
            let file = path.file_name().map(|n| n.to_string_lossy().into_owned());
            renamed.extend(
                names
                    .into_iter()
                    .map(|n| format!("{file:?} core_data={core_data}: {n}")),
            );
        }
    }
    println!("{} files, {totals:?} fields", paths.len());
    for line in &renamed {
        println!("{line}");
    }
    assert_eq!(renamed, Vec::<String>::new());
}
