//! Rust names for schema names: accessor methods, marker types, generated struct fields.

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

/// `createdAt` → `created_at`, `URLString` → `url_string`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev_lower = i > 0
                && chars
                    .get(i - 1)
                    .is_some_and(|p| p.is_lowercase() || p.is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let prev_upper = i > 0 && chars.get(i - 1).is_some_and(|p| p.is_uppercase());
            if i > 0 && (prev_lower || (prev_upper && next_lower)) && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
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

/// The accessor method for a schema field with no Rust field: its snake_case name.
pub fn method_ident(schema_name: &str, taken: &mut Vec<String>) -> Ident {
    unique_ident(&snake_case(schema_name), taken)
}

/// The marker type for a schema field: the schema name itself, so that compiler messages
/// (which print the type) name the field as the schema spells it.
pub fn marker_ident(schema_name: &str, taken: &mut Vec<String>) -> Ident {
    unique_ident(schema_name, taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_cases_schema_names() {
        assert_eq!(snake_case("createdAt"), "created_at");
        assert_eq!(snake_case("URLString"), "url_string");
        assert_eq!(snake_case("title"), "title");
        assert_eq!(snake_case("isbn13Code"), "isbn13_code");
    }

    #[test]
    fn keywords_become_raw_and_clashes_unique() {
        let mut taken = Vec::new();
        assert_eq!(unique_ident("type", &mut taken).to_string(), "r#type");
        assert_eq!(unique_ident("self", &mut taken).to_string(), "self_");
        assert_eq!(unique_ident("a.b", &mut taken).to_string(), "a_b");
        assert_eq!(unique_ident("a_b", &mut taken).to_string(), "a_b_");
    }
}
