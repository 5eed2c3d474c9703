//! [`SyncToken`]: where a change feed resumes.

use std::fmt;

/// A change feed's position, handed out with every page of `changes/database` and
/// `changes/zone`. Persist the latest one (it serializes as a plain string) and pass it back
/// to resume after that page; `None` in its place means the whole history.
///
/// ```
/// use cloudkit_runtime::client::SyncToken;
/// let token = SyncToken::from("AQAAAAAAAAB");
/// let stored = serde_json::to_string(&token)?;
/// assert_eq!(stored, r#""AQAAAAAAAAB""#);
/// assert_eq!(serde_json::from_str::<SyncToken>(&stored)?, token);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct SyncToken(String);

impl SyncToken {
    /// Wraps a token read back from storage.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token text, to store.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The token text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl From<String> for SyncToken {
    fn from(token: String) -> Self {
        Self(token)
    }
}

impl From<&str> for SyncToken {
    fn from(token: &str) -> Self {
        Self(token.to_owned())
    }
}

impl fmt::Display for SyncToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SyncToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SyncToken").field(&self.0).finish()
    }
}
