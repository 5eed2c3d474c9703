//! How the data commands print: a table for people (the default), JSON Lines for scripts
//! (`--json`), and a progress bar that only a terminal sees.

use std::io::{IsTerminal as _, Write as _};

use comfy_table::{Table, presets};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

/// The `--json` flag, shared by every data command that prints results.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct FormatArgs {
    /// Print JSON Lines (one JSON object per line) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Rows for a table, or JSON lines written as they come.
pub struct Output {
    table: Option<Table>,
}

impl Output {
    /// An output with these column headers (used only for the table).
    pub fn new(format: FormatArgs, header: Vec<String>) -> Output {
        let table = (!format.json).then(|| {
            let mut table = Table::new();
            table.load_style(presets::NOTHING).set_header(header);
            table
        });
        Output { table }
    }

    /// Adds one result: `json` is printed at once in JSON mode, `row` kept for the table.
    pub fn row(&mut self, json: &impl Serialize, row: Vec<String>) {
        match &mut self.table {
            Some(table) => {
                table.add_row(row);
            }
            None => print_json_line(json),
        }
    }

    /// Prints the table (nothing more in JSON mode) and how many rows it had.
    pub fn finish(self, noun: (&str, &str)) {
        if let Some(table) = self.table {
            let rows = table.row_count();
            if rows > 0 {
                println!("{}", table.trim_fmt());
            }
            let (singular, plural) = noun;
            eprintln!("{rows} {}", if rows == 1 { singular } else { plural });
        }
    }
}

/// One JSON object on its own line of stdout.
pub fn print_json_line(value: &impl Serialize) {
    match serde_json::to_string(value) {
        Ok(line) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) ends the output; nothing useful to report.
            let _ = writeln!(out, "{line}");
        }
        Err(error) => eprintln!("error: cannot encode a result as JSON: {error}"),
    }
}
/// A counter with a rate on stderr when it is a terminal; hidden (and free) when piped.
pub fn progress(verb: &'static str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {msg} {human_pos} records ({per_sec}, {elapsed})")
    {
        bar.set_style(style);
    }
    bar.set_message(verb);
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
