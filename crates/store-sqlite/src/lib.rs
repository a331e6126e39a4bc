//! The embedded event store: one SQLite file, the default a newcomer needs nothing else for.
//!
//! WAL mode with `synchronous=FULL`: these are legal records, so an acknowledged append has
//! reached the disk. All writes go through one writer thread, which takes every append that
//! is waiting, runs them in one transaction (each in its own savepoint, so one refused append
//! does not fail the others) and commits once: one fsync serves many writers (group commit),
//! and throughput grows with concurrency instead of queueing on fsync. Reads use a small pool
//! of read-only connections, which WAL lets run beside the writer.
//!
//! Architecture invariant: this crate depends on the port (`event-store`) only; it knows no
//! domain rule, no HTTP, and no other store.

mod keys;
mod rows;
mod writer;

pub use keys::SqliteKeyStore;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use event_store::append::check_batch;
use event_store::{
    AppendOutcome, EventStore, ExpectedVersion, ImportOutcome, NewEvent, Position, RecordedEvent,
    StoreError, StreamName,
};
use rusqlite::{Connection, OpenFlags};
use tokio::sync::{oneshot, watch};

use crate::rows::{SELECT_EVENT, event_from_row};
use crate::writer::{Job, WriteRequest, Writer};

/// How many transactions and appends the writer has committed: shows group commit at work.
#[derive(Debug, Default)]
pub struct WriteStats {
    transactions: AtomicU64,
    requests: AtomicU64,
    queued: AtomicU64,
}

impl WriteStats {
    /// Committed write transactions.
    pub fn transactions(&self) -> u64 {
        self.transactions.load(Ordering::Relaxed)
    }

    /// Append and import requests handled (committed or refused).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Append and import requests handed to the writer so far (handled or still waiting).
    pub fn queued(&self) -> u64 {
        self.queued.load(Ordering::Relaxed)
    }
}

/// The SQLite event store.
#[derive(Debug)]
pub struct SqliteStore {
    path: PathBuf,
    writer: tokio::sync::mpsc::UnboundedSender<Job>,
    readers: Arc<ReadPool>,
    head: watch::Receiver<u64>,
    stats: Arc<WriteStats>,
    keys: SqliteKeyStore,
}

impl SqliteStore {
    /// Opens (creating and migrating if needed) the store at `path`.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the file cannot be created, opened or migrated.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| unavailable(&format!("cannot create {}", dir.display()), e))?;
        }
        let conn = Connection::open(&path)
            .map_err(|e| unavailable(&format!("cannot open {}", path.display()), e))?;
        configure(&conn).map_err(|e| unavailable("cannot configure SQLite", e))?;
        migrate(&conn)?;
        let last: i64 = conn
            .query_row("SELECT coalesce(max(position), 0) FROM events", [], |r| {
                r.get(0)
            })
            .map_err(|e| unavailable("cannot read the log head", e))?;
        let (head_tx, head) = watch::channel(u64::try_from(last).unwrap_or(0));
        let stats = Arc::new(WriteStats::default());
        let writer = Writer::spawn(conn, head_tx, stats.clone())?;
        let keys = SqliteKeyStore::open(&path)?;
        Ok(Self {
            keys,
            readers: Arc::new(ReadPool {
                path: path.clone(),
                idle: Mutex::new(Vec::new()),
            }),
            path,
            writer,
            head,
            stats,
        })
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Counters of the writer thread.
    pub fn write_stats(&self) -> &WriteStats {
        &self.stats
    }

    /// Holds the writer until the returned guard is dropped, so requests queue up: lets a test
    /// show deterministically that waiting appends are committed in one transaction.
    #[doc(hidden)]
    pub async fn pause_writer(&self) -> WriterPause {
        let (paused_tx, paused_rx) = oneshot::channel();
        let (resume_tx, resume_rx) = std::sync::mpsc::channel();
        let _ = self.writer.send(Job::Pause {
            paused: paused_tx,
            resume: resume_rx,
        });
        let _ = paused_rx.await;
        WriterPause { _resume: resume_tx }
    }

    async fn write<T: Send + 'static>(
        &self,
        request: WriteRequest,
        pick: fn(writer::WriteResult) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.writer
            .send(Job::Write { request, reply })
            .map_err(|_| StoreError::Unavailable("the SQLite writer has stopped".into()))?;
        self.stats.queued.fetch_add(1, Ordering::Relaxed);
        let result = answer
            .await
            .map_err(|_| StoreError::Unavailable("the SQLite writer stopped mid-request".into()))?;
        pick(result)
    }

    async fn read<T: Send + 'static>(
        &self,
        query: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let pool = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let conn = pool.take()?;
            let result = query(&conn);
            pool.give_back(conn);
            result
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("read task failed: {e}")))?
    }
}

/// Keeps the writer paused while alive.
#[derive(Debug)]
pub struct WriterPause {
    _resume: std::sync::mpsc::Sender<()>,
}

#[async_trait]
impl EventStore for SqliteStore {
    async fn append(
        &self,
        stream: &StreamName,
        expected: ExpectedVersion,
        events: &[NewEvent],
    ) -> Result<AppendOutcome, StoreError> {
        check_batch(events)?;
        let request = WriteRequest::Append {
            stream: stream.clone(),
            expected,
            events: events.to_vec(),
        };
        self.write(request, writer::WriteResult::into_append).await
    }

    async fn read_stream(
        &self,
        stream: &StreamName,
        from_version: u64,
        max_count: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let stream = stream.clone();
        self.read(move |conn| {
            let sql = format!(
                "{SELECT_EVENT} WHERE stream = ?1 AND stream_version >= ?2 ORDER BY stream_version LIMIT ?3"
            );
            query_events(conn, &sql, (stream.as_str(), clamp(from_version), clamp_usize(max_count)))
        })
        .await
    }

    async fn read_all(
        &self,
        from: Position,
        max_count: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read(move |conn| {
            let sql = format!("{SELECT_EVENT} WHERE position >= ?1 ORDER BY position LIMIT ?2");
            query_events(conn, &sql, (clamp(from.0), clamp_usize(max_count)))
        })
        .await
    }

    async fn import(&self, events: &[RecordedEvent]) -> Result<ImportOutcome, StoreError> {
        if events.is_empty() {
            return Ok(ImportOutcome::default());
        }
        let request = WriteRequest::Import {
            events: events.to_vec(),
        };
        self.write(request, writer::WriteResult::into_import).await
    }

    async fn wait_for_events(&self, from: Position, timeout: Duration) {
        let mut head = self.head.clone();
        // Another process may write the same file; cap the wait so it is noticed too.
        let timeout = timeout.min(Duration::from_millis(250));
        let _ = tokio::time::timeout(timeout, head.wait_for(|&h| h >= from.0)).await;
    }

    fn describe(&self) -> String {
        format!("sqlite:{}", self.path.display())
    }
}

fn query_events(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<RecordedEvent>, StoreError> {
    let mut stmt = conn
        .prepare_cached(sql)
        .map_err(|e| unavailable("cannot prepare a read", e))?;
    let mut rows = stmt
        .query(params)
        .map_err(|e| unavailable("cannot read events", e))?;
    let mut out = Vec::new();
    while let Some(row) = rows
        .next()
        .map_err(|e| unavailable("cannot read events", e))?
    {
        out.push(event_from_row(row)?);
    }
    Ok(out)
}

fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn clamp_usize(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(Duration::from_secs(10))?;
    Ok(())
}

const MIGRATIONS: &[&str] = &[include_str!("schema.sql"), include_str!("keys.sql")];

fn migrate(conn: &Connection) -> Result<(), StoreError> {
    let current: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| unavailable("cannot read the schema version", e))?;
    let current = usize::try_from(current).unwrap_or(usize::MAX);
    if current > MIGRATIONS.len() {
        return Err(StoreError::Unavailable(format!(
            "the store has schema version {current}, newer than this program knows ({})",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let version = i + 1;
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {sql}; PRAGMA user_version = {version}; COMMIT;"
        ))
        .map_err(|e| unavailable(&format!("migration {version} failed"), e))?;
    }
    Ok(())
}

pub(crate) fn unavailable(context: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("{context}: {e}"))
}

/// Idle read-only connections, opened on demand.
#[derive(Debug)]
struct ReadPool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl ReadPool {
    fn take(&self) -> Result<Connection, StoreError> {
        if let Some(conn) = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()
        {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| unavailable("cannot open a read connection", e))?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(|e| unavailable("cannot configure a read connection", e))?;
        Ok(conn)
    }

    fn give_back(&self, conn: Connection) {
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if idle.len() < 8 {
            idle.push(conn);
        }
    }
}

/// The yardstick for the append benchmark: a plain loop committing one INSERT per
/// transaction, with the same journal and fsync settings, into a scratch file in `dir`.
/// Returns inserts per second.
///
/// # Errors
/// When the scratch file cannot be written.
#[doc(hidden)]
pub fn plain_insert_loop(dir: &Path, inserts: u32) -> Result<f64, StoreError> {
    let path = dir.join(format!("baseline-{}.db", uuid::Uuid::now_v7()));
    let result = (|| -> rusqlite::Result<f64> {
        let conn = Connection::open(&path)?;
        configure(&conn)?;
        conn.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, event_id BLOB NOT NULL UNIQUE, payload TEXT NOT NULL)",
        )?;
        let payload = "x".repeat(300);
        let started = std::time::Instant::now();
        for _ in 0..inserts {
            conn.execute(
                "INSERT INTO t (event_id, payload) VALUES (?1, ?2)",
                rusqlite::params![uuid::Uuid::now_v7().as_bytes().as_slice(), payload],
            )?;
        }
        Ok(f64::from(inserts) / started.elapsed().as_secs_f64())
    })();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    result.map_err(|e| unavailable("baseline loop failed", e))
}
