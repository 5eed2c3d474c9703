//! Whether a schema source has comments, which the canonical layout cannot keep.

/// Whether `source` contains a `//`, `--` or `/* … */` comment outside a quoted name.
///
/// Quoted names cannot span lines and have no escapes (spec §3.5), so tracking a single
/// "inside quotes" flag that a line break also ends is enough.
pub(super) fn has_comments(source: &str) -> bool {
    let mut in_quotes = false;
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' | '\r' => in_quotes = false,
            '/' | '-' if !in_quotes => {
                let next = chars.peek().copied();
                if next == Some(c) || (c == '/' && next == Some('*')) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::has_comments;

    #[test]
    fn finds_each_comment_form() {
        assert!(has_comments("DEFINE SCHEMA // x"));
        assert!(has_comments("DEFINE SCHEMA -- x"));
        assert!(has_comments("DEFINE /* x */ SCHEMA"));
        assert!(has_comments("STRING--note"));
    }

    #[test]
    fn ignores_comment_markers_inside_quotes() {
        assert!(!has_comments(
            "DEFINE SCHEMA CREATE ROLE \"a--b\"; CREATE ROLE \"c//d/*\";"
        ));
        assert!(!has_comments("DEFINE SCHEMA"));
    }

    #[test]
    fn an_unclosed_quote_ends_at_the_line_break() {
        assert!(has_comments("\"abc\n-- comment"));
    }
}
