//! How a command reports back: its exit outcome, and counted nouns in its messages.

use std::process::ExitCode;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was read and passed.
    Success,
    /// A file could not be read, was invalid, or did not pass the command's test.
    Failure,
    /// The arguments make no sense together (clap's own usage errors also exit with 2).
    Usage,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Failure => ExitCode::from(1),
            Outcome::Usage => ExitCode::from(2),
        }
    }
}

/// `1 record type`, `3 record types`.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("{n} {singular}")
    } else {
        format!("{n} {plural}")
    }
}
