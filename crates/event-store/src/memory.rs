//! The in-memory adapter: the port's contract with nothing durable behind it, for tests and the
//! conformance suite's reference.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use tokio::sync::watch;
use uuid::Uuid;

use crate::append::{
    ImportStep, Retry, StreamHead, check_batch, check_expected, check_import, match_retry,
    outcome_of, seal,
};
use crate::error::StoreError;
use crate::port::{EventStore, ImportOutcome};
use crate::types::{AppendOutcome, ExpectedVersion, NewEvent, Position, RecordedEvent, StreamName};

/// An event store in memory, for tests. Same contract as the durable adapters; gone when
/// dropped.
#[derive(Debug)]
pub struct MemoryStore {
    log: Mutex<Log>,
    /// The position of the last event, so followers wake on appends.
    head: watch::Sender<u64>,
}

#[derive(Debug, Default, Clone)]
struct Log {
    events: Vec<RecordedEvent>,
    by_id: HashMap<Uuid, usize>,
    by_stream: HashMap<StreamName, Vec<usize>>,
}

impl Log {
    fn head(&self, stream: &StreamName) -> Option<StreamHead> {
        let last = *self.by_stream.get(stream)?.last()?;
        let e = &self.events[last];
        Some(StreamHead {
            version: e.stream_version,
            hash: e.hash,
        })
    }

    fn push(&mut self, mut event: RecordedEvent) -> RecordedEvent {
        let index = self.events.len();
        event.position = Position(index as u64 + 1);
        self.by_id.insert(event.event_id, index);
        self.by_stream
            .entry(event.stream.clone())
            .or_default()
            .push(index);
        self.events.push(event.clone());
        event
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryStore {
    pub fn new() -> Self {
        Self {
            log: Mutex::new(Log::default()),
            head: watch::channel(0).0,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Log> {
        // A panic while holding the lock leaves the log as it was before the call: every
        // mutation below happens only after all checks passed.
        self.log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait]
impl EventStore for MemoryStore {
    async fn append(
        &self,
        stream: &StreamName,
        expected: ExpectedVersion,
        events: &[NewEvent],
    ) -> Result<AppendOutcome, StoreError> {
        check_batch(events)?;
        let mut log = self.lock();
        let stored: Vec<RecordedEvent> = events
            .iter()
            .filter_map(|e| log.by_id.get(&e.event_id).map(|&i| log.events[i].clone()))
            .collect();
        if let Retry::AlreadyAppended(outcome) = match_retry(stream, events, &stored)? {
            return Ok(outcome);
        }
        let head = log.head(stream);
        check_expected(stream, expected, head.map(|h| h.version))?;
        let written: Vec<RecordedEvent> = seal(stream, head, events, Utc::now())
            .into_iter()
            .map(|e| log.push(e))
            .collect();
        self.head.send_replace(log.events.len() as u64);
        Ok(outcome_of(&written).expect("check_batch refuses empty appends"))
    }

    async fn read_stream(
        &self,
        stream: &StreamName,
        from_version: u64,
        max_count: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let log = self.lock();
        Ok(log
            .by_stream
            .get(stream)
            .map(|indices| {
                indices
                    .iter()
                    .skip(usize::try_from(from_version).unwrap_or(usize::MAX))
                    .take(max_count)
                    .map(|&i| log.events[i].clone())
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn read_all(
        &self,
        from: Position,
        max_count: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let log = self.lock();
        let start = usize::try_from(from.0.saturating_sub(1)).unwrap_or(usize::MAX);
        Ok(log
            .events
            .iter()
            .skip(start)
            .take(max_count)
            .cloned()
            .collect())
    }

    async fn import(&self, events: &[RecordedEvent]) -> Result<ImportOutcome, StoreError> {
        let mut log = self.lock();
        // Work on a copy so a refused import leaves the log untouched.
        let mut staged = log.clone();
        let mut outcome = ImportOutcome::default();
        for event in events {
            let same_id = staged
                .by_id
                .get(&event.event_id)
                .map(|&i| &staged.events[i]);
            match check_import(event, staged.head(&event.stream), same_id)? {
                ImportStep::AlreadyPresent => outcome.already_present += 1,
                ImportStep::Write => {
                    staged.push(event.clone());
                    outcome.imported += 1;
                }
            }
        }
        *log = staged;
        self.head.send_replace(log.events.len() as u64);
        Ok(outcome)
    }

    async fn wait_for_events(&self, from: Position, timeout: Duration) {
        let mut rx = self.head.subscribe();
        let _ = tokio::time::timeout(timeout, rx.wait_for(|&head| head >= from.0)).await;
    }

    fn describe(&self) -> String {
        "memory".into()
    }
}
