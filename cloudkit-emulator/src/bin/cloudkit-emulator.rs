//! A minimal launcher for the emulator, used by the durability test and handy by hand until
//! `cloudkit serve` exists:
//!
//! `cloudkit-emulator [--data FILE | --memory] [--schema FILE] [--container ID]
//!  [--environment development|production] [--api-token TOKEN] [--port N] [--sign-in NAME]`
//!
//! Prints `listening <base URL>` and, for each `--sign-in NAME`, `token NAME <token>`, then
//! serves until killed.

use std::path::PathBuf;

use cloudkit_emulator::{ServeOptions, Storage};

fn main() {
    if let Err(e) = run() {
        eprintln!("cloudkit-emulator: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut options = ServeOptions {
        container: "iCloud.com.example.app".to_owned(),
        ..ServeOptions::default()
    };
    let mut sign_in = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--data" => options.storage = Storage::File(PathBuf::from(value()?)),
            "--memory" => options.storage = Storage::Memory,
            "--schema" => options.schema_file = Some(PathBuf::from(value()?)),
            "--container" => options.container = value()?,
            "--environment" => options.environment = value()?.parse()?,
            "--api-token" => options.api_tokens.push(value()?),
            "--port" => options.port = value()?.parse()?,
            "--sign-in" => sign_in.push(value()?),
            other => return Err(format!("unknown flag {other}").into()),
        }
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let emu = options.builder()?.start().await?;
        println!("listening {}", emu.base_url());
        for name in &sign_in {
            println!("token {name} {}", emu.sign_in(name).expose());
        }
        std::future::pending::<()>().await;
        Ok::<(), Box<dyn std::error::Error>>(())
    })
}
