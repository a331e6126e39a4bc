//! The single writer thread and its group commit.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use chrono::Utc;
use event_store::append::{
    ImportStep, Retry, StreamHead, check_expected, check_import, match_retry, outcome_of, seal,
};
use event_store::{
    AppendOutcome, EventHash, ExpectedVersion, ImportOutcome, NewEvent, Position, RecordedEvent,
    StoreError, StreamName, time_to_micros,
};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use tokio::sync::{mpsc, oneshot, watch};

use crate::rows::{SELECT_EVENT, event_from_row, text_or_blob};
use crate::{WriteStats, unavailable};

/// At most this many requests share one transaction, so a flood cannot delay its first
/// request's acknowledgement without bound.
const MAX_GROUP: usize = 256;

pub enum WriteRequest {
    Append {
        stream: StreamName,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    },
    Import {
        events: Vec<RecordedEvent>,
    },
}

pub enum WriteResult {
    Appended(Result<AppendOutcome, StoreError>),
    Imported(Result<ImportOutcome, StoreError>),
}

impl WriteResult {
    pub fn into_append(self) -> Result<AppendOutcome, StoreError> {
        match self {
            WriteResult::Appended(r) => r,
            WriteResult::Imported(_) => Err(StoreError::Unavailable(
                "writer answered an append with an import".into(),
            )),
        }
    }

    pub fn into_import(self) -> Result<ImportOutcome, StoreError> {
        match self {
            WriteResult::Imported(r) => r,
            WriteResult::Appended(_) => Err(StoreError::Unavailable(
                "writer answered an import with an append".into(),
            )),
        }
    }

    fn failed(request: &WriteRequest, error: StoreError) -> Self {
        match request {
            WriteRequest::Append { .. } => WriteResult::Appended(Err(error)),
            WriteRequest::Import { .. } => WriteResult::Imported(Err(error)),
        }
    }

    fn is_ok(&self) -> bool {
        matches!(
            self,
            WriteResult::Appended(Ok(_)) | WriteResult::Imported(Ok(_))
        )
    }
}

pub enum Job {
    Write {
        request: WriteRequest,
        reply: oneshot::Sender<WriteResult>,
    },
    /// Test hook: block the writer until `resume` is dropped.
    Pause {
        paused: oneshot::Sender<()>,
        resume: std::sync::mpsc::Receiver<()>,
    },
}

pub struct Writer {
    conn: Connection,
    head: watch::Sender<u64>,
    stats: Arc<WriteStats>,
}

impl Writer {
    pub fn spawn(
        conn: Connection,
        head: watch::Sender<u64>,
        stats: Arc<WriteStats>,
    ) -> Result<mpsc::UnboundedSender<Job>, StoreError> {
        let (tx, rx) = mpsc::unbounded_channel();
        let writer = Writer { conn, head, stats };
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || writer.run(rx))
            .map_err(|e| unavailable("cannot start the writer thread", e))?;
        Ok(tx)
    }

    fn run(mut self, mut jobs: mpsc::UnboundedReceiver<Job>) {
        while let Some(first) = jobs.blocking_recv() {
            let mut group = Vec::new();
            let mut next = Some(first);
            while let Some(job) = next.take() {
                match job {
                    Job::Write { request, reply } => group.push((request, reply)),
                    Job::Pause { paused, resume } => {
                        let _ = paused.send(());
                        let _ = resume.recv(); // returns when the pause guard is dropped
                    }
                }
                if group.len() < MAX_GROUP {
                    next = jobs.try_recv().ok();
                }
            }
            if !group.is_empty() {
                self.commit_group(group);
            }
        }
    }

    /// Runs every request in one transaction, each in its own savepoint, and commits once.
    fn commit_group(&mut self, group: Vec<(WriteRequest, oneshot::Sender<WriteResult>)>) {
        let outcome = (|| -> Result<(Vec<WriteResult>, Option<Position>), StoreError> {
            let mut tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(|e| unavailable("cannot begin a write", e))?;
            // One transaction, one time: every event of the group is recorded at it.
            let now = Utc::now();
            let mut results = Vec::with_capacity(group.len());
            let mut last = None;
            for (request, _) in &group {
                let sp = tx
                    .savepoint()
                    .map_err(|e| unavailable("cannot open a savepoint", e))?;
                let result = match request {
                    WriteRequest::Append {
                        stream,
                        expected,
                        events,
                    } => WriteResult::Appended(append(&sp, stream, *expected, events, now)),
                    WriteRequest::Import { events } => WriteResult::Imported(import(&sp, events)),
                };
                if result.is_ok() {
                    sp.commit()
                        .map_err(|e| unavailable("cannot release a savepoint", e))?;
                } else {
                    drop(sp); // rolls back this request only
                }
                results.push(result);
            }
            last = last.or(last_position(&tx)?);
            tx.set_drop_behavior(rusqlite::DropBehavior::Commit);
            tx.commit().map_err(|e| unavailable("cannot commit", e))?;
            Ok((results, last))
        })();
        self.stats
            .requests
            .fetch_add(group.len() as u64, Ordering::Relaxed);
        match outcome {
            Ok((results, last)) => {
                self.stats.transactions.fetch_add(1, Ordering::Relaxed);
                if let Some(p) = last {
                    self.head.send_replace(p.0);
                }
                for ((_, reply), result) in group.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
            Err(error) => {
                tracing::error!(%error, "SQLite write transaction failed; no request of the group was written");
                for (request, reply) in group {
                    let _ = reply.send(WriteResult::failed(&request, error.clone()));
                }
            }
        }
    }
}

fn last_position(tx: &Transaction<'_>) -> Result<Option<Position>, StoreError> {
    let max: Option<i64> = tx
        .query_row("SELECT max(position) FROM events", [], |r| r.get(0))
        .map_err(|e| unavailable("cannot read the log head", e))?;
    Ok(max.and_then(|m| u64::try_from(m).ok()).map(Position))
}

fn db(context: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |e| unavailable(context, e)
}

fn head_of(conn: &Connection, stream: &StreamName) -> Result<Option<StreamHead>, StoreError> {
    let row: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT version, hash FROM streams WHERE stream = ?1")
        .map_err(db("cannot prepare the head lookup"))?
        .query_row([stream.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(db("cannot read a stream head"))?;
    row.map(|(version, hash)| {
        Ok(StreamHead {
            version: u64::try_from(version).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            hash: EventHash::from_slice(&hash).map_err(StoreError::Corrupt)?,
        })
    })
    .transpose()
}

fn stored_by_id(conn: &Connection, id: uuid::Uuid) -> Result<Option<RecordedEvent>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!("{SELECT_EVENT} WHERE event_id = ?1"))
        .map_err(db("cannot prepare the id lookup"))?;
    let mut rows = stmt
        .query([id.as_bytes().as_slice()])
        .map_err(db("cannot look up an event id"))?;
    match rows.next().map_err(db("cannot look up an event id"))? {
        Some(row) => event_from_row(row).map(Some),
        None => Ok(None),
    }
}

/// Writes one sealed or imported event and moves its stream's head; returns its position.
fn insert(conn: &Connection, e: &RecordedEvent) -> Result<Position, StoreError> {
    conn.prepare_cached(
        "INSERT INTO events (event_id, stream, stream_version, event_type, schema_version, \
         recorded_at, payload, metadata, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .map_err(db("cannot prepare the insert"))?
    .execute(params![
        e.event_id.as_bytes().as_slice(),
        e.stream.as_str(),
        i64::try_from(e.stream_version).map_err(|e| StoreError::InvalidRequest(e.to_string()))?,
        e.event_type,
        e.schema_version,
        time_to_micros(e.recorded_at),
        text_or_blob(&e.payload),
        text_or_blob(&e.metadata),
        e.hash.0.as_slice(),
    ])
    .map_err(db("cannot insert an event"))?;
    let position = conn.last_insert_rowid();
    conn.prepare_cached(
        "INSERT INTO streams (stream, version, hash) VALUES (?1, ?2, ?3) \
         ON CONFLICT (stream) DO UPDATE SET version = excluded.version, hash = excluded.hash",
    )
    .map_err(db("cannot prepare the head update"))?
    .execute(params![
        e.stream.as_str(),
        e.stream_version as i64,
        e.hash.0.as_slice()
    ])
    .map_err(db("cannot move a stream head"))?;
    Ok(Position(
        u64::try_from(position).map_err(|e| StoreError::Corrupt(e.to_string()))?,
    ))
}

fn append(
    conn: &Connection,
    stream: &StreamName,
    expected: ExpectedVersion,
    events: &[NewEvent],
    now: chrono::DateTime<Utc>,
) -> Result<AppendOutcome, StoreError> {
    let mut stored = Vec::new();
    for e in events {
        stored.extend(stored_by_id(conn, e.event_id)?);
    }
    if let Retry::AlreadyAppended(outcome) = match_retry(stream, events, &stored)? {
        return Ok(outcome);
    }
    let head = head_of(conn, stream)?;
    check_expected(stream, expected, head.map(|h| h.version))?;
    let mut written = seal(stream, head, events, now);
    for e in &mut written {
        e.position = insert(conn, e)?;
    }
    outcome_of(&written).ok_or_else(|| StoreError::InvalidRequest("empty append".into()))
}

fn import(conn: &Connection, events: &[RecordedEvent]) -> Result<ImportOutcome, StoreError> {
    let mut outcome = ImportOutcome::default();
    for e in events {
        let same_id = stored_by_id(conn, e.event_id)?;
        match check_import(e, head_of(conn, &e.stream)?, same_id.as_ref())? {
            ImportStep::AlreadyPresent => outcome.already_present += 1,
            ImportStep::Write => {
                insert(conn, e)?;
                outcome.imported += 1;
            }
        }
    }
    Ok(outcome)
}
