//! The executor with a small counter model on the in-memory store.

use std::sync::Arc;

use app::{Decided, ExecuteError, Executor, StreamModel, WriteContext};
use event_store::{EventStore, MemoryStore, Position, RecordedEvent, StreamName};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A counter that may never exceed its limit: the smallest model with a rule that depends on
/// the state, so a lost update would break it.
struct Counter;

#[derive(Debug, Serialize, Deserialize)]
struct Added {
    amount: u32,
}

impl StreamModel for Counter {
    type State = u32;
    type Event = Added;

    fn decode(event: &RecordedEvent) -> Result<Added, String> {
        match (event.event_type.as_str(), event.schema_version) {
            ("Added", 1) => event.payload_as().map_err(|e| e.to_string()),
            (t, v) => Err(format!("unknown event {t} v{v}")),
        }
    }

    fn encode(event: &Added) -> Result<(&'static str, u32, Vec<u8>), String> {
        Ok((
            "Added",
            1,
            serde_json::to_vec(event).map_err(|e| e.to_string())?,
        ))
    }

    fn evolve(state: u32, event: &Added) -> u32 {
        state + event.amount
    }
}

const LIMIT: u32 = 10;

fn add(amount: u32) -> impl FnMut(&u32) -> Decided<Added, String> {
    move |total| {
        if total + amount > LIMIT {
            Decided::Rejected(format!("{total} + {amount} exceeds {LIMIT}"))
        } else {
            Decided::Events(vec![Added { amount }])
        }
    }
}

fn context() -> WriteContext {
    WriteContext {
        actor_id: "staff-1".into(),
        actor_role: "staff".into(),
        correlation_id: Uuid::now_v7(),
        causation_id: None,
        reason: Some("test".into()),
        confirmation: None,
    }
}

fn stream() -> StreamName {
    StreamName::parse("counter-1").unwrap()
}

#[tokio::test]
async fn a_decided_command_is_appended_with_its_metadata() {
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    let executor = Executor::<Counter>::new(store.clone(), 100);
    let done = executor
        .execute(&stream(), None, &context(), add(3))
        .await
        .unwrap();
    assert_eq!(
        (done.state, done.version, done.event_ids.len()),
        (3, Some(0), 1)
    );
    let done = executor
        .execute(&stream(), Some(Some(0)), &context(), add(4))
        .await
        .unwrap();
    assert_eq!((done.state, done.version), (7, Some(1)));

    let stored = store.read_stream(&stream(), 0, 10).await.unwrap();
    assert_eq!(stored.len(), 2);
    let meta = stored[1].metadata().unwrap();
    assert_eq!(
        (meta.actor_id.as_str(), meta.actor_role.as_str()),
        ("staff-1", "staff")
    );
    assert_eq!(meta.reason.as_deref(), Some("test"));
    assert_eq!(stored[1].event_id, done.event_ids[0]);
}

#[tokio::test]
async fn a_refused_or_stale_command_writes_nothing() {
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    let executor = Executor::<Counter>::new(store.clone(), 100);
    executor
        .execute(&stream(), None, &context(), add(8))
        .await
        .unwrap();

    match executor.execute(&stream(), None, &context(), add(5)).await {
        Err(ExecuteError::Rejected(why)) => assert!(why.contains("exceeds")),
        other => panic!("expected a refusal, got {other:?}"),
    }
    match executor
        .execute(&stream(), Some(None), &context(), add(1))
        .await
    {
        Err(ExecuteError::StaleVersion {
            expected: None,
            actual: Some(0),
            ..
        }) => {}
        other => panic!("expected a stale version, got {other:?}"),
    }
    assert_eq!(store.read_all(Position::START, 10).await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_executor_sees_events_another_process_wrote() {
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    let first = Executor::<Counter>::new(store.clone(), 100);
    let second = Executor::<Counter>::new(store.clone(), 100);
    first
        .execute(&stream(), None, &context(), add(6))
        .await
        .unwrap();
    // `second` has never seen the stream; `first` has it cached at 6.
    second
        .execute(&stream(), None, &context(), add(3))
        .await
        .unwrap();
    // `first` must read the new event before deciding: 6 + 3 + 2 > 10 is refused.
    assert!(matches!(
        first.execute(&stream(), None, &context(), add(2)).await,
        Err(ExecuteError::Rejected(_))
    ));
    assert_eq!(first.load(&stream()).await.unwrap(), (9, Some(1)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_commands_never_lose_an_update_or_break_the_rule() {
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    let executors = [
        Arc::new(Executor::<Counter>::new(store.clone(), 100)),
        Arc::new(Executor::<Counter>::new(store.clone(), 100)),
    ];
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let executor = executors[i % 2].clone();
            tokio::spawn(async move { executor.execute(&stream(), None, &context(), add(1)).await })
        })
        .collect();
    let (mut accepted, mut refused) = (0, 0);
    for t in futures::future::join_all(tasks).await {
        match t.unwrap() {
            Ok(_) => accepted += 1,
            Err(ExecuteError::Rejected(_)) => refused += 1,
            // Allowed under heavy contention; then the command simply did not happen.
            Err(ExecuteError::Contended { .. }) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    let (total, version) = executors[0].load(&stream()).await.unwrap();
    assert_eq!(
        total, accepted,
        "every accepted command counted exactly once"
    );
    assert_eq!(
        version,
        Some(u64::from(total) - 1),
        "one event per accepted command"
    );
    assert!(total <= LIMIT, "the limit held under contention: {total}");
    if refused > 0 {
        assert_eq!(
            total, LIMIT,
            "a command was refused only because the limit was reached"
        );
    }
}
