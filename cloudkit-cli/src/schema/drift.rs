//! `cloudkit schema drift FILE [--environment production]`: does the checked-in schema match
//! the live one? Exit 1 naming every difference, 0 when they mean the same.

use std::path::PathBuf;

use cloudkit_schema::Schema;
use cloudkit_schema::diff::{Change, diff};

use super::live::{self, EnvironmentArg};
use super::source::SchemaFile;
use crate::management::{Connection, TargetArgs};
use crate::report::{Outcome, count};

/// Arguments of `cloudkit schema drift`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    cloudkit schema drift schema/notes.ckdb\n  \
    cloudkit schema drift schema/notes.ckdb --environment production --container iCloud.com.example.notes\n\n\
    Exit status: 0 when FILE and the live schema mean the same, 1 when they differ or cannot be read.")]
pub struct Args {
    /// The checked-in schema file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The environment to compare with.
    #[arg(long, value_enum, default_value = "development")]
    environment: EnvironmentArg,
    #[command(flatten)]
    target: TargetArgs,
}

/// The differences between a schema file and a live schema, by side.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Record types, fields, indexes and roles the file has and the live schema lacks.
    pub only_in_file: Vec<String>,
    /// Those the live schema has and the file lacks.
    pub only_live: Vec<String>,
    /// Present on both sides but different: field types, grants.
    pub different: Vec<String>,
}

impl Drift {
    /// Whether the two mean the same.
    pub fn is_empty(&self) -> bool {
        self.only_in_file.is_empty() && self.only_live.is_empty() && self.different.is_empty()
    }

    /// The number of differences.
    pub fn len(&self) -> usize {
        self.only_in_file.len() + self.only_live.len() + self.different.len()
    }
}

/// Compares `file` with `live` (layout, order and comments do not count).
pub fn compare(file: &Schema, live: &Schema) -> Drift {
    let mut drift = Drift::default();
    for change in &diff(live, file) {
        let (side, item) = match change {
            Change::RoleAdded { role } => (&mut drift.only_in_file, format!("role {role}")),
            Change::RoleRemoved { role } => (&mut drift.only_live, format!("role {role}")),
            Change::RecordTypeAdded { record_type } => (
                &mut drift.only_in_file,
                format!("record type {record_type}"),
            ),
            Change::RecordTypeRemoved { record_type } => {
                (&mut drift.only_live, format!("record type {record_type}"))
            }
            Change::FieldAdded {
                record_type,
                field,
                field_type,
                ..
            } => (
                &mut drift.only_in_file,
                format!("field {record_type}.{field} ({field_type})"),
            ),
            Change::FieldRemoved {
                record_type,
                field,
                field_type,
            } => (
                &mut drift.only_live,
                format!("field {record_type}.{field} ({field_type})"),
            ),
            Change::IndexAdded {
                record_type,
                field,
                index,
            } => (
                &mut drift.only_in_file,
                format!("index {index} on {record_type}.{field}"),
            ),
            Change::IndexRemoved {
                record_type,
                field,
                index,
            } => (
                &mut drift.only_live,
                format!("index {index} on {record_type}.{field}"),
            ),
            Change::FieldRetyped {
                record_type,
                field,
                old,
                new,
                ..
            } => (
                &mut drift.different,
                format!("field {record_type}.{field}: {new} in the file, {old} live"),
            ),
            Change::GrantChanged {
                record_type,
                role,
                old,
                new,
            } => (
                &mut drift.different,
                format!(
                    "grant to {role} on {record_type}: {} in the file, {} live",
                    shown(new),
                    shown(old)
                ),
            ),
        };
        side.push(item);
    }
    drift
}

fn shown(permissions: &cloudkit_schema::Permissions) -> String {
    let text = permissions.to_string();
    if text.is_empty() {
        "none".to_owned()
    } else {
        text
    }
}

/// Fetches the live schema and prints the drift.
pub fn run(args: &Args) -> Outcome {
    let Some((file, checked)) = SchemaFile::load_checked(&args.file) else {
        return Outcome::Failure;
    };
    let live = match args
        .target
        .resolve()
        .and_then(Connection::open)
        .and_then(|c| live::fetch(&c, args.environment))
    {
        Ok(live) => live,
        Err(error) => {
            eprintln!("error: {error}");
            return Outcome::Failure;
        }
    };
    let drift = compare(&checked.schema, &live.schema);
    let live_name = format!("live {}", args.environment.name());
    if drift.is_empty() {
        println!("{} matches the {live_name} schema", file.name);
        return Outcome::Success;
    }
    println!(
        "{} differs from the {live_name} schema: {}",
        file.name,
        count(drift.len(), "difference", "differences")
    );
    for item in &drift.only_in_file {
        println!("  only in {}: {item}", file.name);
    }
    for item in &drift.only_live {
        println!("  only in {live_name}: {item}");
    }
    for item in &drift.different {
        println!("  different: {item}");
    }
    Outcome::Failure
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(text: &str) -> Schema {
        cloudkit_schema::parse_and_check(text)
            .expect("valid")
            .schema
    }

    #[test]
    fn names_what_each_side_lacks() {
        let file = schema(
            "DEFINE SCHEMA\nRECORD TYPE Note (\n  \"___recordID\" REFERENCE QUERYABLE,\n  title STRING QUERYABLE SORTABLE,\n  color STRING\n);\n",
        );
        let live = schema(
            "DEFINE SCHEMA\nRECORD TYPE Note (\n  \"___recordID\" REFERENCE QUERYABLE,\n  title STRING QUERYABLE\n);\nRECORD TYPE Folder (\n  name STRING\n);\n",
        );
        let drift = compare(&file, &live);
        assert_eq!(
            drift,
            Drift {
                only_in_file: vec![
                    "field Note.color (STRING)".to_owned(),
                    "index SORTABLE on Note.title".to_owned()
                ],
                only_live: vec!["record type Folder".to_owned()],
                different: vec![],
            }
        );
        assert!(compare(&file, &file).is_empty());
    }

    #[test]
    fn a_retyped_field_is_a_difference() {
        let file = schema("DEFINE SCHEMA\nRECORD TYPE Note (\n  n INT64\n);\n");
        let live = schema("DEFINE SCHEMA\nRECORD TYPE Note (\n  n STRING\n);\n");
        assert_eq!(
            compare(&file, &live).different,
            vec!["field Note.n: INT64 in the file, STRING live".to_owned()]
        );
    }
}
