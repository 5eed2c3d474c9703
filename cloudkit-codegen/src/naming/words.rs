//! The words of a name, and the snake_case spelling every naming rule compares by.
//!
//! CloudKit schemas spell fields the way the app that owns them does: Swift's camelCase with
//! upper-case acronyms (`userID`, `imageURL`), PascalCase, snake_case, dotted system names
//! (`cloudkit.title`). Splitting all of them into the same lower-case words lets a Rust field
//! `user_id` find `userID` without a rename.

/// The lower-case words of `name`.
///
/// A word ends at any character that is not a letter or digit, and before an upper-case letter
/// that follows a lower-case letter or digit (`user|Name`, `isbn13|Code`) or that starts a
/// capitalised word after an acronym (`URL|String`). Digits stay with the word before them.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            end_word(&mut word, &mut words);
            continue;
        }
        if c.is_uppercase() && !word.is_empty() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p));
            let after_lower = prev.is_some_and(|p| p.is_lowercase() || p.is_numeric());
            let acronym_end = prev.is_some_and(|p| p.is_uppercase())
                && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if after_lower || acronym_end {
                end_word(&mut word, &mut words);
            }
        }
        word.extend(c.to_lowercase());
    }
    end_word(&mut word, &mut words);
    words
}

fn end_word(word: &mut String, words: &mut Vec<String>) {
    if !word.is_empty() {
        words.push(std::mem::take(word));
    }
}

/// `createdAt` → `created_at`, `URLString` → `url_string`, `cloudkit.title` →
/// `cloudkit_title`, `type_` → `type`: the words joined with `_`.
pub fn snake_case(name: &str) -> String {
    words(name).join("_")
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
    fn splits_acronyms_where_swift_names_put_them() {
        assert_eq!(snake_case("userID"), "user_id");
        assert_eq!(snake_case("imageURL"), "image_url");
        assert_eq!(snake_case("URL"), "url");
        assert_eq!(
            snake_case("barometricPressureKPa"),
            "barometric_pressure_k_pa"
        );
        assert_eq!(snake_case("StartDate"), "start_date");
        assert_eq!(snake_case("CD_completionTime"), "cd_completion_time");
        assert_eq!(snake_case("cloudkit.title"), "cloudkit_title");
        assert_eq!(snake_case("user_id"), "user_id");
        assert_eq!(snake_case("type_"), "type");
        assert_eq!(snake_case("__x__y"), "x_y");
        assert_eq!(snake_case("v2Name"), "v2_name");
        assert_eq!(snake_case(""), "");
    }
}
