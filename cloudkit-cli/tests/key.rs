//! `cloudkit key new`: the real binary writes a usable key pair and guards the private half.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use p256::pkcs8::{DecodePublicKey as _, EncodePublicKey as _, LineEnding};

fn key_new(dir: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cloudkit"))
        .current_dir(dir)
        .args(["key", "new"])
        .args(extra)
        .output()
        .expect("cloudkit runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn new_writes_an_owner_only_private_key_and_prints_its_public_half() {
    let dir = scratch("key-new");
    let out = key_new(&dir, &["--public-out", "ck.pub"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let private_pem = std::fs::read_to_string(dir.join("eckey.pem")).expect("eckey.pem");
    assert!(private_pem.starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
    let secret = p256::SecretKey::from_sec1_pem(&private_pem).expect("a SEC1 P-256 key");
    let derived = secret
        .public_key()
        .to_public_key_pem(LineEnding::LF)
        .expect("encodes");

    let printed = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(printed, derived, "stdout is exactly the public key PEM");
    p256::PublicKey::from_public_key_pem(&printed).expect("stdout parses as a public key");
    let written = std::fs::read_to_string(dir.join("ck.pub")).expect("ck.pub");
    assert_eq!(written, derived);
    assert!(
        !printed.contains("PRIVATE"),
        "the private key never goes to stdout"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.join("eckey.pem"))
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "private key mode is {mode:o}");
    }
}

#[test]
fn an_existing_key_is_kept_unless_forced() {
    let dir = scratch("key-keep");
    assert!(key_new(&dir, &["-o", "k.pem"]).status.success());
    let first = std::fs::read_to_string(dir.join("k.pem")).expect("k.pem");

    let again = key_new(&dir, &["-o", "k.pem"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        again.stdout.is_empty(),
        "nothing printed for a key not written"
    );
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("exists") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("k.pem")).expect("k.pem"),
        first
    );

    let forced = key_new(&dir, &["-o", "k.pem", "--force"]);
    assert!(forced.status.success());
    assert_ne!(
        std::fs::read_to_string(dir.join("k.pem")).expect("k.pem"),
        first
    );
}

/// The private key file `key new` wrote is enough for `serve --server-key`: the emulator keeps
/// its public half.
#[test]
fn serve_takes_the_private_key_file_key_new_wrote() {
    use std::io::{BufRead as _, BufReader};
    use std::process::Stdio;

    let dir = scratch("key-serve");
    assert!(key_new(&dir, &[]).status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudkit"))
        .current_dir(&dir)
        .args([
            "serve",
            "--container",
            "iCloud.com.example.app",
            "--server-key",
            "my-key=eckey.pem",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cloudkit serve starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let first = BufReader::new(stdout).lines().next().and_then(Result::ok);
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let exit = child.wait().expect("cloudkit serve exits");
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
    }
    let first = first.unwrap_or_default();
    assert!(
        first.starts_with("CloudKit emulator for iCloud.com.example.app"),
        "{first} {stderr}"
    );
    assert!(exit.success(), "{exit:?} {stderr}");
    assert!(!stderr.contains("PRIVATE"), "{stderr}");
}
