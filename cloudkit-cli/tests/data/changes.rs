//! `cloudkit changes`: the feed, resuming from the printed token, and `--follow` until Ctrl-C.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use super::emulator::TestEmulator;

const PRIVATE_NOTES: [&str; 4] = ["--database", "private", "--zone", "Notes"];

fn create(emu: &TestEmulator, name: &str) {
    let mut args = vec![
        "records", "create", "Note", "--name", name, "--field", "title=t",
    ];
    args.extend(PRIVATE_NOTES);
    emu.run(&args).ok();
}

fn token_of(stdout: &str) -> String {
    let last = stdout.lines().last().expect("a last line");
    last.strip_prefix("syncToken ")
        .unwrap_or_else(|| panic!("the token ends the output: {stdout}"))
        .to_owned()
}

#[test]
fn the_feed_prints_each_change_and_a_token_to_resume_from() {
    let emu = TestEmulator::start();
    emu.run(&["zones", "create", "Notes", "--database", "private"])
        .ok();
    create(&emu, "a");
    create(&emu, "b");
    let mut args = vec!["changes"];
    args.extend(PRIVATE_NOTES);
    let first = emu.run(&args).ok();
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(lines[..2], ["saved Note a", "saved Note b"], "{first}");
    let token = token_of(&first);

    let mut delete = vec!["records", "delete", "a"];
    delete.extend(PRIVATE_NOTES);
    emu.run(&delete).ok();
    create(&emu, "c");
    let mut resumed = args.clone();
    resumed.extend(["--since", token.as_str()]);
    let second = emu.run(&resumed).ok();
    let lines: Vec<&str> = second.lines().collect();
    assert_eq!(lines[..2], ["deleted - a", "saved Note c"], "{second}");
    assert_ne!(token_of(&second), token);

    let json = {
        let mut args = args.clone();
        args.push("--json");
        emu.run(&args).json_lines()
    };
    assert!(
        json.last().expect("a token line")["syncToken"].is_string(),
        "{json:?}"
    );

    let public = emu.run(&["changes"]);
    assert_eq!(public.code, 2, "{public:#?}");
}

#[test]
fn follow_prints_new_changes_and_the_token_on_ctrl_c() {
    let emu = TestEmulator::start();
    emu.run(&["zones", "create", "Notes", "--database", "private"])
        .ok();
    create(&emu, "before");
    let mut args = vec!["changes", "--follow", "--interval", "0.1"];
    args.extend(PRIVATE_NOTES);
    let mut child = emu
        .cloudkit(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cloudkit changes --follow starts");
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().and_then(Result::ok).expect("a first change");
    assert_eq!(first, "saved Note before");
    create(&emu, "after");
    let second = lines.next().and_then(Result::ok).expect("the new change");
    assert_eq!(second, "saved Note after");
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = child.wait().expect("exits");
    assert!(exit.success(), "{exit:?}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(
        rest.last().is_some_and(|l| l.starts_with("syncToken ")),
        "{rest:?}"
    );
}
