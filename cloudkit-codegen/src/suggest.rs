//! Did-you-mean suggestions for misspelt record types, fields and options.

/// The candidate closest to `name`, if one is close enough to be a likely typo.
///
/// Case-insensitive equality wins outright (`Title` for `title`); otherwise the
/// Jaro-Winkler similarity must reach 0.8.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let score = if candidate.to_lowercase() == lower {
            2.0
        } else {
            strsim::jaro_winkler(&lower, &candidate.to_lowercase())
        };
        if score >= 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_names_only() {
        let names = ["title", "body", "tags", "folder"];
        assert_eq!(did_you_mean("titel", names), Some("title"));
        assert_eq!(did_you_mean("Title", names), Some("title"));
        assert_eq!(did_you_mean("attachment", names), None);
    }
}
