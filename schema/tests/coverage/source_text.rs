//! Reading a schema source around its model: keywords, span text, comments and words.

use std::ops::Range;

use cloudkit_schema::Span;

/// The 26 keywords of spec §3.4.
const KEYWORDS: [&str; 26] = [
    "DEFINE",
    "SCHEMA",
    "CREATE",
    "ROLE",
    "RECORD",
    "TYPE",
    "GRANT",
    "READ",
    "WRITE",
    "TO",
    "LIST",
    "ENCRYPTED",
    "NUMBER",
    "PREFERRED",
    "AS",
    "ASSET",
    "BYTES",
    "DOUBLE",
    "INT64",
    "LOCATION",
    "REFERENCE",
    "STRING",
    "TIMESTAMP",
    "QUERYABLE",
    "SORTABLE",
    "SEARCHABLE",
];

/// The keywords that can never be bare names (spec §3.4).
pub const RESERVED: [&str; 5] = ["GRANT", "PREFERRED", "QUERYABLE", "SORTABLE", "SEARCHABLE"];

/// Whether `name`, in any case, is one of the 26 keywords.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name.to_ascii_uppercase().as_str())
}

/// The source text a span covers.
pub fn text(source: &str, span: Span) -> &str {
    &source[span.start.offset..span.end.offset]
}

/// The comments of a source, as spec §3.2 reads them (never inside a quoted name): each
/// with the label of its form and its byte range.
pub fn comments(source: &str) -> Vec<(&'static str, Range<usize>)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = source[at..].find(['"', '-', '/']).map(|i| at + i) {
        let rest = &source[start..];
        let line_end = start + rest.find(['\r', '\n']).unwrap_or(rest.len());
        at = if let Some(name) = rest.strip_prefix('"') {
            // A quoted name ends at the next quote on its line.
            name.find(['"', '\r', '\n'])
                .map_or(source.len(), |inside| start + 2 + inside)
        } else if rest.starts_with("--") || rest.starts_with("//") {
            let style = if rest.starts_with("--") {
                "line comment --"
            } else {
                "line comment //"
            };
            found.push((style, start..line_end));
            line_end
        } else if rest.starts_with("/*") {
            let end = start + rest.find("*/").map_or(rest.len(), |i| i + 2);
            found.push(("block comment /* */", start..end));
            end
        } else {
            start + 1
        };
    }
    found
}

/// The source with each comment replaced by spaces (line breaks kept), so that spans still
/// index it and the words left are the tokens.
pub fn blank_out(source: &str, comments: &[(&'static str, Range<usize>)]) -> String {
    let mut code = source.to_owned();
    for (_, range) in comments {
        let blank: String = source[range.clone()]
            .chars()
            .map(|c| match c {
                '\r' | '\n' => c.to_string(),
                _ => " ".repeat(c.len_utf8()),
            })
            .collect();
        code.replace_range(range.clone(), &blank);
    }
    code
}

/// The next run of non-whitespace in `code` at or after byte `from`.
pub fn next_word(code: &str, from: usize) -> Option<Range<usize>> {
    let start = from + code[from..].find(|c: char| !c.is_whitespace())?;
    let end = start
        + code[start..]
            .find(char::is_whitespace)
            .unwrap_or(code.len() - start);
    Some(start..end)
}
