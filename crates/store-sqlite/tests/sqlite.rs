//! What only the SQLite adapter has: group commit, reopening, the append-only triggers, and
//! tampering in the file caught by verify. (The conformance suite runs in `tests/stores.rs`.)

use std::sync::Arc;

use event_store::verify::{VerifyError, verify_store};
use event_store::{EventStore, ExpectedVersion, StoreError, StreamName};
use rusqlite::Connection;
use store_conformance::sample_event;
use store_sqlite::SqliteStore;

/// A store in its own temporary directory, kept alive as long as the store.
struct TempStore {
    store: Arc<SqliteStore>,
    _dir: tempfile::TempDir,
}

fn temp_store() -> TempStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(SqliteStore::open(dir.path().join("nested/dossier.db")).expect("open"));
    TempStore { store, _dir: dir }
}

fn stream(name: &str) -> StreamName {
    StreamName::parse(name).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn waiting_appends_share_one_transaction_and_a_refused_one_fails_alone() {
    let t = temp_store();
    let store = t.store.clone();
    store
        .append(
            &stream("taken"),
            ExpectedVersion::NoStream,
            &[sample_event("x")],
        )
        .await
        .unwrap();
    let before = store.write_stats().transactions();
    let queued_before = store.write_stats().queued();

    let pause = store.pause_writer().await;
    let appends: Vec<_> = (0..32)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                // Append 7 expects no stream, but `taken` exists: refused.
                let (s, expected) = if i == 7 {
                    (stream("taken"), ExpectedVersion::NoStream)
                } else {
                    (stream(&format!("group-{i}")), ExpectedVersion::NoStream)
                };
                store.append(&s, expected, &[sample_event("g")]).await
            })
        })
        .collect();
    // Let every append reach the writer's queue before it resumes.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while store.write_stats().queued() < queued_before + 32 {
        assert!(
            std::time::Instant::now() < deadline,
            "appends never reached the writer"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    drop(pause);
    let results = futures::future::join_all(appends).await;

    let transactions = store.write_stats().transactions() - before;
    assert!(
        transactions < 32,
        "32 waiting appends took {transactions} transactions"
    );
    assert_eq!(
        transactions, 1,
        "all waiting appends should share one transaction"
    );
    for (i, r) in results.into_iter().enumerate() {
        let r = r.unwrap();
        if i == 7 {
            assert!(
                matches!(r, Err(StoreError::WrongExpectedVersion { .. })),
                "append 7: {r:?}"
            );
        } else {
            assert!(r.is_ok(), "append {i} failed with its group: {r:?}");
        }
    }
    let all = store
        .read_all(event_store::Position::START, 100)
        .await
        .unwrap();
    assert_eq!(all.len(), 32, "1 setup event + 31 accepted appends");
}

#[tokio::test]
async fn events_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossier.db");
    let first = {
        let store = SqliteStore::open(&path).unwrap();
        store
            .append(
                &stream("kept"),
                ExpectedVersion::NoStream,
                &[sample_event("a"), sample_event("b")],
            )
            .await
            .unwrap()
    };
    let store = SqliteStore::open(&path).unwrap();
    let read = store.read_stream(&stream("kept"), 0, 10).await.unwrap();
    assert_eq!(read.len(), 2);
    assert_eq!(read[1].position, first.last_position);
    let next = store
        .append(
            &stream("kept"),
            ExpectedVersion::Exact(1),
            &[sample_event("c")],
        )
        .await
        .unwrap();
    assert_eq!(next.first_version, 2);
    assert!(next.first_position > first.last_position);
}

#[tokio::test]
async fn the_log_refuses_update_and_delete() {
    let t = temp_store();
    t.store
        .append(
            &stream("s"),
            ExpectedVersion::NoStream,
            &[sample_event("a")],
        )
        .await
        .unwrap();
    let conn = Connection::open(t.store.path()).unwrap();
    let update = conn.execute("UPDATE events SET payload = '{}'", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = conn.execute("DELETE FROM events", []);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

#[tokio::test]
async fn verify_names_the_event_whose_stored_byte_was_changed() {
    let t = temp_store();
    let store = t.store.clone();
    for i in 0..5 {
        store
            .append(
                &stream(&format!("d-{}", i % 2)),
                ExpectedVersion::Any,
                &[sample_event(&format!("e{i}"))],
            )
            .await
            .unwrap();
    }
    let victim = store
        .read_stream(&stream("d-0"), 1, 1)
        .await
        .unwrap()
        .remove(0);
    assert!(verify_store(store.as_ref(), None, |_| {}).await.is_ok());

    let conn = Connection::open(store.path()).unwrap();
    conn.execute_batch("DROP TRIGGER events_no_update").unwrap();
    let changed = conn
        .execute(
            "UPDATE events SET payload = CAST(replace(CAST(payload AS TEXT), 'e2', 'e9') AS TEXT) WHERE event_id = ?1",
            [victim.event_id.as_bytes().as_slice()],
        )
        .unwrap();
    assert_eq!(changed, 1);

    match verify_store(store.as_ref(), None, |_| {}).await {
        Err(VerifyError::Failed(f)) => {
            assert_eq!(f.stream, victim.stream);
            assert_eq!(f.version, Some(victim.stream_version));
            assert_eq!(f.event_id, Some(victim.event_id));
        }
        other => panic!("verify should name the changed event, got {other:?}"),
    }
}

#[tokio::test]
async fn verify_against_an_earlier_digest_names_a_truncated_stream() {
    let t = temp_store();
    let store = t.store.clone();
    for i in 0..6 {
        store
            .append(
                &stream(&format!("d-{}", i % 3)),
                ExpectedVersion::Any,
                &[sample_event(&format!("e{i}"))],
            )
            .await
            .unwrap();
    }
    let earlier = verify_store(store.as_ref(), None, |_| {})
        .await
        .unwrap()
        .digest_list();
    store
        .append(
            &stream("d-1"),
            ExpectedVersion::Any,
            &[sample_event("later")],
        )
        .await
        .unwrap();
    assert!(
        verify_store(store.as_ref(), Some(&earlier), |_| {})
            .await
            .is_ok(),
        "a grown log still extends the digest"
    );

    let conn = Connection::open(store.path()).unwrap();
    conn.execute_batch(
        "DROP TRIGGER events_no_delete;
         DELETE FROM events WHERE stream = 'd-2' AND stream_version = 1;",
    )
    .unwrap();
    match verify_store(store.as_ref(), Some(&earlier), |_| {}).await {
        Err(VerifyError::Failed(f)) => assert_eq!(f.stream.as_str(), "d-2"),
        other => panic!("verify --against should name stream d-2, got {other:?}"),
    }
}

/// A destroyed key is overwritten in the file, not merely unlinked: the erasure of a person's
/// data rests on it.
#[tokio::test]
async fn a_destroyed_key_leaves_no_bytes_in_the_file() {
    use event_store::KeyStore;
    let t = temp_store();
    let keys = t.store.keys();
    let key = *b"0123456789abcdef-a-key-to-forget";
    let other = *b"fedcba9876543210-a-key-that-stay";
    keys.create("person-record-a", key).await.unwrap();
    keys.create("person-record-b", other).await.unwrap();
    keys.destroy("person-record-a", chrono::Utc::now())
        .await
        .unwrap();
    drop(keys);
    let path = t.store.path().to_path_buf();
    let mut bytes = std::fs::read(&path).unwrap();
    if let Ok(wal) = std::fs::read(path.with_extension("db-wal")) {
        bytes.extend(wal);
    }
    let holds = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(holds(&other), "the test reads the file where keys are kept");
    assert!(!holds(&key), "the destroyed key is still in the file");
}
