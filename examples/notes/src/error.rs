//! Why the example stopped, and the step a client error happened in.

use std::fmt;

/// Why the example stopped.
#[derive(Debug)]
pub enum AppError {
    /// The environment or the emulator could not be set up.
    Setup(String),
    /// CloudKit (or the emulator) answered with an error, or could not be reached.
    CloudKit {
        /// What the example was doing.
        step: &'static str,
        /// The client's error.
        source: cloudkit_runtime::client::Error,
    },
    /// The server answered, but not what the story expected.
    Unexpected(String),
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Setup(message) => write!(f, "setup failed: {message}"),
            AppError::CloudKit { step, source } => write!(f, "{step} failed: {source}"),
            AppError::Unexpected(message) => write!(f, "unexpected answer: {message}"),
        }
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AppError::CloudKit { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<cloudkit_runtime::client::Error> for AppError {
    fn from(source: cloudkit_runtime::client::Error) -> Self {
        AppError::CloudKit {
            step: "setting up the client",
            source,
        }
    }
}

/// Tags a client error with the step it happened in.
pub trait Step<T> {
    /// `Err(e)` becomes [`AppError::CloudKit`] naming `step`.
    fn step(self, step: &'static str) -> Result<T, AppError>;
}

impl<T> Step<T> for Result<T, cloudkit_runtime::client::Error> {
    fn step(self, step: &'static str) -> Result<T, AppError> {
        self.map_err(|source| AppError::CloudKit { step, source })
    }
}
