//! The PostgreSQL read-model sink passes the runner's guarantees: a crash between rows and
//! checkpoint loses and doubles nothing, and a rebuild equals the incremental build.

use std::sync::Arc;

use event_store::{EventStore, ExpectedVersion, MemoryStore};
use projections::{PostgresSink, Runner, SinkError};

use crate::fixtures::*;
use crate::runner::{expected, fresh, write};

/// A read-model sink for a fresh store schema on the test server (never skipped: the test
/// fails when the server is missing).
async fn fresh_sink() -> PostgresSink {
    let url = store_postgres::fresh_test_url("");
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
