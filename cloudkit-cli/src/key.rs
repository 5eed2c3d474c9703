//! `cloudkit key new`: a server-to-server key pair for CloudKit Web Services.
//!
//! CloudKit signs server-to-server requests with ECDSA on P-256. Apple's instructions make the
//! private key with `openssl ecparam -name prime256v1 -genkey -noout` (a SEC1 `EC PRIVATE
//! KEY` PEM) and register its public half in CloudKit Console, which then shows the key ID.
//! This command does both halves without OpenSSL: the private key goes to a file only its
//! owner can read, the public key to stdout for pasting into the Console (or into
//! `cloudkit serve --server-key`).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use p256::SecretKey;
use p256::pkcs8::{EncodePublicKey as _, LineEnding};

/// The `key` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum KeyCommand {
    /// Make a new server-to-server key pair: the private key to a file (mode 0600), the public
    /// key to stdout.
    #[command(after_help = "\
Examples:
  cloudkit key new                       # writes eckey.pem, prints the public key
  cloudkit key new -o secrets/ck.pem     # another file
  cloudkit key new --public-out ck.pub   # also write the public key to a file

Then paste the public key in CloudKit Console (API Access > Server-to-Server Keys), and
use the key ID it shows with the private key file, e.g. CLOUDKIT_KEY_ID and
CLOUDKIT_PRIVATE_KEY_FILE; or try it locally:
  cloudkit serve --container iCloud.com.example.app --server-key my-key=eckey.pem
(the emulator takes the private key file too and keeps only its public half).")]
    New(NewArgs),
}

/// Arguments of `cloudkit key new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// Where to write the private key (SEC1 PEM, as `openssl ecparam -genkey` writes it).
    #[arg(
        short = 'o',
        long = "out",
        value_name = "FILE",
        default_value = "eckey.pem"
    )]
    out: PathBuf,
    /// Also write the public key (SPKI PEM) to this file.
    #[arg(long = "public-out", value_name = "FILE")]
    public_out: Option<PathBuf>,
    /// Replace the private key file if it exists (the old key is lost).
    #[arg(long)]
    force: bool,
}

impl KeyCommand {
    /// Runs the command; false when it failed (the reason has been printed).
    pub fn run(self) -> bool {
        match self {
            KeyCommand::New(args) => match new_key(&args) {
                Ok(public_pem) => {
                    print!("{public_pem}");
                    eprintln!(
                        "private key written to {} (readable by you only); the public key above \
                         goes into CloudKit Console",
                        args.out.display()
                    );
                    true
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    false
                }
            },
        }
    }
}

/// Makes the key pair, writes the files, and returns the public key PEM.
fn new_key(args: &NewArgs) -> Result<String, String> {
    let secret = random_secret_key()?;
    let private_pem = secret
        .to_sec1_pem(LineEnding::LF)
        .map_err(|e| format!("cannot encode the private key: {e}"))?;
    let public_pem = secret
        .public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| format!("cannot encode the public key: {e}"))?;
    write_owner_only(&args.out, private_pem.as_bytes(), args.force)?;
    if let Some(path) = &args.public_out {
        std::fs::write(path, public_pem.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(public_pem)
}

/// A P-256 secret scalar from the operating system's random source.
fn random_secret_key() -> Result<SecretKey, String> {
    // A 32-byte string is a valid scalar unless it is zero or not below the group order,
    // which happens with a probability near 2^-32: draw again then.
    for _ in 0..16 {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| format!("no random source: {e}"))?;
        if let Ok(secret) = SecretKey::from_slice(&bytes) {
            return Ok(secret);
        }
    }
    Err("the random source gave no usable key in 16 draws".to_owned())
}

/// Creates `path` readable and writable by its owner only, before any secret byte is written.
fn write_owner_only(path: &Path, contents: &[u8], force: bool) -> Result<(), String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => format!(
            "{} exists; pass --force to replace it (the key in it is then lost)",
            path.display()
        ),
        _ => format!("cannot create {}: {e}", path.display()),
    })?;
    // An existing file kept its old mode under --force: narrow it too.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("cannot restrict {}: {e}", path.display()))?;
    }
    file.write_all(contents)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
