//! A small notes app on CloudKit, told as a story: zone, folder, notes, typed queries across
//! pages, an update with its change tag, a conflict handled, sync tokens, a typed
//! subscription, a delete.
//!
//! Run it with `cargo run -p notes`. Without Apple credentials it starts the emulator in this
//! process; with `CLOUDKIT_*` variables it talks to iCloud (see README.md).

mod records;
mod story;
mod target;

use std::fmt;
use std::process::ExitCode;

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

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), AppError> {
    let target = target::select().await?;
    let result = story::tell(&target).await;
    if let Some(emulator) = target.emulator {
        emulator.shutdown().await;
    }
    result
}
