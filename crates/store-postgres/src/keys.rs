//! The key store of the PostgreSQL store: the `subject_keys` table in the store's schema, so a
//! backup of the schema carries its keys.
//!
//! PostgreSQL keeps an updated row's old version until it is vacuumed: a destroy therefore
//! vacuums the table at once (outside a transaction, as VACUUM must run), so the old key does
//! not linger in a dead tuple.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use event_store::{KEY_LEN, KeyId, KeyRecord, KeyState, KeyStore, StoreError};
use tokio_postgres::Row;

use crate::PostgresStore;
use crate::error::unavailable;

fn state_of(row: &Row) -> Result<KeyState, StoreError> {
    let key: Option<Vec<u8>> = row.get("key");
    let destroyed_at: Option<DateTime<Utc>> = row.get("destroyed_at");
    match (key, destroyed_at) {
        (_, Some(at)) => Ok(KeyState::Destroyed { at }),
        (Some(bytes), None) => <[u8; KEY_LEN]>::try_from(bytes.as_slice())
            .map(KeyState::Live)
            .map_err(|_| StoreError::Corrupt(format!("a key of {} bytes", bytes.len()))),
        (None, None) => Err(StoreError::Corrupt(
            "a key row with neither a key nor a destruction time".into(),
        )),
    }
}

const READ: &str = "SELECT key, destroyed_at FROM subject_keys WHERE id = $1";

#[async_trait]
impl KeyStore for PostgresStore {
    async fn key(&self, id: &KeyId) -> Result<KeyState, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_opt(READ, &[&id])
            .await
            .map_err(|e| unavailable("read a key", &e))?;
        row.as_ref().map_or(Ok(KeyState::Absent), state_of)
    }

    async fn create(&self, id: &KeyId, fresh: [u8; KEY_LEN]) -> Result<KeyState, StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO subject_keys (id, key) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
                &[&id, &fresh.as_slice()],
            )
            .await
            .map_err(|e| unavailable("keep a key", &e))?;
        let row = client
            .query_one(READ, &[&id])
            .await
            .map_err(|e| unavailable("read a key", &e))?;
        state_of(&row)
    }

    async fn destroy(&self, id: &KeyId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO subject_keys (id, key, destroyed_at) VALUES ($1, NULL, $2)
                 ON CONFLICT (id) DO UPDATE SET key = NULL,
                     destroyed_at = coalesce(subject_keys.destroyed_at, excluded.destroyed_at)",
                &[&id, &at],
            )
            .await
            .map_err(|e| unavailable("destroy a key", &e))?;
        // Best effort: a long transaction elsewhere can keep the dead tuple; autovacuum then
        // removes it later.
        if let Err(e) = client.batch_execute("VACUUM subject_keys").await {
            tracing::warn!(error = %e, "could not vacuum the key store after a destroy");
        }
        Ok(())
    }

    async fn export_keys(&self) -> Result<Vec<KeyRecord>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT id, key, destroyed_at FROM subject_keys ORDER BY id",
                &[],
            )
            .await
            .map_err(|e| unavailable("list keys", &e))?;
        rows.iter()
            .map(|row| {
                Ok(KeyRecord {
                    id: row.get("id"),
                    state: state_of(row)?,
                })
            })
            .collect()
    }
}
