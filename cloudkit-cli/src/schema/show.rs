//! `cloudkit schema show FILE [--json]`: the parsed model, for people or for tools.

use std::collections::BTreeSet;
use std::path::PathBuf;

use cloudkit_schema::{Field, Permissions, RecordType, Role, Schema};
use serde::Serialize;

use super::source::SchemaFile;
use crate::report::{Outcome, count};

/// Arguments of `cloudkit schema show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema file to show.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Print stable JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Prints the model of a valid schema. Record types, fields and roles appear in source
/// order (implicit system fields after the declared fields); grants are added up per role
/// and sorted by role name.
pub fn run(args: &Args) -> Outcome {
    let Some((file, checked)) = SchemaFile::load_checked(&args.file) else {
        return Outcome::Failure;
    };
    let view = SchemaView::new(&checked.schema);
    if args.json {
        match serde_json::to_string_pretty(&view) {
            Ok(json) => println!("{json}"),
            Err(error) => {
                eprintln!("error: cannot write JSON for {}: {error}", file.name);
                return Outcome::Failure;
            }
        }
    } else {
        print!("{}", view.to_text(&file.name));
    }
    Outcome::Success
}

/// The JSON shape of `schema show --json`. Field names are part of the CLI's interface:
/// add keys, never rename them.
#[derive(Debug, Serialize)]
struct SchemaView<'a> {
    roles: Vec<RoleView<'a>>,
    record_types: Vec<RecordTypeView<'a>>,
}

#[derive(Debug, Serialize)]
struct RoleView<'a> {
    name: &'a str,
    line: u32,
    column: u32,
}

#[derive(Debug, Serialize)]
struct RecordTypeView<'a> {
    name: &'a str,
    line: u32,
    column: u32,
    /// Whether any grant exists, i.e. whether the type can be used in the public database.
    public: bool,
    /// Whether some role may create records of the type in the public database.
    creatable: bool,
    fields: Vec<FieldView<'a>>,
    grants: Vec<GrantView<'a>>,
}

#[derive(Debug, Serialize)]
struct FieldView<'a> {
    name: &'a str,
    /// The type as the schema language spells it, e.g. `LIST<ENCRYPTED STRING>`.
    schema_type: String,
    /// The Web Services `type` tag, e.g. `STRING_LIST`.
    wire_type: &'static str,
    list: bool,
    encrypted: bool,
    indexes: Vec<&'static str>,
    system: bool,
    /// False for a system field the file did not write out.
    declared: bool,
    /// Where the declaration starts; null for implicit system fields.
    line: Option<u32>,
    column: Option<u32>,
}

#[derive(Debug, Serialize)]
struct GrantView<'a> {
    role: &'a str,
    permissions: Vec<&'static str>,
}

impl<'a> SchemaView<'a> {
    fn new(schema: &'a Schema) -> Self {
        SchemaView {
            roles: schema.roles.iter().map(RoleView::new).collect(),
            record_types: schema
                .record_types
                .iter()
                .map(RecordTypeView::new)
                .collect(),
        }
    }

    fn to_text(&self, file_name: &str) -> String {
        let mut out = format!(
            "{file_name}: {}, {}\n",
            count(self.record_types.len(), "record type", "record types"),
            count(self.roles.len(), "role", "roles"),
        );
        for role in &self.roles {
            out.push_str(&format!(
                "\nrole {} ({}:{})\n",
                role.name, role.line, role.column
            ));
        }
        for record_type in &self.record_types {
            record_type.write_text(&mut out);
        }
        out
    }
}

impl<'a> RoleView<'a> {
    fn new(role: &'a Role) -> Self {
        RoleView {
            name: role.name.as_str(),
            line: role.name.span.start.line,
            column: role.name.span.start.column,
        }
    }
}

impl<'a> RecordTypeView<'a> {
    fn new(record_type: &'a RecordType) -> Self {
        let roles: BTreeSet<&str> = record_type.grants.iter().map(|g| g.role.as_str()).collect();
        RecordTypeView {
            name: record_type.name.as_str(),
            line: record_type.name.span.start.line,
            column: record_type.name.span.start.column,
            public: record_type.is_public(),
            creatable: record_type.is_creatable(),
            fields: record_type.fields.iter().map(FieldView::new).collect(),
            grants: roles
                .into_iter()
                .map(|role| GrantView {
                    role,
                    permissions: permission_names(record_type.permissions_for(role)),
                })
                .collect(),
        }
    }

    fn write_text(&self, out: &mut String) {
        let database = if self.public && self.creatable {
            "usable in the public database"
        } else if self.public {
            "read-only in the public database: no role can create records"
        } else {
            "no grants: private and shared databases only"
        };
        out.push_str(&format!(
            "\nrecord type {} ({}:{}), {database}\n",
            self.name, self.line, self.column
        ));
        let header = ["field", "schema type", "wire type", "indexes", "where"].map(String::from);
        let rows: Vec<[String; 5]> = self
            .fields
            .iter()
            .map(|f| {
                let place = match (f.line, f.column) {
                    (Some(line), Some(column)) => format!("{line}:{column}"),
                    _ => "implicit".to_owned(),
                };
                [
                    f.name.to_owned(),
                    f.schema_type.clone(),
                    f.wire_type.to_owned(),
                    f.indexes.join(" "),
                    place,
                ]
            })
            .collect();
        write_table(out, &header, &rows);
        if !self.grants.is_empty() {
            out.push_str("  grants:\n");
            let width = self.grants.iter().map(|g| g.role.len()).max().unwrap_or(0);
            for grant in &self.grants {
                out.push_str(&format!(
                    "    {:width$}  {}\n",
                    grant.role,
                    grant.permissions.join(", ")
                ));
            }
        }
    }
}

impl<'a> FieldView<'a> {
    fn new(field: &'a Field) -> Self {
        let indexes = [
            (field.indexes.is_queryable(), "QUERYABLE"),
            (field.indexes.is_searchable(), "SEARCHABLE"),
            (field.indexes.is_sortable(), "SORTABLE"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        let start = field.declared.then_some(field.span.start);
        FieldView {
            name: field.name.as_str(),
            schema_type: field.field_type.to_string(),
            wire_type: field.field_type.wire_type(),
            list: field.field_type.is_list(),
            encrypted: field.field_type.is_encrypted(),
            indexes,
            system: field.system_field().is_some(),
            declared: field.declared,
            line: start.map(|p| p.line),
            column: start.map(|p| p.column),
        }
    }
}

fn permission_names(permissions: Permissions) -> Vec<&'static str> {
    [
        (permissions.read, "READ"),
        (permissions.create, "CREATE"),
        (permissions.write, "WRITE"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect()
}

/// Writes rows indented by two spaces, columns padded to their widest cell (counted in
/// characters, since quoted names may hold any text), trailing spaces trimmed.
fn write_table<const N: usize>(out: &mut String, header: &[String; N], rows: &[[String; N]]) {
    let mut widths = [0usize; N];
    for row in std::iter::once(header).chain(rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(header).chain(rows) {
        let mut line = String::from("  ");
        for (width, cell) in widths.iter().zip(row) {
            line.push_str(&format!("{cell:width$}  "));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}
