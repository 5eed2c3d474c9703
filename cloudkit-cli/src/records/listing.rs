//! Records printed by `query`, `lookup` and `create`: JSON lines as they arrive, or one table
//! at the end whose columns are the record name, type and every field seen.

use cloudkit_runtime::wire::Record;
use comfy_table::{Table, presets};

use super::field_value::cell;
use crate::output::{FormatArgs, print_json_line};

/// Records on their way to stdout.
pub struct Listing {
    json: bool,
    kept: Vec<Record>,
    count: usize,
}

impl Listing {
    /// An empty listing.
    pub fn new(format: FormatArgs) -> Listing {
        Listing {
            json: format.json,
            kept: Vec::new(),
            count: 0,
        }
    }

    /// Prints (JSON) or keeps (table) one record.
    pub fn add(&mut self, record: Record) {
        self.count += 1;
        if self.json {
            print_json_line(&record);
        } else {
            self.kept.push(record);
        }
    }

    /// Prints the table and the count.
    pub fn finish(self) {
        if self.json {
            return;
        }
        let mut columns: Vec<&str> = Vec::new();
        for record in &self.kept {
            for name in record.fields.names() {
                if !columns.contains(&name) {
                    columns.push(name);
                }
            }
        }
        let mut table = Table::new();
        table.load_style(presets::NOTHING);
        table.set_header(
            ["recordName", "recordType"]
                .into_iter()
                .chain(columns.iter().copied())
                .collect::<Vec<_>>(),
        );
        for record in &self.kept {
            let mut row = vec![
                record.record_name.clone().unwrap_or_default(),
                record.record_type.clone().unwrap_or_default(),
            ];
            row.extend(
                columns
                    .iter()
                    .map(|name| record.fields.get(name).map(cell).unwrap_or_default()),
            );
            table.add_row(row);
        }
        if self.count > 0 {
            println!("{}", table.trim_fmt());
        }
        eprintln!("{}", crate::report::count(self.count, "record", "records"));
    }
}
