//! The PostgreSQL adapter against a real server (the conformance suite runs in
//! `tests/stores.rs`): a heavy
//! no-skipped-events test with failing and slow writers, and the database-level guarantees
//! (append-only trigger, tamper evidence). Each test has a schema of its own.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use event_store::append::seal;
use event_store::verify::{VerifyError, verify_store};
use event_store::{
    EventStore, ExpectedVersion, Position, RecordedEvent, StoreError, StreamName, Subscription,
};
use store_conformance::sample_event;
use store_postgres::{PostgresStore, fresh_test_store, fresh_test_url, test_server_url};
use tokio_postgres::NoTls;

fn stream(name: &str) -> StreamName {
    StreamName::parse(name).unwrap()
}

/// A connection of our own to the store's schema, for what the adapter would never do.
async fn raw(store: &PostgresStore) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(&test_server_url(), NoTls)
        .await
        .expect("the test PostgreSQL is reachable");
    tokio::spawn(connection);
    client
        .batch_execute(&format!("SET search_path TO {}", store.schema()))
        .await
        .unwrap();
    client
}

/// Writes `event` the way a slow writer would: xid first, then a position, then a pause
/// while holding both, then the row. Returns the position and the highest position that
/// was already committed when this one committed.
async fn slow_write(
    client: &mut tokio_postgres::Client,
    event: &RecordedEvent,
    hold: Duration,
    commit: bool,
) -> (i64, i64) {
    let tx = client.transaction().await.unwrap();
    tx.query_one("SELECT pg_current_xact_id()::text", &[])
        .await
        .unwrap();
    let position: i64 = tx
        .query_one("SELECT nextval('event_position')", &[])
        .await
        .unwrap()
        .get(0);
    tokio::time::sleep(hold).await;
    tx.execute(
        "INSERT INTO events (position, event_id, stream, stream_version, event_type,
                             schema_version, recorded_at, payload, metadata, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            &position,
            &event.event_id,
            &event.stream.as_str(),
            &(event.stream_version as i64),
            &event.event_type,
            &i64::from(event.schema_version),
            &event.recorded_at.timestamp_micros(),
            &std::str::from_utf8(&event.payload).unwrap(),
            &std::str::from_utf8(&event.metadata).unwrap(),
            &event.hash.0.as_slice(),
        ],
    )
    .await
    .unwrap();
    tx.execute(
        "INSERT INTO streams (stream, version, hash) VALUES ($1, $2, $3)",
        &[
            &event.stream.as_str(),
            &(event.stream_version as i64),
            &event.hash.0.as_slice(),
        ],
    )
    .await
    .unwrap();
    let committed_above: i64 = tx
        .query_one("SELECT coalesce(max(position), 0) FROM events", &[])
        .await
        .unwrap()
        .get(0);
    if commit {
        tx.commit().await.unwrap();
    } else {
        tx.rollback().await.unwrap();
    }
    (position, committed_above)
}

fn first_event(name: &str, label: &str) -> RecordedEvent {
    seal(&stream(name), None, &[sample_event(label)], Utc::now()).remove(0)
}

/// 32 writers on 40 streams, writers that lose on purpose, creators racing for the same new
/// streams (their losers burn positions), transactions that take a position and roll back,
/// and transactions that hold a position for 300 ms while later ones commit. A follower of
/// the log must see every committed event exactly once, in increasing positions.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn follower_sees_every_event_once_despite_failures_and_late_commits() {
    const WRITERS: usize = 32;
    const APPENDS: usize = 80;
    const STREAMS: usize = 40;
    const RACES: usize = 40;
    const SLOW: usize = 6;
    let store = Arc::new(
        PostgresStore::connect(&fresh_test_url("pool_size=40"))
            .await
            .expect("the test PostgreSQL is reachable"),
    );
    let dyn_store: Arc<dyn EventStore> = store.clone();

    let (seen_tx, mut seen_rx) = tokio::sync::mpsc::unbounded_channel();
    let follower = {
        let mut sub = Subscription::new(dyn_store.clone(), Position::START);
        tokio::spawn(async move {
            loop {
                match sub.next().await {
                    Ok(e) => {
                        if seen_tx.send(e).is_err() {
                            return Ok(());
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
        })
    };

    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let store = dyn_store.clone();
        tasks.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..APPENDS {
                let e = vec![sample_event(&format!("w{w}-{i}"))];
                let s = stream(&format!("busy-{}", (w * 7 + i) % STREAMS));
                store.append(&s, ExpectedVersion::Any, &e).await.unwrap();
                ids.push(e[0].event_id);
                if i % 10 == 0 {
                    // Refused before a position is taken: nothing written, no gap.
                    let refused = store
                        .append(&s, ExpectedVersion::Exact(1_000_000), &[sample_event("no")])
                        .await;
                    assert!(matches!(
                        refused,
                        Err(StoreError::WrongExpectedVersion { .. })
                    ));
                }
            }
            ids
        }));
    }
    for r in 0..RACES {
        // Two creators of one new stream: the loser has taken a position when its insert
        // meets the winner's row, so its position stays empty for good.
        for side in 0..2 {
            let store = dyn_store.clone();
            tasks.push(tokio::spawn(async move {
                let e = vec![sample_event(&format!("race{r}-{side}"))];
                match store
                    .append(&stream(&format!("race-{r}")), ExpectedVersion::NoStream, &e)
                    .await
                {
                    Ok(_) => vec![e[0].event_id],
                    Err(StoreError::WrongExpectedVersion { actual, .. }) => {
                        assert_eq!(actual, Some(0));
                        Vec::new()
                    }
                    Err(other) => panic!("racing creator got {other}"),
                }
            }));
        }
    }
    let slow = {
        let mut client = raw(&store).await;
        tokio::spawn(async move {
            let mut ids = Vec::new();
            let mut overtaken = 0;
            for i in 0..SLOW {
                let commit = i % 2 == 0;
                let e = first_event(&format!("slow-{i}"), "slow");
                let (position, committed_above) =
                    slow_write(&mut client, &e, Duration::from_millis(300), commit).await;
                if commit {
                    ids.push(e.event_id);
                    if committed_above > position {
                        overtaken += 1;
                    }
                }
            }
            (ids, overtaken)
        })
    };

    let mut written = HashSet::new();
    for t in futures::future::join_all(tasks).await {
        written.extend(t.unwrap());
    }
    let (slow_ids, overtaken) = slow.await.unwrap();
    written.extend(slow_ids);
    assert!(
        overtaken > 0,
        "no slow transaction was overtaken by a later position: the test proved nothing"
    );

    let mut seen: Vec<RecordedEvent> = Vec::with_capacity(written.len());
    while seen.len() < written.len() {
        match tokio::time::timeout(Duration::from_secs(30), seen_rx.recv()).await {
            Ok(Some(e)) => seen.push(e),
            Ok(None) => panic!("follower stopped: {:?}", follower.await),
            Err(_) => panic!(
                "follower saw {} of {} events, then nothing for 30 s",
                seen.len(),
                written.len()
            ),
        }
    }
    follower.abort();

    let mut ids = HashSet::new();
    let mut versions: HashMap<StreamName, u64> = HashMap::new();
    for (i, e) in seen.iter().enumerate() {
        assert!(ids.insert(e.event_id), "event {} seen twice", e.event_id);
        if i > 0 {
            assert!(
                e.position > seen[i - 1].position,
                "position {} after {}",
                e.position,
                seen[i - 1].position
            );
        }
        let next = versions.entry(e.stream.clone()).or_insert(0);
        assert_eq!(e.stream_version, *next, "{} out of order", e.stream);
        *next += 1;
    }
    assert_eq!(
        ids, written,
        "the follower saw other events than were written"
    );

    let last = seen.last().unwrap().position.0;
    assert!(
        last > seen.len() as u64,
        "no position was left empty (last {last}, {} events): the test proved nothing",
        seen.len()
    );
    let mut again = Vec::new();
    let mut from = Position::START;
    loop {
        let page = store.read_all(from, 500).await.unwrap();
        let Some(tail) = page.last() else { break };
        from = tail.position.next();
        again.extend(page);
    }
    assert!(
        again.len() == seen.len()
            && again
                .iter()
                .zip(&seen)
                .all(|(a, b)| a.event_id == b.event_id && a.position == b.position),
        "a later full read differs from what the follower saw"
    );
    let report = verify_store(store.as_ref(), None, |_| {}).await.unwrap();
    assert_eq!(report.events, written.len() as u64);
}

/// A transaction that holds position 1 while position 2 commits: a reader from the start
/// must wait for it rather than hand out 2 and skip 1; one that rolls back must not block
/// the reader for good.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_from_the_start_waits_for_the_first_position() {
    let store = Arc::new(fresh_test_store().await);
    let mut client = raw(&store).await;
    let held = first_event("held", "held");
    let writer = tokio::spawn(async move {
        let r = slow_write(&mut client, &held, Duration::from_millis(700), true).await;
        (r, client)
    });
    // Let the slow writer take position 1 first.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let later = store
        .append(
            &stream("later"),
            ExpectedVersion::NoStream,
            &[sample_event("x")],
        )
        .await
        .unwrap();
    assert_eq!(later.first_position, Position(2));
    let page = store.read_all(Position::START, 10).await.unwrap();
    let positions: Vec<u64> = page.iter().map(|e| e.position.0).collect();
    assert_eq!(
        positions,
        [1, 2],
        "the reader handed out position 2 before 1 had committed, or gave up waiting"
    );
    let ((position, _), mut client) = writer.await.unwrap();
    assert_eq!(position, 1);

    // Position 3 taken and rolled back while 4 commits: the reader passes the hole.
    let aborted = tokio::spawn(async move {
        let e = first_event("aborted", "aborted");
        slow_write(&mut client, &e, Duration::from_millis(300), false).await
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let after = store
        .append(
            &stream("after"),
            ExpectedVersion::NoStream,
            &[sample_event("y")],
        )
        .await
        .unwrap();
    assert_eq!(after.first_position, Position(4));
    let page = store.read_all(Position(3), 10).await.unwrap();
    assert_eq!(page.iter().map(|e| e.position.0).collect::<Vec<_>>(), [4]);
    assert_eq!(aborted.await.unwrap().0, 3);
}

#[tokio::test]
async fn events_table_refuses_update_delete_and_truncate() {
    let store = fresh_test_store().await;
    store
        .append(
            &stream("s"),
            ExpectedVersion::NoStream,
            &[sample_event("a")],
        )
        .await
        .unwrap();
    let client = raw(&store).await;
    for sql in [
        "UPDATE events SET payload = '{}'",
        "DELETE FROM events",
        "TRUNCATE events",
    ] {
        let err = client
            .batch_execute(sql)
            .await
            .expect_err(&format!("{sql} must be refused"));
        let message = err.as_db_error().map(|d| d.message().to_owned());
        assert!(
            message
                .as_deref()
                .is_some_and(|m| m.contains("append-only")),
            "{sql}: {err:?}"
        );
    }
    assert_eq!(
        store.read_stream(&stream("s"), 0, 10).await.unwrap().len(),
        1
    );
}

async fn seeded(store: &PostgresStore) -> Vec<RecordedEvent> {
    for i in 0..4 {
        for s in ["alpha", "beta"] {
            store
                .append(
                    &stream(s),
                    ExpectedVersion::Any,
                    &[sample_event(&format!("{s}{i}"))],
                )
                .await
                .unwrap();
        }
    }
    store.read_stream(&stream("alpha"), 0, 10).await.unwrap()
}

#[tokio::test]
async fn verify_names_the_event_whose_stored_payload_changed() {
    let store = fresh_test_store().await;
    let alpha = seeded(&store).await;
    verify_store(&store, None, |_| {}).await.unwrap();
    let victim = &alpha[2];
    let client = raw(&store).await;
    // As the superuser, with triggers off for this session only: what an attacker with
    // database access could do.
    client
        .batch_execute("SET session_replication_role = replica")
        .await
        .unwrap();
    let changed = client
        .execute(
            "UPDATE events SET payload = overlay(payload PLACING 'X' FROM 3 FOR 1)
             WHERE event_id = $1",
            &[&victim.event_id],
        )
        .await
        .unwrap();
    assert_eq!(changed, 1);
    let tampered = store.read_stream(&stream("alpha"), 2, 1).await.unwrap();
    assert_eq!(tampered[0].payload.len(), victim.payload.len());
    assert_eq!(
        tampered[0]
            .payload
            .iter()
            .zip(&victim.payload)
            .filter(|(a, b)| a != b)
            .count(),
        1,
        "exactly one byte changed"
    );
    match verify_store(&store, None, |_| {}).await {
        Err(VerifyError::Failed(f)) => {
            assert_eq!(f.stream, victim.stream);
            assert_eq!(f.version, Some(2));
            assert_eq!(f.event_id, Some(victim.event_id));
        }
        other => panic!("verify should name the changed event, got {other:?}"),
    }
}

#[tokio::test]
async fn verify_against_an_earlier_digest_names_a_stream_that_lost_its_last_event() {
    let store = fresh_test_store().await;
    let alpha = seeded(&store).await;
    let earlier = verify_store(&store, None, |_| {}).await.unwrap();
    let list = earlier.digest_list();
    let client = raw(&store).await;
    client
        .batch_execute("SET session_replication_role = replica")
        .await
        .unwrap();
    let deleted = client
        .execute(
            "DELETE FROM events WHERE event_id = $1",
            &[&alpha.last().unwrap().event_id],
        )
        .await
        .unwrap();
    assert_eq!(deleted, 1);
    // On its own the shortened log is still a valid log…
    let alone = verify_store(&store, None, |_| {}).await.unwrap();
    assert_eq!(alone.events, earlier.events - 1);
    // …but not an extension of the one the digest was taken from.
    match verify_store(&store, Some(&list), |_| {}).await {
        Err(VerifyError::Failed(f)) => {
            assert_eq!(f.stream, stream("alpha"));
            assert_eq!(f.version, None);
        }
        other => panic!("verify --against should name stream alpha, got {other:?}"),
    }
}

/// A retry sent while the original append still waits for the stream's lock gets the
/// original's outcome once it commits, and nothing is written twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_during_the_original_append_waits_and_gets_its_outcome() {
    let store = Arc::new(fresh_test_store().await);
    let s = stream("contended");
    store
        .append(&s, ExpectedVersion::NoStream, &[sample_event("first")])
        .await
        .unwrap();
    let mut client = raw(&store).await;
    let lock = client.transaction().await.unwrap();
    lock.query(
        "SELECT 1 FROM streams WHERE stream = $1 FOR UPDATE",
        &[&s.as_str()],
    )
    .await
    .unwrap();
    let batch = vec![sample_event("b0"), sample_event("b1")];
    let send = |store: Arc<PostgresStore>, batch: Vec<_>, s: StreamName| {
        tokio::spawn(async move { store.append(&s, ExpectedVersion::Exact(0), &batch).await })
    };
    let original = send(store.clone(), batch.clone(), s.clone());
    tokio::time::sleep(Duration::from_millis(150)).await;
    let retry = send(store.clone(), batch.clone(), s.clone());
    tokio::time::sleep(Duration::from_millis(150)).await;
    lock.commit().await.unwrap();
    let original = original.await.unwrap().unwrap();
    let retry = retry.await.unwrap().unwrap();
    assert_eq!(retry, original);
    assert_eq!(original.first_version, 1);
    assert_eq!(store.read_stream(&s, 0, 10).await.unwrap().len(), 3);
}

#[tokio::test]
async fn two_processes_starting_together_migrate_once() {
    let url = fresh_test_url("");
    let (a, b) = tokio::join!(PostgresStore::connect(&url), PostgresStore::connect(&url));
    let (a, b) = (a.unwrap(), b.unwrap());
    let client = raw(&a).await;
    let applied: i64 = client
        .query_one("SELECT count(*) FROM schema_migrations", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        applied, 2,
        "the events and subject_keys migrations, once each"
    );
    let again = PostgresStore::connect(&url).await.unwrap();
    let applied: i64 = client
        .query_one("SELECT count(*) FROM schema_migrations", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(applied, 2, "a restart applied a migration again");
    drop(again);
    // Both see one log.
    let o = a
        .append(
            &stream("shared"),
            ExpectedVersion::NoStream,
            &[sample_event("a")],
        )
        .await
        .unwrap();
    assert_eq!(b.read_all(o.first_position, 10).await.unwrap().len(), 1);
    assert!(
        a.describe().ends_with(&format!("schema={}", a.schema())),
        "{}",
        a.describe()
    );
}

/// A follower in one process is woken by an append in another (LISTEN/NOTIFY), long before
/// its wait would time out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_append_in_another_process_wakes_a_waiting_follower() {
    let url = fresh_test_url("");
    let writer = Arc::new(PostgresStore::connect(&url).await.unwrap());
    let follower = PostgresStore::connect(&url).await.unwrap();
    let appended = {
        let writer = writer.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            writer
                .append(
                    &stream("w"),
                    ExpectedVersion::NoStream,
                    &[sample_event("w")],
                )
                .await
                .unwrap()
        })
    };
    let started = Instant::now();
    follower
        .wait_for_events(Position(1), Duration::from_secs(60))
        .await;
    let waited = started.elapsed();
    appended.await.unwrap();
    assert!(
        waited < Duration::from_secs(30),
        "the follower was not woken by the other store's append (waited {waited:?})"
    );
    assert_eq!(follower.read_all(Position(1), 10).await.unwrap().len(), 1);
}

#[tokio::test]
async fn payloads_that_text_cannot_hold_are_refused_up_front() {
    let store = fresh_test_store().await;
    let mut e = sample_event("bad");
    e.payload = vec![b'"', 0xff, b'"'];
    assert!(matches!(
        store
            .append(&stream("bad"), ExpectedVersion::Any, &[e])
            .await,
        Err(StoreError::InvalidRequest(_))
    ));
    let mut e = sample_event("nul");
    e.payload = b"\"\0\"".to_vec();
    assert!(matches!(
        store
            .append(&stream("bad"), ExpectedVersion::Any, &[e])
            .await,
        Err(StoreError::InvalidRequest(_))
    ));
    assert!(
        store
            .read_stream(&stream("bad"), 0, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

/// An append abandoned by its caller mid-transaction (here: waiting for a stream lock) must
/// not hand its open transaction to the next user of the connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_append_leaves_no_open_transaction_behind() {
    let store = PostgresStore::connect(&fresh_test_url("pool_size=1"))
        .await
        .expect("the test PostgreSQL is reachable");
    let s = stream("locked");
    store
        .append(&s, ExpectedVersion::NoStream, &[sample_event("first")])
        .await
        .unwrap();
    let mut client = raw(&store).await;
    let lock = client.transaction().await.unwrap();
    lock.query(
        "SELECT 1 FROM streams WHERE stream = $1 FOR UPDATE",
        &[&s.as_str()],
    )
    .await
    .unwrap();
    let cancelled = tokio::time::timeout(
        Duration::from_millis(300),
        store.append(&s, ExpectedVersion::Exact(0), &[sample_event("late")]),
    )
    .await;
    assert!(
        cancelled.is_err(),
        "the append should still wait for the lock"
    );
    // The only pooled connection was in that transaction: it must not be reused.
    let other = tokio::time::timeout(
        Duration::from_secs(20),
        store.append(
            &stream("free"),
            ExpectedVersion::NoStream,
            &[sample_event("x")],
        ),
    )
    .await
    .expect("the next append got the abandoned connection and waits behind its lock")
    .unwrap();
    assert_eq!(other.first_version, 0);
    lock.commit().await.unwrap();
    assert_eq!(store.read_stream(&s, 0, 10).await.unwrap().len(), 1);
    let visible: i64 = client
        .query_one("SELECT count(*) FROM events WHERE stream = 'free'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(visible, 1, "the next append was committed on its own");
}

/// A start on a schema whose migrations are all applied writes nothing, so a read-only
/// connection (as to a streaming replica, a hot standby) opens and reads the store; a schema
/// that still lacks them cannot be created through one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_current_schema_opens_and_reads_through_a_read_only_connection() {
    let read_only = "options=-c%20default_transaction_read_only%3Don";
    let url = fresh_test_url("");
    let primary = PostgresStore::connect(&url).await.unwrap();
    primary
        .append(
            &stream("ro-1"),
            ExpectedVersion::NoStream,
            &[sample_event("a")],
        )
        .await
        .unwrap();
    let replica = PostgresStore::connect(&format!("{url}&{read_only}"))
        .await
        .expect("a current schema needs no write to open");
    let events = replica.read_all(Position::START, 10).await.unwrap();
    assert_eq!(events.len(), 1);
    let refused = replica
        .append(
            &stream("ro-2"),
            ExpectedVersion::NoStream,
            &[sample_event("b")],
        )
        .await;
    assert!(refused.is_err(), "the connection really is read-only");
    assert_eq!(
        primary.read_all(Position::START, 10).await.unwrap().len(),
        1
    );

    let missing = PostgresStore::connect(&fresh_test_url(read_only)).await;
    let error = missing.expect_err("a new schema needs writes").to_string();
    assert!(error.contains("read-only"), "{error}");
}
