//! Turning a name into a Rust identifier: keywords made raw, other characters replaced,
//! clashes made unique.

use proc_macro2::{Ident, Span};

/// Words that cannot be identifiers even as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Whether `word` is a Rust keyword (strict or reserved, 2024 edition).
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async"
            | "await"
            | "break"
            | "const"
            | "continue"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "try"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
    )
}

/// Makes `name` a valid identifier: other characters become `_`, a leading digit gets `_`.
fn sanitize(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// An identifier for `text`, raw if it is a keyword, unique among `taken` (which it joins).
pub fn unique_ident(text: &str, taken: &mut Vec<String>) -> Ident {
    let mut candidate = sanitize(text);
    if NOT_RAW.contains(&candidate.as_str()) {
        candidate.push('_');
    }
    while taken.contains(&candidate) {
        candidate.push('_');
    }
    taken.push(candidate.clone());
    if is_keyword(&candidate) {
        Ident::new_raw(&candidate, Span::call_site())
    } else {
        Ident::new(&candidate, Span::call_site())
    }
}

/// The marker type for a schema field: `Note_title`, the record type and the field as the
/// schema spells them, so that compiler messages (which print the type) name the field; with
/// the record type in it, no two record types' markers share a name, so rustc never needs the
/// hidden module's path to tell them apart.
pub fn marker_ident(record_type: &str, schema_name: &str, taken: &mut Vec<String>) -> Ident {
    unique_ident(&format!("{record_type}_{schema_name}"), taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_and_clashes_unique() {
        let mut taken = Vec::new();
        assert_eq!(unique_ident("type", &mut taken).to_string(), "r#type");
        assert_eq!(unique_ident("self", &mut taken).to_string(), "self_");
        assert_eq!(unique_ident("a.b", &mut taken).to_string(), "a_b");
        assert_eq!(unique_ident("a_b", &mut taken).to_string(), "a_b_");
    }
}
