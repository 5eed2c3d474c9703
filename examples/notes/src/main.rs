//! A small notes app on CloudKit, told as a story: zone, folder, notes, typed queries across
//! pages, an update with its change tag, a conflict handled, sync tokens, a typed
//! subscription, a delete.
//!
//! Run it with `cargo run -p notes`. Without Apple credentials it starts the emulator in this
//! process; with `CLOUDKIT_*` variables it talks to iCloud (see README.md).

mod error;
mod records;
mod story;
mod target;

use std::process::ExitCode;

use error::AppError;

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
