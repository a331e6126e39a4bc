//! The PostgreSQL adapter of the read-model port ([`ReadModelSink`]): read models in the event
//! store's database, in a schema of their own ([`PostgresUrl::read_schema`], `<store
//! schema>_read`), so inspectors query them beside the log. Its SQL comes from
//! [`Dialect::Postgres`]; this crate runs it and holds the projections' advisory locks.
//!
//! Architecture invariant: depends on the projections' port, the store's URL parser and the
//! PostgreSQL client only; never on the domain's rules, the app layer or HTTP.
//!
//! # One process per projection
//! Several `dossier serve` instances may share one database. Each projection is run by exactly
//! one of them at a time: the one whose read-model connection holds the projection's
//! session-level advisory lock ([`projection_lock_key`] of the read schema and the projection
//! name). Every write of this sink goes through that same connection. The others ask again
//! every few seconds ([`ReadModelSink::claim`]); when the holder stops or dies its session
//! ends, PostgreSQL releases its locks, and another instance takes over, reading the
//! checkpoint the last holder committed.
//!
//! # Fencing a stale holder
//! A holder can lose its lock without noticing at once: its connection drops and is opened
//! again, or its session is terminated. So every transaction that writes a projection's
//! tables (`commit`, `reset`) first checks in `pg_locks` that **its own session**
//! (`pg_backend_pid()`) holds the lock, and fails with [`SinkError::NotHolder`] otherwise. A
//! session-level lock is released only when its session ends or unlocks it (this sink unlocks
//! only on [`ReadModelSink::release`], which the runner calls before it ever wrote, for a
//! partial set of claims), and a session that ends aborts its open transaction: between the check and the
//! COMMIT of the same session the lock cannot pass on. A stale holder therefore never commits
//! a row after another process took the projection over.
//!
//! A transaction-level `pg_try_advisory_xact_lock` on the same key was not chosen as the
//! fence: it succeeds whenever nobody holds the lock at that moment, so a process that lost
//! its lock while it was free would commit rows and a checkpoint from an in-memory state that
//! another holder's commits may have overtaken in between (moving the checkpoint backward).
//!
//! How long a dead holder blocks the others is how long PostgreSQL takes to notice its session
//! ended: at once when the process dies (the kernel closes its socket), after the server's TCP
//! keepalive settings when its machine or network is lost.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use event_store::Position;
use sha2::{Digest, Sha256};
use tokio::sync::{Mutex, MutexGuard};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls};

use projections::sql::{Bound, Dialect};
use projections::{
    Checkpoint, Query, ReadModelSink, RowChanges, SinkError, Table, Value, cell_from_text,
};
use store_postgres::PostgresUrl;

/// A PostgreSQL read-model schema.
#[derive(Clone)]
pub struct PostgresSink {
    inner: Arc<Inner>,
}

struct Inner {
    /// The connection settings, to connect again after the connection was lost.
    connection: tokio_postgres::Config,
    /// The one connection of this sink: it holds the projections' advisory locks and runs
    /// every write.
    client: Mutex<Client>,
    schema: String,
    /// [`Dialect::Postgres`] of `schema`.
    sql: Dialect,
    tables: std::sync::Mutex<std::collections::HashMap<&'static str, &'static Table>>,
    crash_before_checkpoint: AtomicBool,
}

impl std::fmt::Debug for PostgresSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresSink")
            .field("schema", &self.inner.schema)
            .finish_non_exhaustive()
    }
}

fn unavailable(e: impl std::fmt::Display) -> SinkError {
    SinkError::Unavailable(e.to_string())
}

/// The advisory-lock key of `projection` in read-model schema `read_schema`: the first eight
/// bytes of SHA-256 of `dossier/projections/<schema>/<projection>`. In `pg_locks` it shows as
/// `locktype = 'advisory'`, `classid` the high and `objid` the low 32 bits, `objsubid = 1`.
pub fn projection_lock_key(read_schema: &str, projection: &str) -> i64 {
    let digest = Sha256::digest(format!("dossier/projections/{read_schema}/{projection}"));
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// The `pg_locks` columns showing a bigint advisory key: (classid, objid).
fn lock_key_columns(key: i64) -> (u32, u32) {
    let bits = key.cast_unsigned();
    ((bits >> 32) as u32, bits as u32)
}

/// Whether this session holds the projection's advisory lock (granted, on this backend).
const HOLDS_LOCK: &str = "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' \
     AND granted AND pid = pg_backend_pid() AND classid = $1 AND objid = $2 AND objsubid = 1)";

async fn open_connection(connection: &tokio_postgres::Config) -> Result<Client, SinkError> {
    let (client, conn) = connection.connect(NoTls).await.map_err(unavailable)?;
    tokio::spawn(async move {
        if let Err(e) = conn.await {
            tracing::warn!(error = %e, "read-model connection closed");
        }
    });
    Ok(client)
}

/// Whether the session of `client` holds the advisory lock `key`.
async fn holds_lock(
    client: &impl tokio_postgres::GenericClient,
    key: i64,
) -> Result<bool, SinkError> {
    let (classid, objid) = lock_key_columns(key);
    client
        .query_one(HOLDS_LOCK, &[&classid, &objid])
        .await
        .map_err(unavailable)
        .map(|row| row.get(0))
}

/// The parameters for `values`: every cell bound as text (or null), as each placeholder of
/// [`Dialect::Postgres`] casts it.
fn text_params(sql: &Dialect, values: &[Value]) -> Vec<Option<String>> {
    values
        .iter()
        .map(|v| match sql.bind(v) {
            Bound::Null => None,
            Bound::Integer(i) => Some(i.to_string()),
            Bound::Text(s) => Some(s),
        })
        .collect()
}

/// A checkpoint row of [`Dialect::read_checkpoint`].
async fn read_checkpoint(
    client: &impl tokio_postgres::GenericClient,
    sql: &Dialect,
    projection: &str,
) -> Result<Option<Checkpoint>, SinkError> {
    let row = client
        .query_opt(&sql.read_checkpoint(), &[&projection])
        .await
        .map_err(unavailable)?;
    Ok(row.map(|r| Checkpoint {
        version: u32::try_from(r.get::<_, i64>(0)).unwrap_or(0),
        position: r
            .get::<_, Option<i64>>(1)
            .and_then(|p| u64::try_from(p).ok())
            .map(Position),
    }))
}

impl PostgresSink {
    /// Connects for the store at `store` (`postgres://…?schema=S`): the read models live in
    /// schema `S_read` of the same database, created when missing. The URL's parser checked
    /// that both names are plain identifiers.
    ///
    /// # Errors
    /// When the server cannot be reached or the schema cannot be created.
    pub async fn connect(store: &PostgresUrl) -> Result<Self, SinkError> {
        let connection = store.pg.clone();
        let schema = store.read_schema();
        let sql = Dialect::Postgres {
            schema: schema.clone(),
        };
        let client = open_connection(&connection).await?;
        // Two instances starting at once would race on the catalogue (IF NOT EXISTS is not
        // atomic): the creation is serialised by a transaction-level lock on the schema.
        client
            .batch_execute(&format!(
                "BEGIN;
                 SELECT pg_advisory_xact_lock({});
                 CREATE SCHEMA IF NOT EXISTS {schema};
                 {}
                 COMMIT;",
                projection_lock_key(&schema, ""),
                sql.create_checkpoints()
            ))
            .await
            .map_err(unavailable)?;
        Ok(Self {
            inner: Arc::new(Inner {
                connection,
                client: Mutex::new(client),
                schema,
                sql,
                tables: std::sync::Mutex::new(std::collections::HashMap::new()),
                crash_before_checkpoint: AtomicBool::new(false),
            }),
        })
    }

    /// The schema holding the read models.
    pub fn schema(&self) -> &str {
        &self.inner.schema
    }

    /// The connection, opened again when it was lost (with it, every advisory lock this
    /// process held: the runner finds out at its next commit and claims again).
    async fn client(&self) -> Result<MutexGuard<'_, Client>, SinkError> {
        let mut client = self.inner.client.lock().await;
        if client.is_closed() {
            tracing::warn!(
                schema = %self.inner.schema,
                "read-model connection lost: connecting again; its projection locks are gone"
            );
            *client = open_connection(&self.inner.connection).await?;
        }
        Ok(client)
    }

    /// Fails with [`SinkError::NotHolder`] unless this session holds `projection`'s lock:
    /// the fence run inside every writing transaction (see the module documentation).
    async fn ensure_held(
        &self,
        tx: &tokio_postgres::Transaction<'_>,
        projection: &str,
    ) -> Result<(), SinkError> {
        let key = projection_lock_key(&self.inner.schema, projection);
        if holds_lock(tx, key).await? {
            Ok(())
        } else {
            Err(SinkError::NotHolder(projection.to_owned()))
        }
    }

    /// Test hook: the next commit writes its rows, then fails before the checkpoint, as a
    /// crash between the two would.
    #[doc(hidden)]
    pub fn crash_before_next_checkpoint(&self) {
        self.inner
            .crash_before_checkpoint
            .store(true, Ordering::SeqCst);
    }

    fn remember(&self, tables: &[&'static Table]) {
        let mut known = self
            .inner
            .tables
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for t in tables {
            known.insert(t.name, t);
        }
    }
}

/// Whether a projection has created `table`.
async fn table_exists(
    client: &Client,
    sql: &Dialect,
    table: &'static Table,
) -> Result<bool, SinkError> {
    let (exists_sql, name) = sql.table_exists(table);
    Ok(client
        .query_one(exists_sql, &[&name])
        .await
        .map_err(unavailable)?
        .get(0))
}
#[async_trait]
impl ReadModelSink for PostgresSink {
    /// Confirms the lock when this session holds it already (never taking it twice: session
    /// locks stack), otherwise tries to take it without waiting.
    async fn claim(&self, projection: &str) -> Result<bool, SinkError> {
        let key = projection_lock_key(&self.inner.schema, projection);
        let client = self.client().await?;
        if holds_lock(&*client, key).await? {
            return Ok(true);
        }
        client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
            .await
            .map_err(unavailable)
            .map(|row| row.get(0))
    }

    async fn release(&self, projection: &str) -> Result<(), SinkError> {
        let key = projection_lock_key(&self.inner.schema, projection);
        let client = self.client().await?;
        if holds_lock(&*client, key).await? {
            client
                .execute("SELECT pg_advisory_unlock($1)", &[&key])
                .await
                .map_err(unavailable)?;
        }
        Ok(())
    }

    async fn select(
        &self,
        table: &'static Table,
        query: &Query,
    ) -> Result<Vec<Vec<Value>>, SinkError> {
        let resolved = query.resolve(table)?;
        let sql = &self.inner.sql;
        let (select, values) = sql.select(&resolved);
        let params = text_params(sql, &values);
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let client = self.client().await?;
        if !table_exists(&client, sql, table).await? {
            return Ok(Vec::new());
        }
        let rows = client.query(&select, &refs).await.map_err(unavailable)?;
        drop(client);
        rows.iter()
            .map(|row| {
                table
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, column)| match row.get::<_, Option<String>>(i) {
                        Some(text) => cell_from_text(column, &text),
                        None => Ok(Value::Null),
                    })
                    .collect()
            })
            .collect()
    }

    async fn count(&self, table: &'static Table, query: &Query) -> Result<u64, SinkError> {
        let resolved = query.resolve(table)?;
        let sql = &self.inner.sql;
        let (count, values) = sql.count(&resolved);
        let params = text_params(sql, &values);
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let client = self.client().await?;
        if !table_exists(&client, sql, table).await? {
            return Ok(0);
        }
        let n: i64 = client
            .query_one(&count, &refs)
            .await
            .map_err(unavailable)?
            .get(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn checkpoint(&self, projection: &str) -> Result<Option<Checkpoint>, SinkError> {
        let client = self.client().await?;
        read_checkpoint(&*client, &self.inner.sql, projection).await
    }

    async fn open(
        &self,
        projection: &str,
        version: u32,
        tables: &[&'static Table],
    ) -> Result<Option<Checkpoint>, SinkError> {
        let sql = &self.inner.sql;
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(unavailable)?;
        self.ensure_held(&tx, projection).await?;
        for t in tables {
            tx.batch_execute(&sql.create_table(t, true))
                .await
                .map_err(unavailable)?;
        }
        let checkpoint = read_checkpoint(&tx, sql, projection).await?;
        if checkpoint.is_none() {
            tx.execute(
                &sql.insert_checkpoint(),
                &[&projection, &i64::from(version)],
            )
            .await
            .map_err(unavailable)?;
        }
        tx.commit().await.map_err(unavailable)?;
        self.remember(tables);
        Ok(checkpoint)
    }

    async fn reset(
        &self,
        projection: &str,
        version: u32,
        tables: &[&'static Table],
    ) -> Result<(), SinkError> {
        let sql = &self.inner.sql;
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(unavailable)?;
        self.ensure_held(&tx, projection).await?;
        for t in tables {
            tx.batch_execute(&sql.drop_table(t))
                .await
                .map_err(unavailable)?;
            tx.batch_execute(&sql.create_table(t, false))
                .await
                .map_err(unavailable)?;
        }
        tx.execute(&sql.reset_checkpoint(), &[&projection, &i64::from(version)])
            .await
            .map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)?;
        self.remember(tables);
        Ok(())
    }

    async fn commit(
        &self,
        projection: &str,
        changes: &RowChanges,
        position: Position,
    ) -> Result<(), SinkError> {
        let sql = &self.inner.sql;
        let tables = self
            .inner
            .tables
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(unavailable)?;
        self.ensure_held(&tx, projection).await?;
        let mut statements = std::collections::HashMap::new();
        let mut writes = Vec::with_capacity(changes.len());
        for (table_name, key, row) in changes.iter() {
            let table = tables.get(table_name).ok_or_else(|| {
                SinkError::Unavailable(format!("table {table_name} was never opened"))
            })?;
            let (text, values) = match row {
                Some(values) => (sql.upsert(table), values),
                None => (sql.delete(table), key),
            };
            let statement = match statements.get(&text) {
                Some(s) => s,
                None => {
                    let prepared = tx.prepare(&text).await.map_err(unavailable)?;
                    statements.entry(text).or_insert(prepared)
                }
            }
            .clone();
            writes.push((statement, text_params(sql, values)));
        }
        // Every change is to a different row, so the writes are pipelined on the connection.
        let pending = writes.iter().map(|(statement, params)| {
            let refs: Vec<&(dyn ToSql + Sync)> =
                params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            let tx = &tx;
            async move { tx.execute(statement, &refs).await }
        });
        futures::future::try_join_all(pending)
            .await
            .map_err(unavailable)?;
        if self
            .inner
            .crash_before_checkpoint
            .swap(false, Ordering::SeqCst)
        {
            // Dropping the transaction rolls the rows back, as a crash would.
            return Err(SinkError::InjectedCrash);
        }
        let position = i64::try_from(position.0).map_err(unavailable)?;
        tx.execute(&sql.move_checkpoint(), &[&projection, &position])
            .await
            .map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)
    }
}
