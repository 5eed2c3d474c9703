//! The management API's tokens (spec §2.1). Neither ever appears in `Debug`, `Display`,
//! errors or logs.

use std::fmt;

/// A management token from CloudKit Console (account settings): teams, containers, schema and
/// reset. Scoped to a team and a user; valid for a year unless revoked.
#[derive(Clone, PartialEq, Eq)]
pub struct ManagementToken(String);

/// A user token (`xcrun cktool save-token --type user`): short-lived, for container
/// configuration reset and the v1 data calls.
#[derive(Clone, PartialEq, Eq)]
pub struct UserToken(String);

/// The container's API token (CloudKit Console, or the emulator's `--api-token`), sent as
/// `X-Apple-CloudKit-API-Token` on the v1 data calls; the token CKWS takes as `ckAPIToken`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken(String);

/// A signed-in user's web auth token, sent raw as `X-Apple-CloudKit-Web-Auth-Token` beside an
/// [`ApiToken`] on the v1 data calls; the token CKWS takes as `ckWebAuthToken`.
#[derive(Clone, PartialEq, Eq)]
pub struct WebAuthToken(String);

macro_rules! secret {
    ($name:ident) => {
        impl $name {
            /// Wraps the token text; surrounding whitespace (a pasted newline) is dropped.
            pub fn new(token: impl Into<String>) -> Self {
                Self(token.into().trim().to_owned())
            }

            /// Whether the token is empty (an unset variable, an empty line in a file).
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }

            pub(crate) fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("<redacted>")
            }
        }
    };
}

secret!(ManagementToken);
secret!(UserToken);
secret!(ApiToken);
secret!(WebAuthToken);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_never_print() {
        let token = ManagementToken::new(" s3cret\n");
        assert_eq!(token.expose(), "s3cret");
        assert_eq!(format!("{token:?}"), "ManagementToken(<redacted>)");
        assert_eq!(token.to_string(), "<redacted>");
        let user = UserToken::new("u5er");
        assert!(!format!("{user:?} {user}").contains("u5er"));
        let api = ApiToken::new("ap1");
        let web = WebAuthToken::new("w3b");
        assert!(!format!("{api:?} {api} {web:?} {web}").contains("ap1"));
        assert_eq!(format!("{web:?}"), "WebAuthToken(<redacted>)");
    }
}
