//! `cloudkit schema reset`: development's schema back to production's, development data
//! deleted. Asks first.

use std::io::{BufRead as _, IsTerminal as _, Write as _};

use crate::management::{Connection, TargetArgs, block_on};
use crate::report::Outcome;

/// Arguments of `cloudkit schema reset`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    cloudkit schema reset --container iCloud.com.example.notes\n  \
    cloudkit schema reset --yes      # in scripts; without a terminal --yes is required\n\n\
    Development only: production is never reset.")]
pub struct Args {
    /// Do not ask.
    #[arg(long)]
    yes: bool,
    #[command(flatten)]
    target: TargetArgs,
}

/// Whether to go ahead: `--yes`, or a "y" typed at a terminal. Without a terminal and
/// without `--yes`, no.
pub fn confirmed(
    yes: bool,
    interactive: bool,
    container: &str,
    answer: impl FnOnce() -> String,
) -> Result<bool, String> {
    if yes {
        return Ok(true);
    }
    if !interactive {
        return Err(format!(
            "refusing to reset development of {container} without confirmation: no terminal to ask on; pass --yes"
        ));
    }
    let answer = answer();
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// Asks, then resets.
pub fn run(args: &Args) -> Outcome {
    let target = match args.target.resolve() {
        Ok(target) => target,
        Err(error) => {
            eprintln!("error: {error}");
            return Outcome::Failure;
        }
    };
    let container = target.container.clone();
    let go = confirmed(args.yes, std::io::stdin().is_terminal(), &container, || {
        eprint!(
            "Reset development of {container} to production? Its development schema changes \
             and ALL development records are deleted. [y/N] "
        );
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);
        line
    });
    match go {
        Ok(true) => {}
        Ok(false) => {
            eprintln!("not reset");
            return Outcome::Failure;
        }
        Err(error) => {
            eprintln!("error: {error}");
            return Outcome::Failure;
        }
    }
    match Connection::open(target).and_then(|c| block_on(c.container().reset_development())) {
        Ok(()) => {
            println!("development of {container} reset to production");
            Outcome::Success
        }
        Err(error) => {
            eprintln!("error: {error}");
            Outcome::Failure
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_terminal_only_yes_goes_ahead() {
        let never = || -> String { panic!("must not ask") };
        assert_eq!(confirmed(true, false, "iCloud.a", never), Ok(true));
        let refused = confirmed(false, false, "iCloud.a", never).expect_err("refused");
        assert!(refused.contains("--yes"), "{refused}");
        assert_eq!(
            confirmed(false, true, "iCloud.a", || "y\n".into()),
            Ok(true)
        );
        assert_eq!(
            confirmed(false, true, "iCloud.a", || "\n".into()),
            Ok(false)
        );
        assert_eq!(
            confirmed(false, true, "iCloud.a", || "nope".into()),
            Ok(false)
        );
    }
}
