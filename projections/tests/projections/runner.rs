//! The runner and the SQLite sink with a small projection: exactly once, rebuildable.

use std::sync::Arc;

use event_store::{EventStore, ExpectedVersion, MemoryStore, RecordedEvent, StreamName};
use projections::{
    Column, ColumnType, Projection, ReadModelSink, Row, RowChanges, Runner, SinkError, Table, Value,
};
use read_sqlite::SqliteSink;
use store_conformance::sample_event;

/// Counts the events of each stream: applying an event twice, or skipping one, shows.
#[derive(Default)]
pub(crate) struct EventsPerStream {
    counts: std::collections::HashMap<String, i64>,
    version: u32,
}

static COUNTS: Table = Table {
    name: "events_per_stream",
    doc: "How many events each stream holds.",
    columns: &[
        Column {
            name: "stream",
            ty: ColumnType::Text,
            doc: "stream name",
        },
        Column {
            name: "events",
            ty: ColumnType::Integer,
            doc: "events in the stream",
        },
        Column {
            name: "last_recorded_at",
            ty: ColumnType::Timestamp,
            doc: "when the last one was recorded",
        },
    ],
    primary_key: &["stream"],
    indexes: &[],
};

impl Projection for EventsPerStream {
    fn name(&self) -> &'static str {
        "events_per_stream"
    }
    fn version(&self) -> u32 {
        self.version.max(1)
    }
    fn tables(&self) -> &'static [&'static Table] {
        static TABLES: [&Table; 1] = [&COUNTS];
        &TABLES
    }
    fn apply(&mut self, event: &RecordedEvent, changes: &mut RowChanges) {
        let n = self.counts.entry(event.stream.to_string()).or_default();
        *n += 1;
        changes.upsert(
            Row::of(&COUNTS)
                .set("stream", event.stream.as_str())
                .set("events", *n)
                .set("last_recorded_at", event.recorded_at),
        );
    }
}

pub(crate) fn fresh() -> Vec<Box<dyn Projection>> {
    vec![Box::new(EventsPerStream::default())]
}

pub(crate) async fn write(store: &dyn EventStore, streams: usize, per_stream: usize) {
    for i in 0..per_stream {
        for s in 0..streams {
            let stream = StreamName::parse(format!("s-{s}")).unwrap();
            store
                .append(
                    &stream,
                    ExpectedVersion::Any,
                    &[sample_event(&format!("{i}"))],
                )
                .await
                .unwrap();
        }
    }
}

fn dump(sink: &SqliteSink) -> Vec<(String, i64, String)> {
    let conn = rusqlite::Connection::open(sink.path()).unwrap();
    let mut stmt = conn
        .prepare("SELECT stream, events, last_recorded_at FROM events_per_stream ORDER BY stream")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn counts(sink: &SqliteSink) -> Vec<(String, i64)> {
    dump(sink).into_iter().map(|(s, n, _)| (s, n)).collect()
}

pub(crate) fn expected(streams: usize, per_stream: i64) -> Vec<(String, i64)> {
    let mut v: Vec<_> = (0..streams)
        .map(|s| (format!("s-{s}"), per_stream))
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn catch_up_writes_every_event_once() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    write(store.as_ref(), 3, 10).await;
    let sink = SqliteSink::open(dir.path().join("read.db")).unwrap();
    let runner = Runner::new(store.clone(), Arc::new(sink.clone()));
    runner.catch_up(&mut fresh()).await.unwrap();
    assert_eq!(counts(&sink), expected(3, 10));
    // Running again (a restart) applies nothing twice; new events are added.
    write(store.as_ref(), 3, 2).await;
    runner.catch_up(&mut fresh()).await.unwrap();
    assert_eq!(counts(&sink), expected(3, 12));
}

#[tokio::test]
async fn a_crash_between_rows_and_checkpoint_loses_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    write(store.as_ref(), 5, 1000).await; // 5,000 events: several pages
    let sink = SqliteSink::open(dir.path().join("read.db")).unwrap();
    let runner = Runner::new(store.clone(), Arc::new(sink.clone()));

    // First run: commit one page, then crash inside the second commit.
    let mut first = fresh();
    let mut projection_once = vec![first.remove(0)];
    runner.catch_up(&mut projection_once).await.unwrap();
    write(store.as_ref(), 5, 1000).await;
    sink.crash_before_next_checkpoint();
    let crashed = runner.catch_up(&mut fresh()).await;
    assert!(
        matches!(
            crashed,
            Err(projections::RunError::Sink(SinkError::InjectedCrash))
        ),
        "{crashed:?}"
    );
    assert_eq!(
        counts(&sink),
        expected(5, 1000),
        "the crashed commit wrote no rows"
    );

    // Restart: everything is applied exactly once.
    runner.catch_up(&mut fresh()).await.unwrap();
    assert_eq!(counts(&sink), expected(5, 2000));
}

#[tokio::test]
async fn a_rebuild_equals_the_incrementally_built_tables() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn EventStore> =
        Arc::new(store_sqlite::SqliteStore::open(dir.path().join("log.db")).unwrap());
    let incremental = SqliteSink::open(dir.path().join("incremental.db")).unwrap();
    let runner = Runner::new(store.clone(), Arc::new(incremental.clone()));
    for round in 0..4 {
        write(store.as_ref(), 2 + round, 3).await;
        runner.catch_up(&mut fresh()).await.unwrap();
    }
    let rebuilt = SqliteSink::open(dir.path().join("rebuilt.db")).unwrap();
    let mut seen = 0;
    let stats = Runner::new(store.clone(), Arc::new(rebuilt.clone()))
        .rebuild(&mut fresh(), |n| seen = n)
        .await
        .unwrap();
    assert_eq!(stats.events, 3 * (2 + 3 + 4 + 5));
    assert_eq!(seen, stats.events);
    assert!(!dump(&incremental).is_empty());
    assert_eq!(dump(&rebuilt), dump(&incremental));
}

#[tokio::test]
async fn a_changed_projection_version_rebuilds_its_tables() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    write(store.as_ref(), 2, 4).await;
    let sink = SqliteSink::open(dir.path().join("read.db")).unwrap();
    let runner = Runner::new(store.clone(), Arc::new(sink.clone()));
    runner.catch_up(&mut fresh()).await.unwrap();
    // Rows the old version wrote that the new one would not: they must go.
    let mut stray = RowChanges::default();
    stray.upsert(
        Row::of(&COUNTS)
            .set("stream", "gone")
            .set("events", 1)
            .set("last_recorded_at", Value::Null),
    );
    sink.commit("events_per_stream", &stray, event_store::Position(8))
        .await
        .unwrap();

    let mut v2: Vec<Box<dyn Projection>> = vec![Box::new(EventsPerStream {
        version: 2,
        ..Default::default()
    })];
    runner.catch_up(&mut v2).await.unwrap();
    assert_eq!(counts(&sink), expected(2, 4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_applies_events_as_they_arrive_and_stops_when_told() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    write(store.as_ref(), 1, 2).await;
    let sink = SqliteSink::open(dir.path().join("read.db")).unwrap();
    let runner = Runner::new(store.clone(), Arc::new(sink.clone()));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let follower = tokio::spawn(async move { runner.follow(&mut fresh(), stop_rx).await });
    write(store.as_ref(), 1, 3).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    // The follower creates its table when it starts; until then there is nothing to count.
    let table_exists = || {
        let conn = rusqlite::Connection::open(sink.path()).unwrap();
        conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'events_per_stream'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            == 1
    };
    while !(table_exists() && counts(&sink) == expected(1, 5)) {
        assert!(
            std::time::Instant::now() < deadline,
            "follower did not apply live events in 10 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop_tx.send(true).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), follower)
        .await
        .expect("follower stops")
        .unwrap()
        .unwrap();
}

/// Writes one row per event, and panics on the event at `fails_at` (counted from 1): a read
/// model with a bug.
struct FailsAt {
    seen: u64,
    fails_at: u64,
}

static SEEN: Table = Table {
    name: "seen_events",
    doc: "One row per event seen.",
    columns: &[Column {
        name: "position",
        ty: ColumnType::Integer,
        doc: "position of the event",
    }],
    primary_key: &["position"],
    indexes: &[],
};

impl Projection for FailsAt {
    fn name(&self) -> &'static str {
        "fails_at"
    }
    fn version(&self) -> u32 {
        1
    }
    fn tables(&self) -> &'static [&'static Table] {
        static TABLES: [&Table; 1] = [&SEEN];
        &TABLES
    }
    fn apply(&mut self, event: &RecordedEvent, changes: &mut RowChanges) {
        self.seen += 1;
        changes.upsert(Row::of(&SEEN).set("position", event.position.0 as i64));
        assert!(self.seen != self.fails_at, "a bug in this read model");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_model_that_fails_stops_alone_at_its_last_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    write(store.as_ref(), 5, 1000).await; // 5,000 events: the first pages commit
    let sink = SqliteSink::open(dir.path().join("read.db")).unwrap();
    let runner = Runner::new(store.clone(), Arc::new(sink.clone()));
    let all = store
        .read_all(event_store::Position::START, 5000)
        .await
        .unwrap();
    let bad = all[2999].position;

    let mut both: Vec<Box<dyn Projection>> = vec![
        Box::new(FailsAt {
            seen: 0,
            fails_at: 3000,
        }),
        fresh().remove(0),
    ];
    let outcome = runner.catch_up(&mut both).await;
    match outcome {
        Err(projections::RunError::ProjectionFailed {
            projection,
            position,
            ..
        }) => {
            assert_eq!(projection, "fails_at");
            assert_eq!(position, bad.0);
        }
        other => panic!("expected the failure of fails_at, got {other:?}"),
    }
    // The other read model is complete; the failed one stopped before the bad event, with
    // nothing of it or after it written.
    assert_eq!(counts(&sink), expected(5, 1000));
    let stopped = sink.checkpoint("fails_at").await.unwrap().unwrap();
    let stopped_at = stopped
        .position
        .expect("a page was committed before the failure");
    assert!(stopped_at < bad, "{stopped_at:?} < {bad:?}");
    let conn = rusqlite::Connection::open(sink.path()).unwrap();
    let (rows, last): (i64, i64) = conn
        .query_row("SELECT count(*), max(position) FROM seen_events", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(last as u64, stopped_at.0);
    assert!(rows > 0 && (rows as u64) < 3000);
    let done = sink.checkpoint("events_per_stream").await.unwrap().unwrap();
    assert_eq!(done.position, Some(all[4999].position));
}
