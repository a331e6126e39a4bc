//! The in-memory adapter: the port's contract with nothing durable behind it, for tests and the
//! conformance suite's reference.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
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
    /// Where recorded-at times come from: the wall clock unless a history is being generated.
    clock: Option<HistoryClock>,
}

/// A clock its owner sets: a history generated command by command at its business dates
/// (the benchmark's) is recorded at those dates, so "what was known on T" has an answer
/// after it is imported into a real store. Shared by clones.
#[derive(Debug, Clone)]
pub struct HistoryClock(Arc<AtomicI64>);

impl HistoryClock {
    pub fn starting_at(at: DateTime<Utc>) -> Self {
        Self(Arc::new(AtomicI64::new(at.timestamp_micros())))
    }

    /// Appends from now on are recorded at `at` (or later: a stream's times never go back).
    pub fn set(&self, at: DateTime<Utc>) {
        self.0.store(at.timestamp_micros(), Ordering::Relaxed);
    }

    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.0.load(Ordering::Relaxed)).unwrap_or_default()
    }
}

#[derive(Debug, Default, Clone)]
struct Log {
    events: Vec<RecordedEvent>,
    by_id: HashMap<Uuid, usize>,
    by_stream: HashMap<StreamName, Vec<usize>>,
}

impl Log {
    fn last_recorded_at(&self, stream: &StreamName) -> Option<DateTime<Utc>> {
        let last = *self.by_stream.get(stream)?.last()?;
        Some(self.events[last].recorded_at)
    }

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
            clock: None,
        }
    }

    /// A store that records appends at the time `clock` is set to, never earlier than the
    /// stream's last event: a scratch store for a generated history.
    pub fn recording_at(clock: HistoryClock) -> Self {
        Self {
            clock: Some(clock),
            ..Self::new()
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
        let at = match &self.clock {
            None => Utc::now(),
            Some(clock) => log
                .last_recorded_at(stream)
                .map_or(clock.now(), |last| last.max(clock.now())),
        };
        let written: Vec<RecordedEvent> = seal(stream, head, events, at)
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::types::EventMetadata;

    fn one() -> Vec<NewEvent> {
        let meta = EventMetadata {
            actor_id: "t".into(),
            actor_role: "staff".into(),
            correlation_id: Uuid::nil(),
            causation_id: None,
            reason: None,
            proposed: None,
        };
        vec![NewEvent::new(Uuid::now_v7(), "Tested", 1, &serde_json::json!({}), &meta).unwrap()]
    }

    #[tokio::test]
    async fn a_history_clock_records_at_its_time_and_a_stream_never_goes_back() {
        let day = |d| Utc.with_ymd_and_hms(2020, 3, d, 9, 0, 0).unwrap();
        let clock = HistoryClock::starting_at(day(10));
        let store = MemoryStore::recording_at(clock.clone());
        let (a, b) = (
            StreamName::parse("a").unwrap(),
            StreamName::parse("b").unwrap(),
        );
        store
            .append(&a, ExpectedVersion::Any, &one())
            .await
            .unwrap();
        clock.set(day(2));
        store
            .append(&a, ExpectedVersion::Any, &one())
            .await
            .unwrap();
        store
            .append(&b, ExpectedVersion::Any, &one())
            .await
            .unwrap();
        let times: Vec<_> = store
            .read_all(Position::START, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.stream.to_string(), e.recorded_at))
            .collect();
        assert_eq!(
            times,
            [
                ("a".to_owned(), day(10)),
                ("a".to_owned(), day(10)),
                ("b".to_owned(), day(2))
            ]
        );
    }
}
