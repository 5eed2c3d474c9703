//! The key of one stored database.

/// Which stored database a request reads and writes: the public one, or one user's private one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DatabaseKey {
    /// `public` or `private`.
    pub scope: &'static str,
    /// The owning user's record name; empty for the public database.
    pub owner: String,
}

impl DatabaseKey {
    /// The public database.
    pub fn public() -> DatabaseKey {
        DatabaseKey {
            scope: "public",
            owner: String::new(),
        }
    }

    /// A user's private database.
    pub fn private(owner: &str) -> DatabaseKey {
        DatabaseKey {
            scope: "private",
            owner: owner.to_owned(),
        }
    }
}
