//! Read models in a SQLite file of their own, so the event store's single writer stays free.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use event_store::Position;
use rusqlite::types::{ToSqlOutput, Value as SqlValue};
use rusqlite::{Connection, params};

use crate::rows::{ColumnType, RowChanges, Table, Value};
use crate::select::{Query, cell_from_text};
use crate::sink::{Checkpoint, ReadModelSink, SinkError};

/// A SQLite read-model database (by default `data/dossier-read.db` beside the event store).
///
/// It keeps the default [`ReadModelSink::claim`], which always grants: the embedded store and
/// its read models are files of one machine served by one `dossier serve`, so one process
/// runs every projection by construction (scaling out to several instances means PostgreSQL,
/// whose sink claims each projection with an advisory lock).
#[derive(Debug, Clone)]
pub struct SqliteSink {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    conn: Mutex<Connection>,
    tables: Mutex<HashMap<&'static str, &'static Table>>,
    crash_before_checkpoint: AtomicBool,
}

fn unavailable(e: impl std::fmt::Display) -> SinkError {
    SinkError::Unavailable(e.to_string())
}

impl SqliteSink {
    /// Opens (creating) the read-model database at `path`.
    ///
    /// # Errors
    /// When the file cannot be created or opened.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, SinkError> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(unavailable)?;
        }
        let conn = Connection::open(&path).map_err(unavailable)?;
        // Read models can always be rebuilt from the log, so NORMAL (not FULL) fsync suffices:
        // a lost last commit is replayed from the checkpoint, never applied twice. The page
        // cache is raised from SQLite's 2 MiB to 256 MiB: upserts into tables of millions of
        // rows otherwise read their index pages from disk again and again (a rebuild of 1.6
        // million events ran at less than half the speed of a small one).
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144;
             CREATE TABLE IF NOT EXISTS projection_checkpoints (
                 projection TEXT PRIMARY KEY,
                 version    INTEGER NOT NULL,
                 position   INTEGER
             );",
        )
        .map_err(unavailable)?;
        Ok(Self {
            inner: Arc::new(Inner {
                path,
                conn: Mutex::new(conn),
                tables: Mutex::new(HashMap::new()),
                crash_before_checkpoint: AtomicBool::new(false),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Test hook: the next commit writes its rows, then fails before the checkpoint, as a
    /// crash between the two would.
    #[doc(hidden)]
    pub fn crash_before_next_checkpoint(&self) {
        self.inner
            .crash_before_checkpoint
            .store(true, Ordering::SeqCst);
    }

    /// Runs `f` on the connection without blocking the async workers: in place on a
    /// multi-threaded runtime (no copy of the changes), on the blocking pool otherwise.
    fn with_conn_in_place<T>(
        &self,
        f: impl FnOnce(&mut Connection, &Inner) -> Result<T, SinkError>,
    ) -> Result<T, SinkError> {
        tokio::task::block_in_place(|| {
            let mut conn = self
                .inner
                .conn
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            f(&mut conn, &self.inner)
        })
    }

    async fn with_conn<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection, &Inner) -> Result<T, SinkError> + Send + 'static,
    ) -> Result<T, SinkError> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = inner
                .conn
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            f(&mut conn, &inner)
        })
        .await
        .map_err(unavailable)?
    }
}

fn sql_type(ty: ColumnType) -> &'static str {
    match ty {
        ColumnType::Integer | ColumnType::Boolean => "INTEGER",
        // Decimals stay TEXT: SQLite's NUMERIC affinity would turn 12.50 into a float.
        ColumnType::Text | ColumnType::Decimal | ColumnType::Date | ColumnType::Timestamp => "TEXT",
    }
}

/// The table, and with `with_indexes` its secondary indexes: a reset leaves them out so a
/// rebuild fills the table first, and `open` adds them afterwards in one pass.
fn create_table_sql(table: &Table, with_indexes: bool) -> String {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("{} {}", c.name, sql_type(c.ty)))
        .collect();
    format!(
        "CREATE TABLE IF NOT EXISTS {} ({}, PRIMARY KEY ({}));{}",
        table.name,
        columns.join(", "),
        table.primary_key.join(", "),
        if with_indexes {
            table.create_indexes_sql(table.name)
        } else {
            String::new()
        }
    )
}

fn upsert_sql(table: &Table) -> String {
    let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
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
        "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) {on_conflict}",
        table.name,
        names.join(", "),
        placeholders.join(", "),
        table.primary_key.join(", ")
    )
}

fn delete_sql(table: &Table) -> String {
    let conditions: Vec<String> = table
        .primary_key
        .iter()
        .enumerate()
        .map(|(i, k)| format!("{k} = ?{}", i + 1))
        .collect();
    format!(
        "DELETE FROM {} WHERE {}",
        table.name,
        conditions.join(" AND ")
    )
}

fn to_sql(v: &Value) -> ToSqlOutput<'static> {
    ToSqlOutput::Owned(match v {
        Value::Null => SqlValue::Null,
        Value::Text(s) => SqlValue::Text(s.clone()),
        Value::Integer(i) => SqlValue::Integer(*i),
        Value::Decimal(d) => SqlValue::Text(d.to_string()),
        Value::Date(d) => SqlValue::Text(d.format("%Y-%m-%d").to_string()),
        Value::Timestamp(t) => SqlValue::Text(t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()),
        Value::Boolean(b) => SqlValue::Integer(i64::from(*b)),
    })
}

fn checkpoint_of(conn: &Connection, projection: &str) -> Result<Option<Checkpoint>, SinkError> {
    let row = conn
        .query_row(
            "SELECT version, position FROM projection_checkpoints WHERE projection = ?1",
            [projection],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?)),
        )
        .map(Some)
        .or_else(|e| {
            if e == rusqlite::Error::QueryReturnedNoRows {
                Ok(None)
            } else {
                Err(e)
            }
        })
        .map_err(unavailable)?;
    Ok(row.map(|(version, position)| Checkpoint {
        version: u32::try_from(version).unwrap_or(0),
        position: position.and_then(|p| u64::try_from(p).ok()).map(Position),
    }))
}

/// The rows of `table` that `query` asks for; none when the table was never created.
fn select_rows(
    conn: &Connection,
    table: &'static Table,
    query: &Query,
) -> Result<Vec<Vec<Value>>, SinkError> {
    let resolved = query.resolve(table)?;
    let exists: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [table.name],
            |r| r.get(0),
        )
        .map_err(unavailable)?;
    if !exists {
        return Ok(Vec::new());
    }
    let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    let (clauses, values) = resolved.clauses(|n, _| format!("?{n}"));
    let sql = format!("SELECT {} FROM {}{clauses}", names.join(", "), table.name);
    let mut statement = conn.prepare_cached(&sql).map_err(unavailable)?;
    let mut rows = statement
        .query(rusqlite::params_from_iter(values.iter().map(to_sql)))
        .map_err(unavailable)?;
    let mut all = Vec::new();
    while let Some(row) = rows.next().map_err(unavailable)? {
        let mut cells = Vec::with_capacity(table.columns.len());
        for (i, column) in table.columns.iter().enumerate() {
            let cell = match row.get_ref(i).map_err(unavailable)? {
                rusqlite::types::ValueRef::Null => Value::Null,
                rusqlite::types::ValueRef::Integer(n) => match column.ty {
                    ColumnType::Boolean => Value::Boolean(n != 0),
                    _ => cell_from_text(column, &n.to_string())?,
                },
                rusqlite::types::ValueRef::Text(bytes) => {
                    cell_from_text(column, &String::from_utf8_lossy(bytes))?
                }
                other => {
                    return Err(SinkError::Unavailable(format!(
                        "column {} holds a {:?}",
                        column.name,
                        other.data_type()
                    )));
                }
            };
            cells.push(cell);
        }
        all.push(cells);
    }
    Ok(all)
}

#[async_trait]
impl ReadModelSink for SqliteSink {
    async fn select(
        &self,
        table: &'static Table,
        query: &Query,
    ) -> Result<Vec<Vec<Value>>, SinkError> {
        let query = query.clone();
        self.with_conn(move |conn, _| select_rows(conn, table, &query))
            .await
    }

    async fn checkpoint(&self, projection: &str) -> Result<Option<Checkpoint>, SinkError> {
        let projection = projection.to_owned();
        self.with_conn(move |conn, _| checkpoint_of(conn, &projection))
            .await
    }

    async fn open(
        &self,
        projection: &str,
        version: u32,
        tables: &[&'static Table],
    ) -> Result<Option<Checkpoint>, SinkError> {
        let projection = projection.to_owned();
        let tables = tables.to_vec();
        self.with_conn(move |conn, inner| {
            let tx = conn.transaction().map_err(unavailable)?;
            for t in &tables {
                tx.execute_batch(&create_table_sql(t, true)).map_err(unavailable)?;
            }
            let checkpoint = checkpoint_of(&tx, &projection)?;
            if checkpoint.is_none() {
                tx.execute(
                    "INSERT INTO projection_checkpoints (projection, version, position) VALUES (?1, ?2, NULL)",
                    params![projection, version],
                )
                .map_err(unavailable)?;
            }
            tx.commit().map_err(unavailable)?;
            let mut known = inner.tables.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            for t in tables {
                known.insert(t.name, t);
            }
            Ok(checkpoint)
        })
        .await
    }

    async fn reset(
        &self,
        projection: &str,
        version: u32,
        tables: &[&'static Table],
    ) -> Result<(), SinkError> {
        let projection = projection.to_owned();
        let tables = tables.to_vec();
        self.with_conn(move |conn, inner| {
            let tx = conn.transaction().map_err(unavailable)?;
            for t in &tables {
                tx.execute_batch(&format!("DROP TABLE IF EXISTS {}", t.name)).map_err(unavailable)?;
                tx.execute_batch(&create_table_sql(t, false)).map_err(unavailable)?;
            }
            tx.execute(
                "INSERT INTO projection_checkpoints (projection, version, position) VALUES (?1, ?2, NULL)
                 ON CONFLICT (projection) DO UPDATE SET version = excluded.version, position = NULL",
                params![projection, version],
            )
            .map_err(unavailable)?;
            tx.commit().map_err(unavailable)?;
            let mut known = inner.tables.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            for t in tables {
                known.insert(t.name, t);
            }
            Ok(())
        })
        .await
    }

    async fn commit(
        &self,
        projection: &str,
        changes: &RowChanges,
        position: Position,
    ) -> Result<(), SinkError> {
        let write = move |conn: &mut Connection,
                          inner: &Inner,
                          projection: &str,
                          changes: &RowChanges|
              -> Result<(), SinkError> {
            let tables = inner
                .tables
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone();
            let tx = conn.transaction().map_err(unavailable)?;
            // The statements' text, built once per table and commit rather than per row.
            let mut upserts: HashMap<&str, String> = HashMap::new();
            let mut deletes: HashMap<&str, String> = HashMap::new();
            for (table_name, key, row) in changes.iter() {
                let table = tables.get(table_name).ok_or_else(|| {
                    SinkError::Unavailable(format!("table {table_name} was never opened"))
                })?;
                match row {
                    Some(values) => {
                        let sql = upserts
                            .entry(table_name)
                            .or_insert_with(|| upsert_sql(table));
                        let mut stmt = tx.prepare_cached(sql).map_err(unavailable)?;
                        stmt.execute(rusqlite::params_from_iter(values.iter().map(to_sql)))
                            .map_err(unavailable)?;
                    }
                    None => {
                        let sql = deletes
                            .entry(table_name)
                            .or_insert_with(|| delete_sql(table));
                        let mut stmt = tx.prepare_cached(sql).map_err(unavailable)?;
                        stmt.execute(rusqlite::params_from_iter(key.iter().map(to_sql)))
                            .map_err(unavailable)?;
                    }
                }
            }
            if inner.crash_before_checkpoint.swap(false, Ordering::SeqCst) {
                // Dropping the transaction rolls the rows back, as a crash would.
                return Err(SinkError::InjectedCrash);
            }
            let position = i64::try_from(position.0).map_err(unavailable)?;
            tx.execute(
                "UPDATE projection_checkpoints SET position = ?2 WHERE projection = ?1",
                params![projection, position],
            )
            .map_err(unavailable)?;
            tx.commit().map_err(unavailable)
        };
        let multi_thread = tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        if multi_thread {
            self.with_conn_in_place(|conn, inner| write(conn, inner, projection, changes))
        } else {
            let projection = projection.to_owned();
            let changes = changes.clone();
            self.with_conn(move |conn, inner| write(conn, inner, &projection, &changes))
                .await
        }
    }
}
