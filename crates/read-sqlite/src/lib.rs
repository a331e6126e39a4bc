//! The SQLite adapter of the read-model port ([`ReadModelSink`]): read models in a SQLite file
//! of their own, so the event store's single writer stays free. Its SQL comes from
//! [`Dialect::Sqlite`]; this crate only runs it.
//!
//! Architecture invariant: depends on the projections' port and rusqlite only; never on the
//! domain's rules, the app layer or HTTP.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use event_store::Position;
use rusqlite::types::{ToSqlOutput, Value as SqlValue};
use rusqlite::{Connection, params};

use projections::sql::{Bound, Dialect};
use projections::{
    Checkpoint, ColumnType, Query, ReadModelSink, RowChanges, SinkError, Table, Value,
    cell_from_text,
};

const SQL: Dialect = Dialect::Sqlite;

/// A SQLite read-model database (by default `data/dossier-read.db` beside the event store).
///
/// Its [`ReadModelSink::claim`] takes an exclusive lock (`flock`) on `<file>.lock` beside the
/// database, held while this sink holds any claim: a `dossier rebuild` started while a
/// `dossier serve` follows the log on the same files is refused, as PostgreSQL's advisory locks
/// refuse it there. The lock goes with the process, so a killed one leaves none behind. An
/// in-memory database has no lock to take.
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
    claims: Mutex<Claims>,
}

/// The projections this sink has claimed, and the locked file while there are any.
#[derive(Debug, Default)]
struct Claims {
    names: std::collections::BTreeSet<String>,
    lock: Option<std::fs::File>,
}

impl Inner {
    /// The tables a commit may write: those opened or reset through this sink.
    fn remember(&self, tables: &[&'static Table]) {
        let mut known = self
            .tables
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for t in tables {
            known.insert(t.name, t);
        }
    }
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
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144;",
        )
        .and_then(|()| conn.execute_batch(&SQL.create_checkpoints()))
        .map_err(unavailable)?;
        Ok(Self {
            inner: Arc::new(Inner {
                path,
                conn: Mutex::new(conn),
                tables: Mutex::new(HashMap::new()),
                crash_before_checkpoint: AtomicBool::new(false),
                claims: Mutex::default(),
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

fn to_sql(value: &Value) -> ToSqlOutput<'static> {
    ToSqlOutput::Owned(match SQL.bind(value) {
        Bound::Null => SqlValue::Null,
        Bound::Integer(i) => SqlValue::Integer(i),
        Bound::Text(s) => SqlValue::Text(s),
    })
}

fn checkpoint_of(conn: &Connection, projection: &str) -> Result<Option<Checkpoint>, SinkError> {
    let row = conn
        .query_row(&SQL.read_checkpoint(), [projection], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?))
        })
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

/// Whether a projection has created `table`.
fn table_exists(conn: &Connection, table: &'static Table) -> Result<bool, SinkError> {
    let (exists_sql, name) = SQL.table_exists(table);
    conn.query_row(exists_sql, [name], |r| r.get(0))
        .map_err(unavailable)
}

/// How many rows of `table` `query` matches; none when the table was never created.
fn count_rows(conn: &Connection, table: &'static Table, query: &Query) -> Result<u64, SinkError> {
    let resolved = query.resolve(table)?;
    if !table_exists(conn, table)? {
        return Ok(0);
    }
    let (sql, values) = SQL.count(&resolved);
    let mut statement = conn.prepare_cached(&sql).map_err(unavailable)?;
    let count: i64 = statement
        .query_row(rusqlite::params_from_iter(values.iter().map(to_sql)), |r| {
            r.get(0)
        })
        .map_err(unavailable)?;
    Ok(u64::try_from(count).unwrap_or(0))
}

fn select_rows(
    conn: &Connection,
    table: &'static Table,
    query: &Query,
) -> Result<Vec<Vec<Value>>, SinkError> {
    let resolved = query.resolve(table)?;
    if !table_exists(conn, table)? {
        return Ok(Vec::new());
    }
    let (sql, values) = SQL.select(&resolved);
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

impl SqliteSink {
    /// The lock file beside the database; `None` for an in-memory one.
    fn lock_path(&self) -> Option<PathBuf> {
        let path = &self.inner.path;
        (path.as_os_str() != ":memory:" && !path.as_os_str().is_empty()).then(|| {
            let mut name = path.as_os_str().to_owned();
            name.push(".lock");
            PathBuf::from(name)
        })
    }
}

#[async_trait]
impl ReadModelSink for SqliteSink {
    /// Takes the lock file on the first claim, without waiting: refused (`false`) while another
    /// process holds it.
    async fn claim(&self, projection: &str) -> Result<bool, SinkError> {
        let mut claims = self
            .inner
            .claims
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if claims.lock.is_none()
            && let Some(path) = self.lock_path()
        {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(unavailable)?;
            match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => claims.lock = Some(file),
                Err(rustix::io::Errno::WOULDBLOCK) => return Ok(false),
                Err(e) => return Err(unavailable(e)),
            }
        }
        claims.names.insert(projection.to_owned());
        Ok(true)
    }

    /// Lets go of the lock file once no projection is claimed any more.
    async fn release(&self, projection: &str) -> Result<(), SinkError> {
        let mut claims = self
            .inner
            .claims
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        claims.names.remove(projection);
        if claims.names.is_empty() {
            claims.lock = None;
        }
        Ok(())
    }

    async fn select(
        &self,
        table: &'static Table,
        query: &Query,
    ) -> Result<Vec<Vec<Value>>, SinkError> {
        let query = query.clone();
        self.with_conn(move |conn, _| select_rows(conn, table, &query))
            .await
    }

    async fn count(&self, table: &'static Table, query: &Query) -> Result<u64, SinkError> {
        let query = query.clone();
        self.with_conn(move |conn, _| count_rows(conn, table, &query))
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
                tx.execute_batch(&SQL.create_table(t, true))
                    .map_err(unavailable)?;
            }
            let checkpoint = checkpoint_of(&tx, &projection)?;
            if checkpoint.is_none() {
                tx.execute(&SQL.insert_checkpoint(), params![projection, version])
                    .map_err(unavailable)?;
            }
            tx.commit().map_err(unavailable)?;
            inner.remember(&tables);
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
                tx.execute_batch(&SQL.drop_table(t)).map_err(unavailable)?;
                tx.execute_batch(&SQL.create_table(t, false))
                    .map_err(unavailable)?;
            }
            tx.execute(&SQL.reset_checkpoint(), params![projection, version])
                .map_err(unavailable)?;
            tx.commit().map_err(unavailable)?;
            inner.remember(&tables);
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
                            .or_insert_with(|| SQL.upsert(table));
                        let mut stmt = tx.prepare_cached(sql).map_err(unavailable)?;
                        stmt.execute(rusqlite::params_from_iter(values.iter().map(to_sql)))
                            .map_err(unavailable)?;
                    }
                    None => {
                        let sql = deletes
                            .entry(table_name)
                            .or_insert_with(|| SQL.delete(table));
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
            tx.execute(&SQL.move_checkpoint(), params![projection, position])
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
