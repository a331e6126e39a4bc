//! The key store of the embedded store: the `subject_keys` table of the same file, so a copy of
//! the file carries its keys. One connection of its own with `secure_delete`, so a destroyed key
//! is overwritten on disk, not merely unlinked; the write-ahead log is truncated after a
//! destroy, so no old frame keeps it either.

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use event_store::{
    KEY_LEN, KeyId, KeyRecord, KeyState, KeyStore, StoreError, micros_to_time, time_to_micros,
};
use rusqlite::{Connection, OptionalExtension, params};

use crate::{SqliteStore, unavailable};

/// The keys of one SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteKeyStore {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteKeyStore {
    pub(crate) fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)
            .map_err(|e| unavailable(&format!("cannot open {}", path.display()), e))?;
        conn.pragma_update(None, "secure_delete", "ON")
            .and_then(|()| conn.pragma_update(None, "synchronous", "FULL"))
            .and_then(|()| conn.busy_timeout(std::time::Duration::from_secs(10)))
            .map_err(|e| unavailable("cannot configure the key store", e))?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let conn = conn
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            work(&conn)
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("key store task failed: {e}")))?
    }
}

impl SqliteStore {
    /// The key store kept in this store's file.
    pub fn keys(&self) -> SqliteKeyStore {
        self.keys.clone()
    }
}

fn state_of(key: Option<Vec<u8>>, destroyed_at: Option<i64>) -> Result<KeyState, StoreError> {
    match (key, destroyed_at) {
        (_, Some(at)) => Ok(KeyState::Destroyed {
            at: micros_to_time(at),
        }),
        (Some(bytes), None) => <[u8; KEY_LEN]>::try_from(bytes.as_slice())
            .map(KeyState::Live)
            .map_err(|_| StoreError::Corrupt(format!("a key of {} bytes", bytes.len()))),
        (None, None) => Err(StoreError::Corrupt(
            "a key row with neither a key nor a destruction time".into(),
        )),
    }
}

fn read(conn: &Connection, id: &str) -> Result<KeyState, StoreError> {
    conn.query_row(
        "SELECT key, destroyed_at FROM subject_keys WHERE id = ?1",
        [id],
        |r| Ok((r.get::<_, Option<Vec<u8>>>(0)?, r.get::<_, Option<i64>>(1)?)),
    )
    .optional()
    .map_err(|e| unavailable("cannot read a key", e))?
    .map_or(Ok(KeyState::Absent), |(key, at)| state_of(key, at))
}

#[async_trait]
impl KeyStore for SqliteKeyStore {
    async fn key(&self, id: &KeyId) -> Result<KeyState, StoreError> {
        let id = id.to_owned();
        self.run(move |conn| read(conn, &id)).await
    }

    async fn create(&self, id: &KeyId, fresh: [u8; KEY_LEN]) -> Result<KeyState, StoreError> {
        let id = id.to_owned();
        let now = time_to_micros(Utc::now());
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO subject_keys (id, key, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO NOTHING",
                params![id, fresh.as_slice(), now],
            )
            .map_err(|e| unavailable("cannot keep a key", e))?;
            read(conn, &id)
        })
        .await
    }

    async fn destroy(&self, id: &KeyId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let id = id.to_owned();
        let at = time_to_micros(at);
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO subject_keys (id, key, created_at, destroyed_at)
                 VALUES (?1, NULL, ?2, ?2)
                 ON CONFLICT (id) DO UPDATE SET key = NULL,
                     destroyed_at = coalesce(subject_keys.destroyed_at, excluded.destroyed_at)",
                params![id, at],
            )
            .map_err(|e| unavailable("cannot destroy a key", e))?;
            // Best effort: a reader holding an old snapshot keeps the log from being truncated
            // now; the next checkpoint overwrites the frames.
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            Ok(())
        })
        .await
    }

    async fn export_keys(&self) -> Result<Vec<KeyRecord>, StoreError> {
        self.run(|conn| {
            let mut statement = conn
                .prepare("SELECT id, key, destroyed_at FROM subject_keys ORDER BY id")
                .map_err(|e| unavailable("cannot list keys", e))?;
            let rows = statement
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<Vec<u8>>>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                    ))
                })
                .map_err(|e| unavailable("cannot list keys", e))?;
            rows.map(|row| {
                let (id, key, at) = row.map_err(|e| unavailable("cannot list keys", e))?;
                Ok(KeyRecord {
                    id,
                    state: state_of(key, at)?,
                })
            })
            .collect()
        })
        .await
    }
}
