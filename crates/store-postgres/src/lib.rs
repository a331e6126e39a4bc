//! The PostgreSQL adapter of Dossier's event-store port.
//!
//! [`PostgresStore`] keeps the log in one `events` table (append-only: a trigger refuses
//! UPDATE, DELETE and TRUNCATE) and each stream's head in `streams`, in a schema chosen by the
//! store URL (`postgres://…?schema=NAME`, default `public`), with embedded migrations. Appends
//! lock only their own stream's head row, so writers to different streams never wait for each
//! other, and readers of the global log still never skip an event that commits late (see
//! `gaps.rs` for the algorithm and why it is sound). Every rule about expected versions,
//! retries, sealing and imports comes from [`event_store::append`], so this adapter answers
//! exactly as every other one does.
//!
//! Architecture invariant: depends on the event-store port and the PostgreSQL client only;
//! never on the domain, HTTP or another adapter. No driver error crosses the port.

mod error;
mod gaps;
mod keys;
mod migrate;
mod signal;
mod testing;
mod url;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use deadpool_postgres::{Manager, Object, Pool};
use event_store::append::{
    ImportStep, Retry, StreamHead, check_batch, check_expected, check_import, match_retry,
    outcome_of, seal,
};
use event_store::{
    AppendOutcome, EventHash, EventStore, ExpectedVersion, ImportOutcome, NewEvent, Position,
    RecordedEvent, StoreError, StreamName, micros_to_time, time_to_micros,
};
use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row, Statement};
use uuid::Uuid;

use crate::error::{Attempt, attempt_error, pool_error, store_error, unavailable};
use crate::gaps::{Cut, Gaps};
use crate::signal::Signals;

#[doc(hidden)]
pub use crate::testing::{fresh_test_store, fresh_test_url, test_server_url};
pub use crate::url::{DEFAULT_POOL_SIZE, PostgresUrl};

/// The columns [`decode`] reads, in its order.
macro_rules! event_columns {
    () => {
        "position, event_id, stream, stream_version, event_type, schema_version, recorded_at, \
         payload, metadata, hash"
    };
}

const BEGIN: &str = "BEGIN";
const COMMIT: &str = "COMMIT";
const ROLLBACK: &str = "ROLLBACK";
/// First statement of every write transaction: takes the xid before any position (the reader's
/// proof relies on it) and reads the transaction time.
const START_WRITE: &str = "SELECT pg_current_xact_id()::text, now()";
/// [`START_WRITE`] and the locked head of one stream (nulls for a new stream), in one
/// statement.
const START_APPEND: &str = "
SELECT pg_current_xact_id()::text, now(), head.version, head.hash
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (SELECT version, hash FROM streams WHERE stream = $1 FOR UPDATE) AS head ON true";
/// Sorted, so concurrent imports take their locks in one order and cannot deadlock.
const LOCK_HEADS: &str =
    "SELECT stream, version, hash FROM streams WHERE stream = ANY($1) ORDER BY stream FOR UPDATE";
const BY_IDS: &str = concat!(
    "SELECT ",
    event_columns!(),
    " FROM events WHERE event_id = ANY($1)"
);
/// Writes the events in the order given (positions follow that order) and the new heads, in
/// one statement.
const INSERT: &str = "
WITH written AS (
    INSERT INTO events (event_id, stream, stream_version, event_type, schema_version,
                        recorded_at, payload, metadata, hash)
    SELECT e.event_id, e.stream, e.stream_version, e.event_type, e.schema_version,
           e.recorded_at, e.payload, e.metadata, e.hash
    FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::bigint[],
                $6::bigint[], $7::text[], $8::text[], $9::bytea[])
         WITH ORDINALITY AS e(event_id, stream, stream_version, event_type, schema_version,
                              recorded_at, payload, metadata, hash, n)
    ORDER BY e.n
    RETURNING position, event_id
), heads AS (
    INSERT INTO streams (stream, version, hash)
    SELECT * FROM unnest($10::text[], $11::bigint[], $12::bytea[])
    ON CONFLICT (stream) DO UPDATE SET version = excluded.version, hash = excluded.hash
)
SELECT position, event_id FROM written";
const READ_STREAM: &str = concat!(
    "SELECT ",
    event_columns!(),
    " FROM events WHERE stream = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3"
);
/// The rows and the xmin of the very snapshot that found them (an init plan, evaluated once).
const READ_ALL: &str = concat!(
    "SELECT ",
    event_columns!(),
    ", (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint) AS xmin \
     FROM events WHERE position >= $1 ORDER BY position LIMIT $2"
);
/// A fresh xid: a bound above every transaction that had its xid when the previous statement
/// took its snapshot.
const FRESH_XID: &str = "SELECT pg_current_xact_id()::text::bigint";

/// How often a write transaction that lost a race (a unique key, a deadlock) is run again.
const ATTEMPTS: usize = 5;
/// How long `read_all` keeps asking while a position at the very start of the page may still
/// commit, before it answers with an empty page.
const GAP_PATIENCE: Duration = Duration::from_secs(2);

/// An event store in PostgreSQL.
#[derive(Debug)]
pub struct PostgresStore {
    pool: Pool,
    schema: String,
    described: String,
    gaps: Gaps,
    signals: Signals,
    /// Connected to a hot standby (a streaming replica): reads only, no LISTEN, no fresh xid.
    in_recovery: bool,
}

impl PostgresStore {
    /// Connects to the store at `url` (`postgres://user@host:port/db?schema=NAME&pool_size=N`),
    /// creating the schema and applying missing migrations first.
    ///
    /// # Errors
    /// [`StoreError::InvalidRequest`] for a URL that is not a valid store URL;
    /// [`StoreError::Unavailable`] when the server cannot be reached or migrated.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let url = url::PostgresUrl::parse(url)?;
        let pool = Pool::builder(Manager::new(url.pg.clone(), NoTls))
            .max_size(url.pool_size)
            .build()
            .map_err(|e| StoreError::Unavailable(format!("cannot build the pool: {e}")))?;
        let in_recovery = {
            let mut client = pool.get().await.map_err(|e| pool_error(&e))?;
            let in_recovery: bool = client
                .query_one("SELECT pg_is_in_recovery()", &[])
                .await
                .map_err(|e| unavailable("ask whether the server is a replica", &e))?
                .get(0);
            migrate::migrate(&mut client, &url.schema, in_recovery).await?;
            in_recovery
        };
        let signals =
            Signals::start(url.pg.clone(), pool.clone(), &url.schema, !in_recovery).await?;
        Ok(Self {
            pool,
            schema: url.schema,
            described: url.described,
            gaps: Gaps::default(),
            signals,
            in_recovery,
        })
    }

    /// The schema holding this store's tables.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    async fn client(&self) -> Result<Object, StoreError> {
        self.pool.get().await.map_err(|e| pool_error(&e))
    }

    /// One attempt at an append. The common case costs two round trips and four statements:
    /// BEGIN + lock the head, then INSERT + COMMIT. Event ids are looked up only where a retry
    /// is possible: when the expected version does not match (a retry of a committed append
    /// usually lands there) or on a later attempt (an earlier one met a stored id).
    async fn try_append(
        &self,
        stream: &StreamName,
        expected: ExpectedVersion,
        events: &[NewEvent],
        attempt: usize,
    ) -> Result<(AppendOutcome, bool), Attempt> {
        let client = self.client().await?;
        let [begin, lock_head, by_ids, insert, commit, rollback] = prepare(
            &client,
            [BEGIN, START_APPEND, BY_IDS, INSERT, COMMIT, ROLLBACK],
        )
        .await?;
        let tx = InTransaction::new(client, rollback);
        let ids: Vec<Uuid> = events.iter().map(|e| e.event_id).collect();
        let stream_name = stream.as_str();
        let head_params: [&(dyn ToSql + Sync); 1] = [&stream_name];
        let id_params: [&(dyn ToSql + Sync); 1] = [&ids];
        let (begun, started) = futures::join!(
            tx.client().execute(&begin, &[]),
            tx.client().query_one(&lock_head, &head_params),
        );
        let read = async {
            begun.map_err(|e| attempt_error("begin", &e))?;
            let started = started.map_err(|e| attempt_error("lock the stream head", &e))?;
            let now: DateTime<Utc> = started
                .try_get(1)
                .map_err(|e| corrupt("transaction time", &e))?;
            let head = match started
                .try_get::<_, Option<i64>>(2)
                .map_err(|e| corrupt("head version", &e))?
            {
                Some(_) => Some(decode_head(&started, 2)?),
                None => None,
            };
            let matches = check_expected(stream, expected, head.map(|h| h.version));
            if attempt > 0 || matches.is_err() {
                // After the lock: a retry that waited for its original sees what it wrote.
                let stored = tx
                    .client()
                    .query(&by_ids, &id_params)
                    .await
                    .map_err(|e| attempt_error("look up event ids", &e))?
                    .iter()
                    .map(decode)
                    .collect::<Result<Vec<_>, _>>()?;
                if let Retry::AlreadyAppended(outcome) = match_retry(stream, events, &stored)? {
                    return Ok(Err(outcome));
                }
            }
            matches?;
            Ok::<_, Attempt>(Ok(seal(stream, head, events, now)))
        };
        let mut sealed = match read.await {
            Ok(Ok(sealed)) => sealed,
            Ok(Err(original)) => {
                tx.rollback().await;
                return Ok((original, false));
            }
            Err(e) => {
                tx.rollback().await;
                return Err(e);
            }
        };
        let rows = Rows::of(&sealed, heads_of(&sealed))?;
        let params = rows.params();
        let (written, committed) = futures::join!(
            tx.client().query(&insert, &params),
            tx.client().execute(&commit, &[]),
        );
        let written = finish(tx, written, committed)?;
        place(&mut sealed, &written)?;
        let outcome = outcome_of(&sealed).ok_or_else(|| {
            Attempt::Done(StoreError::Corrupt("an append wrote no events".into()))
        })?;
        Ok((outcome, true))
    }

    async fn try_import(&self, events: &[RecordedEvent]) -> Result<ImportOutcome, Attempt> {
        let client = self.client().await?;
        let [begin, start, lock_heads, by_ids, insert, commit, rollback] = prepare(
            &client,
            [
                BEGIN,
                START_WRITE,
                LOCK_HEADS,
                BY_IDS,
                INSERT,
                COMMIT,
                ROLLBACK,
            ],
        )
        .await?;
        let tx = InTransaction::new(client, rollback);
        let mut streams: Vec<&str> = events.iter().map(|e| e.stream.as_str()).collect();
        streams.sort_unstable();
        streams.dedup();
        let ids: Vec<Uuid> = events.iter().map(|e| e.event_id).collect();
        let head_params: [&(dyn ToSql + Sync); 1] = [&streams];
        let id_params: [&(dyn ToSql + Sync); 1] = [&ids];
        let (begun, started, heads, stored) = futures::join!(
            tx.client().execute(&begin, &[]),
            tx.client().query_one(&start, &[]),
            tx.client().query(&lock_heads, &head_params),
            tx.client().query(&by_ids, &id_params),
        );
        let read = async {
            begun.map_err(|e| attempt_error("begin", &e))?;
            started.map_err(|e| attempt_error("start the import", &e))?;
            let mut heads = heads
                .map_err(|e| attempt_error("lock the stream heads", &e))?
                .iter()
                .map(|row| {
                    let stream: String = row.try_get(0).map_err(|e| corrupt("stream", &e))?;
                    Ok((stream, decode_head(row, 1)?))
                })
                .collect::<Result<HashMap<String, StreamHead>, StoreError>>()?;
            let stored = stored
                .map_err(|e| attempt_error("look up event ids", &e))?
                .iter()
                .map(decode)
                .collect::<Result<Vec<_>, _>>()?;
            let mut by_id: HashMap<Uuid, &RecordedEvent> =
                stored.iter().map(|e| (e.event_id, e)).collect();
            let mut outcome = ImportOutcome::default();
            let mut written = Vec::new();
            let mut touched = HashSet::new();
            for event in events {
                let head = heads.get(event.stream.as_str()).copied();
                match check_import(event, head, by_id.get(&event.event_id).copied())? {
                    ImportStep::AlreadyPresent => outcome.already_present += 1,
                    ImportStep::Write => {
                        let head = StreamHead {
                            version: event.stream_version,
                            hash: event.hash,
                        };
                        heads.insert(event.stream.as_str().to_owned(), head);
                        touched.insert(event.stream.as_str());
                        by_id.insert(event.event_id, event);
                        written.push(event);
                        outcome.imported += 1;
                    }
                }
            }
            let new_heads: Vec<(&str, StreamHead)> =
                touched.into_iter().map(|s| (s, heads[s])).collect();
            Ok::<_, Attempt>((outcome, Rows::of(written, new_heads)?))
        };
        let (outcome, rows) = match read.await {
            Ok(read) => read,
            Err(e) => {
                tx.rollback().await;
                return Err(e);
            }
        };
        if outcome.imported == 0 {
            tx.rollback().await;
            return Ok(outcome);
        }
        let params = rows.params();
        let (written, committed) = futures::join!(
            tx.client().query(&insert, &params),
            tx.client().execute(&commit, &[]),
        );
        let written = finish(tx, written, committed)?;
        let last = written
            .iter()
            .filter_map(|row| row.try_get::<_, i64>(0).ok())
            .max()
            .unwrap_or(0);
        self.signals
            .committed(Position(u64::try_from(last).unwrap_or(0)));
        Ok(outcome)
    }
}

#[async_trait]
impl EventStore for PostgresStore {
    async fn append(
        &self,
        stream: &StreamName,
        expected: ExpectedVersion,
        events: &[NewEvent],
    ) -> Result<AppendOutcome, StoreError> {
        check_batch(events)?;
        for e in events {
            text(&e.event_type, "event type", e.event_id)?;
            utf8(&e.payload, "payload", e.event_id)?;
            utf8(&e.metadata, "metadata", e.event_id)?;
        }
        let mut last_race = String::new();
        for attempt in 0..ATTEMPTS {
            match self.try_append(stream, expected, events, attempt).await {
                Ok((outcome, wrote)) => {
                    if wrote {
                        self.signals.committed(outcome.last_position);
                    }
                    return Ok(outcome);
                }
                Err(Attempt::Done(e)) => return Err(e),
                Err(Attempt::Again(race)) => last_race = race,
            }
        }
        Err(StoreError::Unavailable(format!(
            "append to {stream} lost {ATTEMPTS} races in a row, last: {last_race}"
        )))
    }

    async fn read_stream(
        &self,
        stream: &StreamName,
        from_version: u64,
        max_count: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let client = self.client().await?;
        let statement = client
            .prepare_cached(READ_STREAM)
            .await
            .map_err(|e| store_error("prepare read_stream", &e))?;
        let rows = client
            .query(
                &statement,
                &[&stream.as_str(), &clamp(from_version), &clamp(max_count)],
            )
            .await
            .map_err(|e| store_error("read_stream", &e))?;
        rows.iter().map(decode).collect()
    }

    /// Returns the longest run of rows from `from` that has no position still in flight
    /// before it (see `gaps.rs`). When the very first position may still commit, asks again
    /// for up to two seconds before answering with an empty page.
    async fn read_all(
        &self,
        from: Position,
        max_count: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        if max_count == 0 {
            return Ok(Vec::new());
        }
        let give_up = Instant::now() + GAP_PATIENCE;
        let mut pause = Duration::from_millis(1);
        loop {
            let client = self.client().await?;
            let [read_all, fresh_xid] = prepare(&client, [READ_ALL, FRESH_XID]).await?;
            let rows = client
                .query(&read_all, &[&clamp(from.0), &clamp(max_count)])
                .await
                .map_err(|e| store_error("read_all", &e))?;
            let Some(first) = rows.first() else {
                return Ok(Vec::new());
            };
            let xmin: i64 = first.try_get(10).map_err(|e| corrupt("xmin", &e))?;
            let mut events = rows.iter().map(decode).collect::<Result<Vec<_>, _>>()?;
            let Cut { keep, unbounded } =
                self.gaps
                    .cut(from.0, events.iter().map(|e| e.position.0), xmin);
            if keep > 0 {
                events.truncate(keep);
                return Ok(events);
            }
            // A hot standby cannot hand out an xid: a run it cannot prove permanent ends the
            // page there (a replica reader sees the log up to the first such run).
            if !unbounded.is_empty() && !self.in_recovery {
                let bound: i64 = client
                    .query_one(&fresh_xid, &[])
                    .await
                    .map_err(|e| store_error("take a fresh xid", &e))?
                    .try_get(0)
                    .map_err(|e| corrupt("xid", &e))?;
                self.gaps.remember(&unbounded, bound);
                // On a quiet server every older transaction has ended already: ask again at
                // once (a permanent hole then costs one extra query, not a pause).
                continue;
            }
            drop(client);
            if Instant::now() >= give_up {
                return Ok(Vec::new());
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(20));
        }
    }

    async fn import(&self, events: &[RecordedEvent]) -> Result<ImportOutcome, StoreError> {
        for e in events {
            text(&e.event_type, "event type", e.event_id)?;
            utf8(&e.payload, "payload", e.event_id)?;
            utf8(&e.metadata, "metadata", e.event_id)?;
        }
        if events.is_empty() {
            return Ok(ImportOutcome::default());
        }
        let mut last_race = String::new();
        for _ in 0..ATTEMPTS {
            match self.try_import(events).await {
                Ok(outcome) => return Ok(outcome),
                Err(Attempt::Done(e)) => return Err(e),
                Err(Attempt::Again(race)) => last_race = race,
            }
        }
        Err(StoreError::Unavailable(format!(
            "import lost {ATTEMPTS} races in a row, last: {last_race}"
        )))
    }

    async fn wait_for_events(&self, from: Position, timeout: Duration) {
        self.signals.wait_for(from, timeout).await;
    }

    fn describe(&self) -> String {
        self.described.clone()
    }
}

/// A pooled connection inside a transaction begun by hand (so BEGIN shares a round trip with
/// the first statements). Dropped before the transaction ended, e.g. because the caller's
/// future was cancelled, it takes the connection out of the pool: closing it makes the server
/// roll back, and no later user inherits an open transaction.
struct InTransaction {
    client: Option<Object>,
    rollback: Statement,
}

impl InTransaction {
    fn new(client: Object, rollback: Statement) -> Self {
        Self {
            client: Some(client),
            rollback,
        }
    }

    fn client(&self) -> &Object {
        self.client
            .as_ref()
            .expect("present until the transaction ends")
    }

    /// The transaction is over: the connection goes back to the pool.
    fn ended(mut self) {
        self.client.take();
    }

    async fn rollback(self) {
        if self.client().execute(&self.rollback, &[]).await.is_ok() {
            self.ended();
        }
    }
}

impl Drop for InTransaction {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            drop(Object::take(client));
        }
    }
}

/// Ends a transaction whose last two statements were the insert and COMMIT.
fn finish(
    tx: InTransaction,
    written: Result<Vec<Row>, tokio_postgres::Error>,
    committed: Result<u64, tokio_postgres::Error>,
) -> Result<Vec<Row>, Attempt> {
    match (written, committed) {
        (Ok(rows), Ok(_)) => {
            tx.ended();
            Ok(rows)
        }
        // COMMIT of a failed transaction rolls it back and succeeds.
        (Err(e), Ok(_)) => {
            tx.ended();
            Err(attempt_error("write events", &e))
        }
        (Err(e), Err(_)) => Err(attempt_error("write events", &e)),
        // Whether it committed is unknown; a retry by event id is safe either way.
        (Ok(_), Err(e)) => Err(Attempt::Done(store_error("commit", &e))),
    }
}

/// Prepares (or takes from the connection's cache) every statement, pipelined.
async fn prepare<const N: usize>(
    client: &Object,
    sql: [&str; N],
) -> Result<[Statement; N], StoreError> {
    let statements = futures::future::try_join_all(sql.iter().map(|s| client.prepare_cached(s)))
        .await
        .map_err(|e| store_error("prepare statements", &e))?;
    Ok(statements
        .try_into()
        .unwrap_or_else(|_| unreachable!("one statement per query")))
}

/// The arrays one INSERT statement takes.
struct Rows<'a> {
    event_ids: Vec<Uuid>,
    streams: Vec<&'a str>,
    versions: Vec<i64>,
    types: Vec<&'a str>,
    schema_versions: Vec<i64>,
    recorded_at: Vec<i64>,
    payloads: Vec<&'a str>,
    metadata: Vec<&'a str>,
    hashes: Vec<&'a [u8]>,
    head_streams: Vec<&'a str>,
    head_versions: Vec<i64>,
    head_hashes: Vec<Vec<u8>>,
}

impl<'a> Rows<'a> {
    fn of(
        events: impl IntoIterator<Item = &'a RecordedEvent>,
        heads: Vec<(&'a str, StreamHead)>,
    ) -> Result<Self, StoreError> {
        let mut rows = Rows {
            event_ids: Vec::new(),
            streams: Vec::new(),
            versions: Vec::new(),
            types: Vec::new(),
            schema_versions: Vec::new(),
            recorded_at: Vec::new(),
            payloads: Vec::new(),
            metadata: Vec::new(),
            hashes: Vec::new(),
            head_streams: Vec::new(),
            head_versions: Vec::new(),
            head_hashes: Vec::new(),
        };
        for e in events {
            rows.event_ids.push(e.event_id);
            rows.streams.push(e.stream.as_str());
            rows.versions.push(version(e.stream_version, e.event_id)?);
            rows.types.push(&e.event_type);
            rows.schema_versions.push(i64::from(e.schema_version));
            rows.recorded_at.push(time_to_micros(e.recorded_at));
            rows.payloads.push(utf8(&e.payload, "payload", e.event_id)?);
            rows.metadata
                .push(utf8(&e.metadata, "metadata", e.event_id)?);
            rows.hashes.push(&e.hash.0);
        }
        for (stream, head) in heads {
            rows.head_streams.push(stream);
            rows.head_versions.push(clamp(head.version));
            rows.head_hashes.push(head.hash.0.to_vec());
        }
        Ok(rows)
    }

    fn params(&self) -> [&(dyn ToSql + Sync); 12] {
        [
            &self.event_ids,
            &self.streams,
            &self.versions,
            &self.types,
            &self.schema_versions,
            &self.recorded_at,
            &self.payloads,
            &self.metadata,
            &self.hashes,
            &self.head_streams,
            &self.head_versions,
            &self.head_hashes,
        ]
    }
}

/// The head each stream has after `sealed` (one append: one stream).
fn heads_of(sealed: &[RecordedEvent]) -> Vec<(&str, StreamHead)> {
    sealed
        .last()
        .map(|e| {
            (
                e.stream.as_str(),
                StreamHead {
                    version: e.stream_version,
                    hash: e.hash,
                },
            )
        })
        .into_iter()
        .collect()
}

/// Fills in the positions the database gave the sealed events.
fn place(sealed: &mut [RecordedEvent], written: &[Row]) -> Result<(), Attempt> {
    let mut positions = HashMap::with_capacity(written.len());
    for row in written {
        let position: i64 = row.try_get(0).map_err(|e| corrupt("position", &e))?;
        let id: Uuid = row.try_get(1).map_err(|e| corrupt("event id", &e))?;
        positions.insert(id, position);
    }
    for e in sealed {
        let position = positions
            .get(&e.event_id)
            .copied()
            .ok_or_else(|| StoreError::Corrupt(format!("event {} was not written", e.event_id)))?;
        e.position = Position(
            u64::try_from(position)
                .map_err(|_| StoreError::Corrupt(format!("negative position {position}")))?,
        );
    }
    Ok(())
}

fn decode_head(row: &Row, first: usize) -> Result<StreamHead, StoreError> {
    let version: i64 = row
        .try_get(first)
        .map_err(|e| corrupt("head version", &e))?;
    let hash: &[u8] = row
        .try_get(first + 1)
        .map_err(|e| corrupt("head hash", &e))?;
    Ok(StreamHead {
        version: u64::try_from(version)
            .map_err(|_| StoreError::Corrupt(format!("negative head version {version}")))?,
        hash: EventHash::from_slice(hash).map_err(StoreError::Corrupt)?,
    })
}

/// Reads a row of [`event_columns!`].
fn decode(row: &Row) -> Result<RecordedEvent, StoreError> {
    let position: i64 = row.try_get(0).map_err(|e| corrupt("position", &e))?;
    let stream: String = row.try_get(2).map_err(|e| corrupt("stream", &e))?;
    let stream_version: i64 = row.try_get(3).map_err(|e| corrupt("stream_version", &e))?;
    let schema_version: i64 = row.try_get(5).map_err(|e| corrupt("schema_version", &e))?;
    let payload: String = row.try_get(7).map_err(|e| corrupt("payload", &e))?;
    let metadata: String = row.try_get(8).map_err(|e| corrupt("metadata", &e))?;
    let hash: &[u8] = row.try_get(9).map_err(|e| corrupt("hash", &e))?;
    let out_of_range = |what: &str, n: i64| StoreError::Corrupt(format!("{what} {n} out of range"));
    Ok(RecordedEvent {
        event_id: row.try_get(1).map_err(|e| corrupt("event_id", &e))?,
        stream: StreamName::parse(stream).map_err(|e| StoreError::Corrupt(e.0))?,
        stream_version: u64::try_from(stream_version)
            .map_err(|_| out_of_range("stream_version", stream_version))?,
        position: Position(
            u64::try_from(position).map_err(|_| out_of_range("position", position))?,
        ),
        event_type: row.try_get(4).map_err(|e| corrupt("event_type", &e))?,
        schema_version: u32::try_from(schema_version)
            .map_err(|_| out_of_range("schema_version", schema_version))?,
        recorded_at: micros_to_time(row.try_get(6).map_err(|e| corrupt("recorded_at", &e))?),
        payload: payload.into_bytes(),
        metadata: metadata.into_bytes(),
        hash: EventHash::from_slice(hash).map_err(StoreError::Corrupt)?,
    })
}

fn corrupt(column: &str, e: &tokio_postgres::Error) -> StoreError {
    StoreError::Corrupt(format!("column {column}: {e}"))
}

/// Payload and metadata are stored as TEXT: the exact bytes, which must therefore be UTF-8
/// (JSON always is) without NUL (JSON escapes it).
fn utf8<'a>(bytes: &'a [u8], what: &str, event_id: Uuid) -> Result<&'a str, StoreError> {
    let s = std::str::from_utf8(bytes).map_err(|_| {
        StoreError::InvalidRequest(format!("event {event_id}: {what} is not UTF-8 JSON"))
    })?;
    text(s, what, event_id)
}

fn text<'a>(s: &'a str, what: &str, event_id: Uuid) -> Result<&'a str, StoreError> {
    if s.contains('\0') {
        return Err(StoreError::InvalidRequest(format!(
            "event {event_id}: {what} contains a NUL character"
        )));
    }
    Ok(s)
}

fn version(v: u64, event_id: Uuid) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| {
        StoreError::InvalidRequest(format!("event {event_id}: stream version {v} is too large"))
    })
}

/// Counts and versions beyond what PostgreSQL's bigint holds mean "all of them".
fn clamp(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}
