//! The key-store port: the keys that personal data in the log is encrypted with, one per data
//! subject, kept outside the log so that destroying one erases that subject's data while the
//! log, and its hash chain, stay as they are (crypto-shredding).
//!
//! The store knows nothing of what a key encrypts: it keeps 32 random bytes under a name and
//! forgets them on request, leaving a tombstone so that "erased" is never confused with "lost".

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::StoreError;

/// The length of every key: 256 bits.
pub const KEY_LEN: usize = 32;

/// The name a key is kept under: the stream whose personal data it encrypts (e.g.
/// `person-record-<uuid>`). The same alphabet as stream names.
pub type KeyId = str;

/// What the key store holds under one name.
#[derive(Clone, PartialEq, Eq)]
pub enum KeyState {
    /// No key was ever made under this name.
    Absent,
    /// The key, as made.
    Live([u8; KEY_LEN]),
    /// The key was destroyed at this time: what it encrypted can no longer be read.
    Destroyed { at: DateTime<Utc> },
}

impl std::fmt::Debug for KeyState {
    // A key never reaches a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyState::Absent => f.write_str("Absent"),
            KeyState::Live(_) => f.write_str("Live(…)"),
            KeyState::Destroyed { at } => write!(f, "Destroyed {{ at: {at} }}"),
        }
    }
}

/// One row of a key store, as a copy or a backup carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRecord {
    pub id: String,
    pub state: KeyState,
}

/// The key store. Contract shared by every adapter (the conformance suite checks each point):
/// - a key is made once: `create` with a name that already has a key (live or destroyed)
///   keeps what is there and answers it, so two writers racing for a new subject agree;
/// - a destroyed key never comes back, not by `create` and not by `import`;
/// - `destroy` is idempotent and leaves no trace of the key's bytes in the store.
#[async_trait]
pub trait KeyStore: Send + Sync + 'static {
    /// What is kept under `id`.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] or [`StoreError::Corrupt`].
    async fn key(&self, id: &KeyId) -> Result<KeyState, StoreError>;

    /// Keeps `fresh` under `id` unless something is kept there already; answers what is kept.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] or [`StoreError::Corrupt`].
    async fn create(&self, id: &KeyId, fresh: [u8; KEY_LEN]) -> Result<KeyState, StoreError>;

    /// Destroys the key under `id` (a tombstone with the time stays). Destroying a name that
    /// has no key leaves a tombstone too, so nothing can be encrypted under it later.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`].
    async fn destroy(&self, id: &KeyId, at: DateTime<Utc>) -> Result<(), StoreError>;

    /// Every record, in name order: for a copy or a backup.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] or [`StoreError::Corrupt`].
    async fn export_keys(&self) -> Result<Vec<KeyRecord>, StoreError>;

    /// Writes records of another store: a live key is kept where this store has nothing under
    /// its name, a tombstone always wins.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`].
    async fn import_keys(&self, records: &[KeyRecord]) -> Result<(), StoreError> {
        for record in records {
            match &record.state {
                KeyState::Absent => {}
                KeyState::Live(key) => {
                    self.create(&record.id, *key).await?;
                }
                KeyState::Destroyed { at } => self.destroy(&record.id, *at).await?,
            }
        }
        Ok(())
    }
}

/// A key store in memory, for tests and the `memory:` store.
#[derive(Debug, Default)]
pub struct MemoryKeyStore {
    keys: Mutex<HashMap<String, KeyState>>,
}

impl MemoryKeyStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn keys(&self) -> std::sync::MutexGuard<'_, HashMap<String, KeyState>> {
        self.keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait]
impl KeyStore for MemoryKeyStore {
    async fn key(&self, id: &KeyId) -> Result<KeyState, StoreError> {
        Ok(self.keys().get(id).cloned().unwrap_or(KeyState::Absent))
    }

    async fn create(&self, id: &KeyId, fresh: [u8; KEY_LEN]) -> Result<KeyState, StoreError> {
        Ok(self
            .keys()
            .entry(id.to_owned())
            .or_insert(KeyState::Live(fresh))
            .clone())
    }

    async fn destroy(&self, id: &KeyId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut keys = self.keys();
        if !matches!(keys.get(id), Some(KeyState::Destroyed { .. })) {
            keys.insert(id.to_owned(), KeyState::Destroyed { at });
        }
        Ok(())
    }

    async fn export_keys(&self) -> Result<Vec<KeyRecord>, StoreError> {
        let mut records: Vec<KeyRecord> = self
            .keys()
            .iter()
            .map(|(id, state)| KeyRecord {
                id: id.clone(),
                state: state.clone(),
            })
            .collect();
        records.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(records)
    }
}
