//! Read models in the event store's PostgreSQL database, in a schema of their own
//! (`<store schema>_read`), so inspectors query them beside the log.
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

use crate::rows::{Column, ColumnType, RowChanges, Table, Value};
use crate::select::{Query, cell_from_text};
use crate::sink::{Checkpoint, ReadModelSink, SinkError};

/// A PostgreSQL read-model schema.
#[derive(Clone)]
pub struct PostgresSink {
    inner: Arc<Inner>,
}

struct Inner {
    /// The connection URL, to connect again after the connection was lost.
    connection: String,
    /// The one connection of this sink: it holds the projections' advisory locks and runs
    /// every write.
    client: Mutex<Client>,
    schema: String,
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

/// Splits a store URL into the connection URL and the store's schema (`public` by default).
fn split_store_url(url: &str) -> (String, String) {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut schema = "public".to_owned();
    let mut kept = Vec::new();
    for param in query.split('&').filter(|p| !p.is_empty()) {
        match param.split_once('=') {
            Some(("schema", value)) => value.clone_into(&mut schema),
            Some(("pool_size", _)) => {}
            _ => kept.push(param),
        }
    }
    let connection = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    (connection, schema)
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

async fn open_connection(connection: &str) -> Result<Client, SinkError> {
    let (client, conn) = tokio_postgres::connect(connection, NoTls)
        .await
        .map_err(unavailable)?;
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

/// The read-model schema of a store schema.
pub fn read_schema_of(store_schema: &str) -> String {
    format!("{store_schema}_read")
}

fn sql_type(ty: ColumnType) -> &'static str {
    match ty {
        ColumnType::Text => "text",
        ColumnType::Integer => "bigint",
        ColumnType::Decimal => "numeric",
        ColumnType::Date => "date",
        ColumnType::Timestamp => "timestamptz",
        ColumnType::Boolean => "boolean",
    }
}

/// Every value is bound as text and cast in SQL: one binding for every column type, exact for
/// decimals.
fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Text(s) => Some(s.clone()),
        Value::Integer(i) => Some(i.to_string()),
        Value::Decimal(d) => Some(d.to_string()),
        Value::Date(d) => Some(d.format("%Y-%m-%d").to_string()),
        Value::Timestamp(t) => Some(t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()),
        Value::Boolean(b) => Some(b.to_string()),
    }
}

/// A column read back as text in a form [`cell_from_text`] parses, whatever the session's
/// date style or time zone.
fn column_as_text(column: &Column) -> String {
    let name = column.name;
    match column.ty {
        ColumnType::Text => name.to_owned(),
        ColumnType::Integer | ColumnType::Decimal | ColumnType::Boolean => format!("{name}::text"),
        ColumnType::Date => format!("to_char({name}, 'YYYY-MM-DD')"),
        ColumnType::Timestamp => {
            format!("to_char({name} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
        }
    }
}

impl PostgresSink {
    /// Connects for the store at `store_url` (`postgres://…?schema=S`): the read models live in
    /// schema `S_read` of the same database, created when missing.
    ///
    /// # Errors
    /// When the server cannot be reached or the schema cannot be created.
    pub async fn connect(store_url: &str) -> Result<Self, SinkError> {
        let (connection, store_schema) = split_store_url(store_url);
        let schema = read_schema_of(&store_schema);
        if !schema
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(SinkError::Unavailable(format!(
                "schema {schema:?} is not a plain identifier"
            )));
        }
        let client = open_connection(&connection).await?;
        // Two instances starting at once would race on the catalogue (IF NOT EXISTS is not
        // atomic): the creation is serialised by a transaction-level lock on the schema.
        client
            .batch_execute(&format!(
                "BEGIN;
                 SELECT pg_advisory_xact_lock({});
                 CREATE SCHEMA IF NOT EXISTS {schema};
                 CREATE TABLE IF NOT EXISTS {schema}.projection_checkpoints (
                     projection text PRIMARY KEY,
                     version    bigint NOT NULL,
                     position   bigint
                 );
                 COMMIT;",
                projection_lock_key(&schema, "")
            ))
            .await
            .map_err(unavailable)?;
        Ok(Self {
            inner: Arc::new(Inner {
                connection,
                client: Mutex::new(client),
                schema,
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

    /// The table with its comment, and with `with_indexes` its secondary indexes (a reset
    /// leaves them out so a rebuild fills the table first; `open` adds them afterwards).
    fn create_table_sql(&self, table: &Table, with_indexes: bool) -> String {
        let columns: Vec<String> = table
            .columns
            .iter()
            .map(|c| format!("{} {}", c.name, sql_type(c.ty)))
            .collect();
        let mut sql = format!(
            "CREATE TABLE IF NOT EXISTS {}.{} ({}, PRIMARY KEY ({}));",
            self.inner.schema,
            table.name,
            columns.join(", "),
            table.primary_key.join(", ")
        );
        sql.push_str(&format!(
            "COMMENT ON TABLE {}.{} IS '{}';",
            self.inner.schema,
            table.name,
            table.doc.replace('\'', "''")
        ));
        if with_indexes {
            sql.push_str(
                &table.create_indexes_sql(&format!("{}.{}", self.inner.schema, table.name)),
            );
        }
        sql
    }

    fn upsert_sql(&self, table: &Table) -> String {
        let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        let placeholders: Vec<String> = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| format!("${}::text::{}", i + 1, sql_type(c.ty)))
            .collect();
        let updates: Vec<String> = names
            .iter()
            .filter(|n| !table.primary_key.contains(n))
            .map(|n| format!("{n} = excluded.{n}"))
            .collect();
        let on_conflict = if updates.is_empty() {
            "DO NOTHING".to_owned()
        } else {
            format!("DO UPDATE SET {}", updates.join(", "))
        };
        format!(
            "INSERT INTO {}.{} ({}) VALUES ({}) ON CONFLICT ({}) {on_conflict}",
            self.inner.schema,
            table.name,
            names.join(", "),
            placeholders.join(", "),
            table.primary_key.join(", ")
        )
    }

    fn delete_sql(&self, table: &Table) -> String {
        let conditions: Vec<String> = table
            .primary_key
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let ty = table
                    .columns
                    .iter()
                    .find(|c| c.name == *k)
                    .map_or("text", |c| sql_type(c.ty));
                format!("{k} = ${}::text::{ty}", i + 1)
            })
            .collect();
        format!(
            "DELETE FROM {}.{} WHERE {}",
            self.inner.schema,
            table.name,
            conditions.join(" AND ")
        )
    }
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
        let schema = &self.inner.schema;
        let columns: Vec<String> = table.columns.iter().map(column_as_text).collect();
        let (clauses, values) =
            resolved.clauses(|n, column| format!("${n}::text::{}", sql_type(column.ty)));
        let sql = format!(
            "SELECT {} FROM {schema}.{}{clauses}",
            columns.join(", "),
            table.name
        );
        let params: Vec<Option<String>> = values.iter().map(as_text).collect();
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let client = self.client().await?;
        let exists: bool = client
            .query_one(
                "SELECT to_regclass($1) IS NOT NULL",
                &[&format!("{schema}.{}", table.name)],
            )
            .await
            .map_err(unavailable)?
            .get(0);
        if !exists {
            return Ok(Vec::new());
        }
        let rows = client.query(&sql, &refs).await.map_err(unavailable)?;
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

    async fn checkpoint(&self, projection: &str) -> Result<Option<Checkpoint>, SinkError> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                &format!(
                    "SELECT version, position FROM {}.projection_checkpoints WHERE projection = $1",
                    self.inner.schema
                ),
                &[&projection],
            )
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

    async fn open(
        &self,
        projection: &str,
        version: u32,
        tables: &[&'static Table],
    ) -> Result<Option<Checkpoint>, SinkError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(unavailable)?;
        self.ensure_held(&tx, projection).await?;
        for t in tables {
            tx.batch_execute(&self.create_table_sql(t, true))
                .await
                .map_err(unavailable)?;
        }
        let schema = &self.inner.schema;
        let row = tx
            .query_opt(
                &format!(
                    "SELECT version, position FROM {schema}.projection_checkpoints WHERE projection = $1"
                ),
                &[&projection],
            )
            .await
            .map_err(unavailable)?;
        let checkpoint = row.map(|r| Checkpoint {
            version: u32::try_from(r.get::<_, i64>(0)).unwrap_or(0),
            position: r
                .get::<_, Option<i64>>(1)
                .and_then(|p| u64::try_from(p).ok())
                .map(Position),
        });
        if checkpoint.is_none() {
            tx.execute(
                &format!(
                    "INSERT INTO {schema}.projection_checkpoints (projection, version, position) VALUES ($1, $2, NULL)"
                ),
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
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(unavailable)?;
        self.ensure_held(&tx, projection).await?;
        let schema = &self.inner.schema;
        for t in tables {
            tx.batch_execute(&format!("DROP TABLE IF EXISTS {schema}.{}", t.name))
                .await
                .map_err(unavailable)?;
            tx.batch_execute(&self.create_table_sql(t, false))
                .await
                .map_err(unavailable)?;
        }
        tx.execute(
            &format!(
                "INSERT INTO {schema}.projection_checkpoints (projection, version, position) VALUES ($1, $2, NULL)
                 ON CONFLICT (projection) DO UPDATE SET version = excluded.version, position = NULL"
            ),
            &[&projection, &i64::from(version)],
        )
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
            let (sql, values) = match row {
                Some(values) => (self.upsert_sql(table), values),
                None => (self.delete_sql(table), key),
            };
            let statement = match statements.get(&sql) {
                Some(s) => s,
                None => {
                    let prepared = tx.prepare(&sql).await.map_err(unavailable)?;
                    statements.entry(sql).or_insert(prepared)
                }
            }
            .clone();
            let params: Vec<Option<String>> = values.iter().map(as_text).collect();
            writes.push((statement, params));
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
        tx.execute(
            &format!(
                "UPDATE {}.projection_checkpoints SET position = $2 WHERE projection = $1",
                self.inner.schema
            ),
            &[&projection, &position],
        )
        .await
        .map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)
    }
}
