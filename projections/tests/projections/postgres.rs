//! The PostgreSQL read-model sink passes the runner's guarantees: a crash between rows and
//! checkpoint loses and doubles nothing, and a rebuild equals the incremental build.

use std::sync::Arc;

use event_store::{EventStore, ExpectedVersion, MemoryStore, Position};
use projections::{ReadModelSink, RowChanges, Runner, SinkError};
use read_postgres::PostgresSink;
use store_postgres::PostgresUrl;

use crate::fixtures::*;
use crate::runner::{expected, fresh, write};

/// A read-model sink for a fresh store schema on the test server (never skipped: the test
/// fails when the server is missing).
async fn fresh_sink() -> PostgresSink {
    let url = PostgresUrl::parse(&store_postgres::fresh_test_url("")).unwrap();
    PostgresSink::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("the test PostgreSQL must be reachable: {e}"))
}

async fn client() -> tokio_postgres::Client {
    let (client, conn) =
        tokio_postgres::connect(&store_postgres::test_server_url(), tokio_postgres::NoTls)
            .await
            .unwrap();
    tokio::spawn(conn);
    client
}

/// Every row of `table`, as sorted JSON text.
async fn dump(sink: &PostgresSink, table: &str) -> Vec<String> {
    let client = client().await;
    let rows = client
        .query(
            &format!(
                "SELECT row_to_json(t)::text FROM {}.{table} t ORDER BY 1",
                sink.schema()
            ),
            &[],
        )
        .await
        .unwrap();
    rows.iter().map(|r| r.get(0)).collect()
}

async fn counts(sink: &PostgresSink) -> Vec<(String, i64)> {
    let client = client().await;
    let rows = client
        .query(
            &format!(
                "SELECT stream, events FROM {}.events_per_stream ORDER BY stream",
                sink.schema()
            ),
            &[],
        )
        .await
        .unwrap();
    rows.iter().map(|r| (r.get(0), r.get(1))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_crash_between_rows_and_checkpoint_loses_and_doubles_nothing() {
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    write(store.as_ref(), 5, 1000).await;
    let sink = fresh_sink().await;
    assert!(sink.schema().ends_with("_read"));
    let runner = Runner::new(store.clone(), Arc::new(sink.clone()));
    runner.catch_up(&mut fresh()).await.unwrap();
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
        counts(&sink).await,
        expected(5, 1000),
        "the crashed commit wrote no rows"
    );
    runner.catch_up(&mut fresh()).await.unwrap();
    assert_eq!(counts(&sink).await, expected(5, 2000));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_every_read_model_rebuilt_equals_the_incrementally_built_one() {
    let mut h = History::new();
    for _ in 0..3 {
        let case = pab_case(&mut h, 2020, "1000.00");
        accepted_claim(
            &mut h,
            &case,
            vec![line(
                1,
                &case,
                date(2019, 12, 1),
                date(2020, 1, 31),
                "1200.00",
            )],
        );
    }
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    let incremental = fresh_sink().await;
    let runner = Runner::new(store.clone(), Arc::new(incremental.clone()));
    for chunk in h.new_events().chunks(9) {
        for (stream, event) in chunk {
            store
                .append(stream, ExpectedVersion::Any, std::slice::from_ref(event))
                .await
                .unwrap();
        }
        runner
            .catch_up(&mut projections::read::all())
            .await
            .unwrap();
    }
    let rebuilt = fresh_sink().await;
    Runner::new(store, Arc::new(rebuilt.clone()))
        .rebuild(&mut projections::read::all(), |_| {})
        .await
        .unwrap();
    let mut compared = 0;
    for projection in projections::read::all() {
        for table in projection.tables() {
            let built = dump(&incremental, table.name).await;
            compared += built.len();
            assert_eq!(dump(&rebuilt, table.name).await, built, "{}", table.name);
        }
    }
    assert!(compared > 50, "{compared} rows compared");
    let signals = dump(&incremental, "signals").await;
    assert!(
        signals.iter().any(|s| s.contains("\"rule\":\"F8\"")),
        "{signals:?}"
    );
}

/// The session holding `projection`'s advisory lock in `sink`'s schema, if any.
async fn lock_holder(sink: &PostgresSink, projection: &str) -> Option<i32> {
    let key = read_postgres::projection_lock_key(sink.schema(), projection);
    let bits = key.cast_unsigned();
    let (classid, objid) = ((bits >> 32) as u32, bits as u32);
    client()
        .await
        .query_opt(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted \
             AND classid = $1 AND objid = $2 AND objsubid = 1",
            &[&classid, &objid],
        )
        .await
        .unwrap()
        .map(|r| r.get(0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_one_process_runs_a_projection_and_a_stale_holder_commits_nothing() {
    let url = PostgresUrl::parse(&store_postgres::fresh_test_url("")).unwrap();
    let first = PostgresSink::connect(&url).await.unwrap();
    let second = PostgresSink::connect(&url).await.unwrap();
    assert_eq!(first.schema(), second.schema(), "one database, one schema");
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    write(store.as_ref(), 3, 10).await;
    let first_runner = Runner::new(store.clone(), Arc::new(first.clone()));
    let second_runner = Runner::new(store.clone(), Arc::new(second.clone()));

    first_runner.catch_up(&mut fresh()).await.unwrap();
    first_runner.catch_up(&mut fresh()).await.unwrap();
    let held = second_runner.catch_up(&mut fresh()).await;
    assert!(
        matches!(&held, Err(projections::RunError::HeldElsewhere(p)) if p == "events_per_stream"),
        "{held:?}"
    );
    assert!(!second.claim("events_per_stream").await.unwrap());
    let unclaimed = second
        .commit("events_per_stream", &RowChanges::default(), Position(999))
        .await;
    assert_eq!(
        unclaimed,
        Err(SinkError::NotHolder("events_per_stream".into()))
    );
    assert_eq!(counts(&first).await, expected(3, 10));

    // The holder's session ends (as when its process dies); the other one takes over.
    let holder = lock_holder(&first, "events_per_stream").await.unwrap();
    client()
        .await
        .execute("SELECT pg_terminate_backend($1)", &[&holder])
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !second.claim("events_per_stream").await.unwrap() {
        assert!(
            std::time::Instant::now() < deadline,
            "the lock never passed on"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    write(store.as_ref(), 3, 10).await;
    second_runner.catch_up(&mut fresh()).await.unwrap();
    assert_eq!(counts(&second).await, expected(3, 20));

    // The old holder, connected again, finds it no longer holds the projection: nothing it
    // commits or resets reaches the tables.
    let stale = first
        .commit("events_per_stream", &RowChanges::default(), Position(1))
        .await;
    assert_eq!(stale, Err(SinkError::NotHolder("events_per_stream".into())));
    let reset = first
        .reset("events_per_stream", 1, fresh()[0].tables())
        .await;
    assert_eq!(reset, Err(SinkError::NotHolder("events_per_stream".into())));
    assert!(matches!(
        first_runner.catch_up(&mut fresh()).await,
        Err(projections::RunError::HeldElsewhere(_))
    ));
    assert_eq!(counts(&second).await, expected(3, 20));
    let checkpoint = second
        .open("events_per_stream", 1, fresh()[0].tables())
        .await;
    assert_eq!(
        checkpoint.unwrap().and_then(|c| c.position),
        store
            .read_all(Position::START, 1000)
            .await
            .unwrap()
            .last()
            .map(|e| e.position)
    );
}
