//! The printed form of a diagnostic, rustc style, for the CLI and the derive.

use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;

impl Diagnostic {
    /// The diagnostic as the CLI prints it: a `FILE:LINE:COL: error[KIND]: MESSAGE` line,
    /// then the source line with a caret line under the span.
    ///
    /// ```
    /// let source = "DEFINE SCHEMA\nRECORD TYPE Note (title TEXT);\n";
    /// let error = cloudkit_schema::parse(source).unwrap_err();
    /// assert_eq!(
    ///     error.render("notes.ckdb", source).lines().next(),
    ///     Some("notes.ckdb:2:25: error[unknown-type]: expected a type, found `TEXT`: the types are \
    ///           STRING, INT64, DOUBLE, TIMESTAMP, BYTES, LOCATION, REFERENCE, ASSET, NUMBER, \
    ///           LIST<…> and ENCRYPTED …; did you mean STRING?"),
    /// );
    /// ```
    pub fn render(&self, file_name: &str, source: &str) -> String {
        let start = self.span.start;
        let mut out = format!("{file_name}:{self}\n");
        let Some(line_text) = line_at(source, start.offset) else {
            return out;
        };
        let number = start.line.to_string();
        let gutter = " ".repeat(number.len());
        // Tabs are one column (spec §12); showing them as one space keeps the caret aligned.
        let shown: String = line_text
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let line_chars = shown.chars().count();
        let caret_start = usize::try_from(start.column.saturating_sub(1)).unwrap_or(0);
        let width = if self.span.end.line == start.line && self.span.end.column > start.column {
            usize::try_from(self.span.end.column - start.column).unwrap_or(1)
        } else {
            // Multi-line spans and end-of-input: mark one column.
            1
        };
        let width = width.min(line_chars.saturating_sub(caret_start)).max(1);
        let _ = writeln!(out, "{gutter} |");
        let _ = writeln!(out, "{number} | {}", shown.trim_end());
        let _ = writeln!(
            out,
            "{gutter} | {}{}",
            " ".repeat(caret_start),
            "^".repeat(width)
        );
        out
    }
}

/// The text of the line holding byte `offset`, without its line break.
fn line_at(source: &str, offset: usize) -> Option<&str> {
    let offset = offset.min(source.len());
    let before = source.get(..offset)?;
    let start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let rest = source.get(start..)?;
    let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    let line = rest.get(..end)?;
    Some(line.strip_prefix('\u{feff}').unwrap_or(line))
}
