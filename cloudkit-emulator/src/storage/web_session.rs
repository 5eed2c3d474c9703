//! Signed-in users' sessions, so that a restart on the same data file keeps them (the
//! tokens themselves are never stored: only their SHA-256, see `auth::web_auth`).

use rusqlite::params;

use super::error::StorageError;
use super::store::Tx;

/// One token of a stored session: its SHA-256 and when it expires (ms since the Unix epoch).
pub type StoredTokenKey = ([u8; 32], i64);

/// A sign-in as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWebSession {
    /// The session's number, unique in the data file.
    pub id: i64,
    /// The test user's name.
    pub user_name: String,
    /// The current token first, then the replaced ones still valid.
    pub tokens: Vec<StoredTokenKey>,
}

const KEY_LEN: usize = 32;
const ENTRY_LEN: usize = KEY_LEN + 8;

fn encode(tokens: &[StoredTokenKey]) -> Vec<u8> {
    let mut out = Vec::with_capacity(tokens.len() * ENTRY_LEN);
    for (key, expires) in tokens {
        out.extend_from_slice(key);
        out.extend_from_slice(&expires.to_be_bytes());
    }
    out
}

fn decode(blob: &[u8]) -> Vec<StoredTokenKey> {
    blob.chunks_exact(ENTRY_LEN)
        .filter_map(|c| {
            let key: [u8; KEY_LEN] = c.get(..KEY_LEN)?.try_into().ok()?;
            let expires = i64::from_be_bytes(c.get(KEY_LEN..)?.try_into().ok()?);
            Some((key, expires))
        })
        .collect()
}

impl Tx<'_> {
    /// Stores a session, replacing what was stored under its number.
    pub fn put_web_session(&mut self, session: &StoredWebSession) -> Result<(), StorageError> {
        self.conn()
            .prepare_cached(
                "INSERT INTO web_sessions (id, user_name, tokens) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET user_name = excluded.user_name,
                     tokens = excluded.tokens",
            )?
            .execute(params![
                session.id,
                session.user_name,
                encode(&session.tokens)
            ])?;
        Ok(())
    }

    /// Forgets a session.
    pub fn delete_web_session(&mut self, id: i64) -> Result<(), StorageError> {
        self.conn()
            .prepare_cached("DELETE FROM web_sessions WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }

    /// Forgets every session whose tokens all expired before `now_ms`, and returns the rest.
    pub fn live_web_sessions(
        &mut self,
        now_ms: i64,
    ) -> Result<Vec<StoredWebSession>, StorageError> {
        let all: Vec<StoredWebSession> = {
            let mut stmt = self
                .conn()
                .prepare_cached("SELECT id, user_name, tokens FROM web_sessions")?;
            let rows = stmt.query_map([], |r| {
                Ok(StoredWebSession {
                    id: r.get(0)?,
                    user_name: r.get(1)?,
                    tokens: decode(&r.get::<_, Vec<u8>>(2)?),
                })
            })?;
            rows.collect::<Result<_, _>>()?
        };
        let mut live = Vec::with_capacity(all.len());
        for session in all {
            if session.tokens.iter().any(|(_, expires)| *expires > now_ms) {
                live.push(session);
            } else {
                self.delete_web_session(session.id)?;
            }
        }
        Ok(live)
    }
}
