//! Web auth tokens: signed-in test users (web-services spec §2.2).
//!
//! The emulator knows named test users. [`Sessions::sign_in`] issues a token for one; a request
//! carrying it as `ckWebAuthToken` acts as that user, and every response carries a fresh token in
//! `X-Apple-CloudKit-Web-Auth-Token`, which replaces the one presented. The sign-in web page
//! (`http::sign_in`) issues tokens to browsers through [`Sessions::sign_in`] too.
//!
//! With a data file ([`Sessions::persisted_in`]) every sign-in is also written to the store
//! (token hashes and expiries, never a token), so that a restart keeps users signed in as
//! CloudKit does.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest as _, Sha256};

use crate::storage::{StorageError, Store, StoredWebSession};

/// A web auth token. Its value never appears in `Debug` output.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct WebAuthToken(String);

impl WebAuthToken {
    /// The raw token, to be percent-encoded once into `ckWebAuthToken`.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for WebAuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebAuthToken(<redacted>)")
    }
}

/// A test user as the emulator knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The name used to sign in, e.g. `alice`.
    pub name: String,
    /// The user record name, `_` followed by 32 hex digits, stable for a name.
    pub user_record_name: String,
}

impl User {
    /// The user for a test name. The record name is derived from the name so that it is the
    /// same across restarts of a file-backed emulator.
    pub fn named(name: &str) -> User {
        let digest = Sha256::digest(format!("cloudkit-emulator user {name}").as_bytes());
        let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        User {
            name: name.to_owned(),
            user_record_name: format!("_{hex}"),
        }
    }
}

/// The SHA-256 of a token: the key sessions are found by, so that raw tokens of earlier
/// rotations are not kept.
type TokenKey = [u8; 32];

fn key(token: &str) -> TokenKey {
    Sha256::digest(token.as_bytes()).into()
}

/// How many replaced tokens of one sign-in stay valid (each until its own expiry), so that
/// requests already in flight with an older token, or clients that adopt rotated tokens late,
/// still get through. Older ones are forgotten at once.
const KEPT_PREVIOUS: usize = 8;

/// One sign-in: the token last issued for it and the few it replaced.
struct Session {
    user: User,
    /// The current token's text; `None` for a sign-in read back from the data file, which
    /// keeps only hashes.
    current: Option<WebAuthToken>,
    current_key: TokenKey,
    expires: Instant,
    previous: VecDeque<(TokenKey, Instant)>,
}

impl Session {
    fn accepts(&self, key: &TokenKey, now: Instant) -> bool {
        if *key == self.current_key {
            return self.expires > now;
        }
        self.previous
            .iter()
            .any(|(k, until)| k == key && *until > now)
    }
}

/// Milliseconds since the Unix epoch of `at`, an instant measured against `now`.
fn wall_ms(at: Instant, now: Instant) -> i64 {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    if at >= now {
        now_ms.saturating_add(ms(at - now))
    } else {
        now_ms.saturating_sub(ms(now - at))
    }
}

/// The instant of `wall` (ms since the Unix epoch), measured against `now`.
fn instant_of(wall: i64, now: Instant) -> Instant {
    let ahead = wall.saturating_sub(wall_ms(now, now));
    let ahead = Duration::from_millis(u64::try_from(ahead).unwrap_or(0));
    now + ahead
}

/// Sign-ins and the index from token hash to sign-in.
#[derive(Default)]
struct Table {
    by_token: HashMap<TokenKey, u64>,
    sessions: HashMap<u64, Session>,
    next_id: u64,
    /// Session count at which expired ones are next purged (amortised: doubles with the
    /// live count, so each purge is paid for by as many sign-ins).
    purge_at: usize,
}

impl Table {
    fn session_of(&self, token: &str) -> Option<(u64, &Session)> {
        let id = *self.by_token.get(&key(token))?;
        self.sessions.get(&id).map(|s| (id, s))
    }

    fn remove(&mut self, id: u64, store: Option<&Store>) {
        forget(store, id);
        if let Some(session) = self.sessions.remove(&id) {
            self.by_token.remove(&session.current_key);
            for (k, _) in &session.previous {
                self.by_token.remove(k);
            }
        }
    }

    fn purge_expired(&mut self, now: Instant, store: Option<&Store>) {
        if self.sessions.len() < self.purge_at {
            return;
        }
        let expired: Vec<u64> = self
            .sessions
            .iter()
            .filter(|(_, s)| s.expires <= now)
            .map(|(id, _)| *id)
            .collect();
        for id in expired {
            self.remove(id, store);
        }
        self.purge_at = (self.sessions.len() * 2).max(64);
    }
}

/// Issued tokens and the users they stand for. Looking a token up is one hash-map probe;
/// rotation replaces a sign-in's token rather than adding a session, and expired sign-ins are
/// purged as new ones come.
pub struct Sessions {
    table: Mutex<Table>,
    lifetime: Duration,
    strict_rotation: bool,
    /// Where sign-ins are kept across restarts (file-backed emulators only).
    store: Option<Arc<Store>>,
}

/// A stored session number for a sign-in number (the store's are `i64`).
fn stored_id(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

/// Writes a sign-in to the store. A failed write is logged, not fatal: the sign-in still
/// works until the emulator stops.
fn persist(store: Option<&Store>, id: u64, session: &Session, now: Instant) {
    let Some(store) = store else { return };
    let stored = StoredWebSession {
        id: stored_id(id),
        user_name: session.user.name.clone(),
        tokens: std::iter::once((session.current_key, wall_ms(session.expires, now)))
            .chain(
                session
                    .previous
                    .iter()
                    .map(|(k, at)| (*k, wall_ms(*at, now))),
            )
            .collect(),
    };
    if let Err(e) = store.transaction(|tx| tx.put_web_session(&stored)) {
        tracing::warn!("cannot keep a sign-in in the data file: {e}");
    }
}

/// Removes a sign-in from the store (logged on failure, like [`persist`]).
fn forget(store: Option<&Store>, id: u64) {
    let Some(store) = store else { return };
    if let Err(e) = store.transaction(|tx| tx.delete_web_session(stored_id(id))) {
        tracing::warn!("cannot remove a sign-in from the data file: {e}");
    }
}

impl fmt::Debug for Sessions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sessions")
            .field("lifetime", &self.lifetime)
            .field("strict_rotation", &self.strict_rotation)
            .finish_non_exhaustive()
    }
}

fn new_token() -> WebAuthToken {
    let bytes: [u8; 48] = rand::random();
    // Standard base64 keeps `+`, `/` and `=` in tokens, so clients that do not
    // percent-encode them fail here as they would against iCloud.
    WebAuthToken(STANDARD.encode(bytes))
}

impl Sessions {
    /// A store whose tokens live `lifetime`. With `strict_rotation`, a token is good for one
    /// request only (Apple's documented rule); otherwise a replaced token stays valid until it
    /// expires (the last [`KEPT_PREVIOUS`] of a sign-in), as the live service behaves.
    pub fn new(lifetime: Duration, strict_rotation: bool) -> Sessions {
        Sessions {
            table: Mutex::new(Table::default()),
            lifetime,
            strict_rotation,
            store: None,
        }
    }

    /// Keeps sign-ins in `store` from now on, and takes back the ones it holds that have not
    /// expired (a restart on the same data file).
    pub fn persisted_in(mut self, store: Arc<Store>) -> Result<Sessions, StorageError> {
        let now = Instant::now();
        let stored = store.transaction(|tx| tx.live_web_sessions(wall_ms(now, now)))?;
        {
            let table = self.table.get_mut().unwrap_or_else(|p| p.into_inner());
            for s in stored {
                let Some(((current_key, expires), previous)) = s.tokens.split_first() else {
                    continue;
                };
                let Ok(id) = u64::try_from(s.id) else {
                    continue;
                };
                table.by_token.insert(*current_key, id);
                for (k, _) in previous {
                    table.by_token.insert(*k, id);
                }
                table.sessions.insert(
                    id,
                    Session {
                        user: User::named(&s.user_name),
                        current: None,
                        current_key: *current_key,
                        expires: instant_of(*expires, now),
                        previous: previous
                            .iter()
                            .map(|(k, at)| (*k, instant_of(*at, now)))
                            .collect(),
                    },
                );
                table.next_id = table.next_id.max(id.saturating_add(1));
            }
        }
        self.store = Some(store);
        Ok(self)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Signs in the test user `name` and returns a fresh token for it.
    pub fn sign_in(&self, name: &str) -> WebAuthToken {
        let token = new_token();
        let now = Instant::now();
        let mut table = self.lock();
        table.purge_expired(now, self.store.as_deref());
        let id = table.next_id;
        table.next_id += 1;
        let current_key = key(token.expose());
        table.by_token.insert(current_key, id);
        let session = Session {
            user: User::named(name),
            current: Some(token.clone()),
            current_key,
            expires: now + self.lifetime,
            previous: VecDeque::new(),
        };
        persist(self.store.as_deref(), id, &session, now);
        table.sessions.insert(id, session);
        token
    }

    /// The user a token stands for, if it is known and not expired.
    pub fn user(&self, token: &str) -> Option<User> {
        let table = self.lock();
        let (_, session) = table.session_of(token)?;
        session
            .accepts(&key(token), Instant::now())
            .then(|| session.user.clone())
    }

    /// Signs out: forgets the sign-in `token` belongs to, with every token of it.
    pub fn revoke(&self, token: &str) {
        let mut table = self.lock();
        if let Some((id, _)) = table.session_of(token) {
            table.remove(id, self.store.as_deref());
        }
    }

    /// The token that replaces `token` in the response: a new one when `token` is the
    /// sign-in's current token (which then joins the replaced ones, or is forgotten under
    /// strict rotation), else the current one (a request that raced another with the same
    /// token). `None` when the sign-in is gone.
    pub fn rotate(&self, token: &str) -> Option<WebAuthToken> {
        let presented = key(token);
        let now = Instant::now();
        let mut table = self.lock();
        let (id, _) = table.session_of(token)?;
        let fresh = new_token();
        let fresh_key = key(fresh.expose());
        let lifetime = self.lifetime;
        let strict = self.strict_rotation;
        let mut forgotten = Vec::new();
        let answer = {
            let session = table.sessions.get_mut(&id)?;
            if session.current_key != presented
                && let Some(current) = &session.current
            {
                return Some(current.clone());
            }
            if strict {
                forgotten.push(session.current_key);
            } else {
                session
                    .previous
                    .push_front((session.current_key, session.expires));
                while session.previous.len() > KEPT_PREVIOUS {
                    if let Some((k, _)) = session.previous.pop_back() {
                        forgotten.push(k);
                    }
                }
            }
            session.current = Some(fresh.clone());
            session.current_key = fresh_key;
            session.expires = now + lifetime;
            persist(self.store.as_deref(), id, session, now);
            fresh
        };
        for k in forgotten {
            table.by_token.remove(&k);
        }
        table.by_token.insert(fresh_key, id);
        Some(answer)
    }

    /// How many sign-ins and token keys are held (tests and benchmarks).
    #[cfg(test)]
    fn sizes(&self) -> (usize, usize) {
        let table = self.lock();
        (table.sessions.len(), table.by_token.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_stable_and_distinct() {
        let a = User::named("alice");
        assert_eq!(a, User::named("alice"));
        assert_ne!(a.user_record_name, User::named("bob").user_record_name);
        assert!(a.user_record_name.starts_with('_'));
        assert_eq!(a.user_record_name.len(), 33);
    }

    #[test]
    fn tokens_resolve_rotate_and_redact() {
        let strict = Sessions::new(Duration::from_secs(60), true);
        let t = strict.sign_in("alice");
        assert_eq!(
            strict.user(t.expose()).map(|u| u.name),
            Some("alice".to_owned())
        );
        let t2 = strict
            .rotate(t.expose())
            .unwrap_or_else(|| panic!("rotates"));
        assert!(strict.user(t.expose()).is_none());
        assert!(strict.user(t2.expose()).is_some());
        assert_eq!(format!("{t2:?}"), "WebAuthToken(<redacted>)");

        let lenient = Sessions::new(Duration::from_secs(60), false);
        let t = lenient.sign_in("bob");
        let t2 = lenient
            .rotate(t.expose())
            .unwrap_or_else(|| panic!("rotates"));
        assert!(lenient.user(t.expose()).is_some());
        // A request racing with the replaced token gets the current one, not another.
        assert_eq!(lenient.rotate(t.expose()).as_ref(), Some(&t2));
        assert!(lenient.user("nope").is_none());
    }

    #[test]
    fn rotation_replaces_and_expired_sign_ins_are_purged() {
        let sessions = Sessions::new(Duration::from_secs(60), false);
        let first = sessions.sign_in("alice");
        let mut token = first.clone();
        for _ in 0..1000 {
            token = sessions
                .rotate(token.expose())
                .unwrap_or_else(|| panic!("rotates"));
        }
        assert_eq!(sessions.sizes(), (1, 1 + KEPT_PREVIOUS));
        assert!(sessions.user(first.expose()).is_none(), "long replaced");
        sessions.revoke(token.expose());
        assert_eq!(sessions.sizes(), (0, 0));

        let short = Sessions::new(Duration::from_millis(1), false);
        for _ in 0..1000 {
            let _ = short.sign_in("carol");
            std::thread::sleep(Duration::from_micros(50));
        }
        std::thread::sleep(Duration::from_millis(5));
        let _ = short.sign_in("carol");
        let (live, keys) = short.sizes();
        assert!(
            live <= 128 && keys == live,
            "{live} sign-ins, {keys} keys held"
        );
    }

    #[test]
    fn kept_sign_ins_come_back_with_their_expiry_and_sign_outs_do_not() -> Result<(), StorageError>
    {
        let store = Arc::new(Store::memory()?);
        let open = |lifetime| Sessions::new(lifetime, false).persisted_in(Arc::clone(&store));
        let sessions = open(Duration::from_secs(60))?;
        let kept = sessions.sign_in("alice");
        let replaced = kept.clone();
        let kept = sessions
            .rotate(kept.expose())
            .unwrap_or_else(|| panic!("rotates"));
        let gone = sessions.sign_in("bob");
        sessions.revoke(gone.expose());
        let short = Sessions::new(Duration::from_millis(1), false)
            .persisted_in(Arc::clone(&store))?
            .sign_in("carol");
        std::thread::sleep(Duration::from_millis(5));

        let reopened = open(Duration::from_secs(60))?;
        assert_eq!(
            reopened.user(kept.expose()).map(|u| u.name),
            Some("alice".into())
        );
        assert!(
            reopened.user(replaced.expose()).is_some(),
            "replaced, not expired"
        );
        assert!(reopened.user(gone.expose()).is_none(), "signed out");
        assert!(reopened.user(short.expose()).is_none(), "expired");
        // A kept sign-in rotates on as before; a new one does not reuse its number.
        let next = reopened
            .rotate(kept.expose())
            .unwrap_or_else(|| panic!("rotates"));
        let dave = reopened.sign_in("dave");
        assert_eq!(
            reopened.user(next.expose()).map(|u| u.name),
            Some("alice".into())
        );
        assert_eq!(
            reopened.user(dave.expose()).map(|u| u.name),
            Some("dave".into())
        );
        Ok(())
    }
}
