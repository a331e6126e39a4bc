//! Copying a whole log into another store through the import path, resumably.
//!
//! A copy reads its source in log order and hands the events to the target's
//! [`EventStore::import`] in batches, so every event keeps its id, stream version, recorded-at,
//! metadata and hash; only positions are the target's own. The same code moves a log from one
//! store to another (`dossier store copy`) and restores an export file (`dossier import`): the
//! source is anything that reads a log in order ([`LogReader`]).
//!
//! Resuming: a copy that was stopped (killed, a lost connection) is simply started again. Every
//! adapter's import keeps the order it is given and writes whole prefixes of its batch (one
//! transaction per call in SQLite, PostgreSQL and memory; in KurrentDB one append per run of
//! consecutive events of one stream, in order), so after any stop the target holds the first N
//! events of the source, in the source's order. [`LogCopy::start`] reads the whole target and
//! compares it event by event with the start of the source: every field but the position must
//! match. Then it goes on after those N events. A target holding anything else (other events,
//! the same events in another order, more events than the source) is refused with
//! [`CopyError::NotAPrefix`] before anything is written.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;

use crate::error::StoreError;
use crate::pages::ReadPages;
use crate::port::{EventStore, ImportOutcome};
use crate::types::{Position, RecordedEvent};

/// Events asked for per read while comparing and copying.
const READ_PAGE: usize = 4096;

/// A log read from the start, in log order, a page at a time. Implement it with an
/// `async fn next_page`.
pub trait LogReader: Send {
    /// Up to `max` next events (at least one while any are left); empty once the log ends.
    ///
    /// # Errors
    /// When the log cannot be read.
    fn next_page(
        &mut self,
        max: usize,
    ) -> impl Future<Output = Result<Vec<RecordedEvent>, StoreError>> + Send;
}

/// Reads a store's whole log through [`EventStore::read_all`].
pub struct StoreReader<'a> {
    store: &'a dyn EventStore,
    from: Position,
}

impl<'a> StoreReader<'a> {
    pub fn new(store: &'a dyn EventStore) -> Self {
        Self {
            store,
            from: Position::START,
        }
    }
}

impl fmt::Debug for StoreReader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoreReader")
            .field("store", &self.store.describe())
            .field("from", &self.from)
            .finish()
    }
}

impl LogReader for StoreReader<'_> {
    async fn next_page(&mut self, max: usize) -> Result<Vec<RecordedEvent>, StoreError> {
        let page = self.store.read_all(self.from, max).await?;
        if let Some(last) = page.last() {
            self.from = last.position.next();
        }
        Ok(page)
    }
}

/// Where the target stops being the start of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// 0-based index in log order of the first target event that is not the source's.
    pub index: u64,
    pub detail: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "event #{} of the target: {}",
            self.index + 1,
            self.detail
        )
    }
}

/// Why a copy stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CopyError {
    /// The target holds something that is not the start of the source's log; nothing was
    /// written.
    #[error("the target holds events that are not the start of the source's log ({0})")]
    NotAPrefix(Mismatch),
    /// The source could not be read.
    #[error("cannot read the source: {0}")]
    Source(StoreError),
    /// The target could not be read, or refused or failed an import.
    #[error("the target failed: {0}")]
    Target(StoreError),
}

/// A copy of a log into a target store, one batch at a time.
pub struct LogCopy<'a, R> {
    source: R,
    target: &'a dyn EventStore,
    /// Events read from the source and not yet imported, in order.
    pending: VecDeque<RecordedEvent>,
    source_ended: bool,
    /// Events of the source the target held when the copy started.
    already_in_target: u64,
    /// Events of the source the target holds now.
    in_target: u64,
}

impl<R> fmt::Debug for LogCopy<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogCopy")
            .field("target", &self.target.describe())
            .field("pending", &self.pending.len())
            .field("source_ended", &self.source_ended)
            .field("already_in_target", &self.already_in_target)
            .field("in_target", &self.in_target)
            .finish_non_exhaustive()
    }
}

impl<'a, R: LogReader> LogCopy<'a, R> {
    /// Reads the whole target and compares it, event by event, with the start of `source`;
    /// the copy then goes on after the events the target already holds. `progress` is told
    /// how many target events were checked after each page.
    ///
    /// # Errors
    /// [`CopyError::NotAPrefix`] when the target holds anything but the start of the source;
    /// [`CopyError::Source`] or [`CopyError::Target`] when a read fails.
    pub async fn start(
        source: R,
        target: &'a dyn EventStore,
        mut progress: impl FnMut(u64) + Send,
    ) -> Result<Self, CopyError> {
        let mut copy = Self {
            source,
            target,
            pending: VecDeque::new(),
            source_ended: false,
            already_in_target: 0,
            in_target: 0,
        };
        let mut pages = target.log_pages(Position::START, READ_PAGE);
        while let Some(page) = pages.next_page().await.map_err(CopyError::Target)? {
            for held in &page {
                let index = copy.in_target;
                let Some(expected) = copy.next_source_event().await? else {
                    return Err(CopyError::NotAPrefix(Mismatch {
                        index,
                        detail: format!(
                            "the target holds more events than the source, which ends after \
                             {index} (event {} in stream {} version {} is not in the source)",
                            held.event_id, held.stream, held.stream_version
                        ),
                    }));
                };
                if let Some(difference) = difference(&expected, held) {
                    return Err(CopyError::NotAPrefix(Mismatch {
                        index,
                        detail: difference,
                    }));
                }
                copy.in_target += 1;
            }
            progress(copy.in_target);
        }
        copy.already_in_target = copy.in_target;
        Ok(copy)
    }

    /// Events of the source that the target already held when the copy started.
    pub fn already_in_target(&self) -> u64 {
        self.already_in_target
    }

    /// Events of the source that the target holds now.
    pub fn in_target(&self) -> u64 {
        self.in_target
    }

    /// Imports the next up to `batch` events of the source (at least one). `None` once the
    /// source has no more events.
    ///
    /// # Errors
    /// [`CopyError::Source`] when the source cannot be read, [`CopyError::Target`] when the
    /// target refuses or fails the import. An import is atomic per call in SQLite, PostgreSQL
    /// and memory and keeps a prefix of its batch in KurrentDB, so the copy can be started
    /// again after either.
    pub async fn next_batch(&mut self, batch: usize) -> Result<Option<ImportOutcome>, CopyError> {
        let batch = batch.max(1);
        while self.pending.len() < batch && !self.source_ended {
            self.fill().await?;
        }
        if self.pending.is_empty() {
            return Ok(None);
        }
        let take = batch.min(self.pending.len());
        let events: Vec<RecordedEvent> = self.pending.drain(..take).collect();
        let outcome = self
            .target
            .import(&events)
            .await
            .map_err(CopyError::Target)?;
        self.in_target += events.len() as u64;
        Ok(Some(outcome))
    }

    /// Copies everything that is left; `progress` is told [`Self::in_target`] after each batch.
    ///
    /// # Errors
    /// As [`Self::next_batch`].
    pub async fn run(
        &mut self,
        batch: usize,
        mut progress: impl FnMut(u64) + Send,
    ) -> Result<ImportOutcome, CopyError> {
        let mut total = ImportOutcome::default();
        while let Some(outcome) = self.next_batch(batch).await? {
            total.imported += outcome.imported;
            total.already_present += outcome.already_present;
            progress(self.in_target);
        }
        Ok(total)
    }

    async fn next_source_event(&mut self) -> Result<Option<RecordedEvent>, CopyError> {
        if self.pending.is_empty() && !self.source_ended {
            self.fill().await?;
        }
        Ok(self.pending.pop_front())
    }

    async fn fill(&mut self) -> Result<(), CopyError> {
        let page = self
            .source
            .next_page(READ_PAGE)
            .await
            .map_err(CopyError::Source)?;
        if page.is_empty() {
            self.source_ended = true;
        }
        self.pending.extend(page);
        Ok(())
    }
}

/// How `held` (in the target) differs from `expected` (the source's event at the same place in
/// log order), ignoring positions, which are each store's own.
fn difference(expected: &RecordedEvent, held: &RecordedEvent) -> Option<String> {
    if held.event_id != expected.event_id {
        return Some(format!(
            "it is event {} ({} version {}) where the source has event {} ({} version {})",
            held.event_id,
            held.stream,
            held.stream_version,
            expected.event_id,
            expected.stream,
            expected.stream_version
        ));
    }
    let field = if held.stream != expected.stream {
        "stream"
    } else if held.stream_version != expected.stream_version {
        "stream version"
    } else if held.event_type != expected.event_type {
        "type"
    } else if held.schema_version != expected.schema_version {
        "schema version"
    } else if held.recorded_at != expected.recorded_at {
        "recorded-at"
    } else if held.payload != expected.payload {
        "payload"
    } else if held.metadata != expected.metadata {
        "metadata"
    } else if held.hash != expected.hash {
        "hash"
    } else {
        return None;
    };
    Some(format!(
        "event {} ({} version {}) has another {field} than in the source",
        held.event_id, held.stream, held.stream_version
    ))
}

/// What [`copy_log`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CopySummary {
    /// Events of the source the target already held (an earlier copy that was stopped).
    pub already_in_target: u64,
    /// Events written by this call.
    pub imported: u64,
    /// Events of the source the target holds at the end.
    pub in_target: u64,
}

/// Copies the whole log of `source` into `target` (empty, or holding the start of the
/// source's log from an earlier copy), `batch` events per import; `progress` is told how many
/// source events the target holds after each batch.
///
/// # Errors
/// As [`LogCopy::start`] and [`LogCopy::next_batch`].
pub async fn copy_log(
    source: &dyn EventStore,
    target: &dyn EventStore,
    batch: usize,
    progress: impl FnMut(u64) + Send,
) -> Result<CopySummary, CopyError> {
    let mut copy = LogCopy::start(StoreReader::new(source), target, |_| {}).await?;
    let outcome = copy.run(batch, progress).await?;
    Ok(CopySummary {
        already_in_target: copy.already_in_target(),
        imported: outcome.imported,
        in_target: copy.in_target(),
    })
}

/// The number of events in a store's log (reads all of it).
///
/// # Errors
/// When reading fails.
pub async fn count_events(store: &dyn EventStore) -> Result<u64, StoreError> {
    let mut reader = StoreReader::new(store);
    let mut count = 0u64;
    loop {
        let page = reader.next_page(READ_PAGE).await?;
        if page.is_empty() {
            return Ok(count);
        }
        count += page.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use async_trait::async_trait;
    use chrono::Utc;
    use uuid::Uuid;

    use super::*;
    use crate::memory::MemoryStore;
    use crate::types::{EventMetadata, ExpectedVersion, NewEvent, StreamName};
    use crate::verify::verify_store;

    fn event(n: u64) -> NewEvent {
        let meta = EventMetadata {
            actor_id: "tester".into(),
            actor_role: "staff".into(),
            correlation_id: Uuid::from_u128(u128::from(n)),
            causation_id: None,
            reason: Some("copy test — é".into()),
            proposed: None,
        };
        NewEvent::new(
            Uuid::now_v7(),
            "Happened",
            1,
            &serde_json::json!({ "n": n }),
            &meta,
        )
        .unwrap()
    }

    /// `events` events over `streams` streams, appended in batches of one to three.
    async fn source(events: u64, streams: u64) -> MemoryStore {
        let store = MemoryStore::new();
        let mut n = 0;
        while n < events {
            let stream = StreamName::parse(format!("s-{}", n % streams)).unwrap();
            let size = (1 + n % 3).min(events - n);
            let batch: Vec<_> = (n..n + size).map(event).collect();
            store
                .append(&stream, ExpectedVersion::Any, &batch)
                .await
                .unwrap();
            n += size;
        }
        store
    }

    async fn all(store: &dyn EventStore) -> Vec<RecordedEvent> {
        store.read_all(Position::START, usize::MAX).await.unwrap()
    }

    async fn digest(store: &dyn EventStore) -> (u64, String) {
        let report = verify_store(store, None, |_| {}).await.unwrap();
        (report.events, report.digest())
    }

    /// Everything but positions.
    fn assert_same_log(a: &[RecordedEvent], b: &[RecordedEvent]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert_eq!(difference(x, y), None);
            assert_eq!(x.recorded_at, y.recorded_at);
        }
    }

    #[tokio::test]
    async fn a_copy_keeps_ids_versions_order_times_and_hashes() {
        let source = source(250, 7).await;
        let target = MemoryStore::new();
        let mut seen = Vec::new();
        let summary = copy_log(&source, &target, 40, |n| seen.push(n))
            .await
            .unwrap();
        assert_eq!(
            summary,
            CopySummary {
                already_in_target: 0,
                imported: 250,
                in_target: 250
            }
        );
        assert_eq!(seen.len(), 7, "250 events in batches of 40: {seen:?}");
        assert_eq!(seen.last(), Some(&250));
        assert_same_log(&all(&source).await, &all(&target).await);
        assert_eq!(digest(&source).await, digest(&target).await);
    }

    #[tokio::test]
    async fn a_stopped_copy_resumes_after_what_the_target_holds() {
        let source = source(300, 11).await;
        let target = MemoryStore::new();
        // Three batches, then the copy is dropped (the process was killed).
        {
            let mut copy = LogCopy::start(StoreReader::new(&source), &target, |_| {})
                .await
                .unwrap();
            for _ in 0..3 {
                copy.next_batch(25).await.unwrap().unwrap();
            }
            assert_eq!(copy.in_target(), 75);
        }
        let mut checked = 0;
        let mut copy = LogCopy::start(StoreReader::new(&source), &target, |n| checked = n)
            .await
            .unwrap();
        assert_eq!(copy.already_in_target(), 75);
        assert_eq!(checked, 75);
        let outcome = copy.run(25, |_| {}).await.unwrap();
        assert_eq!(outcome.imported, 225, "nothing is copied twice");
        assert_eq!(outcome.already_present, 0);
        assert_same_log(&all(&source).await, &all(&target).await);
        assert_eq!(digest(&source).await, digest(&target).await);
    }

    /// A target that fails every import after the first `ok` ones, as a lost connection would.
    struct FailingAfter {
        inner: MemoryStore,
        ok: usize,
        calls: AtomicUsize,
    }

    #[async_trait]
    impl EventStore for FailingAfter {
        async fn append(
            &self,
            stream: &StreamName,
            expected: ExpectedVersion,
            events: &[NewEvent],
        ) -> Result<crate::types::AppendOutcome, StoreError> {
            self.inner.append(stream, expected, events).await
        }
        async fn read_stream(
            &self,
            stream: &StreamName,
            from_version: u64,
            max_count: usize,
        ) -> Result<Vec<RecordedEvent>, StoreError> {
            self.inner
                .read_stream(stream, from_version, max_count)
                .await
        }
        async fn read_all(
            &self,
            from: Position,
            max_count: usize,
        ) -> Result<Vec<RecordedEvent>, StoreError> {
            self.inner.read_all(from, max_count).await
        }
        async fn import(&self, events: &[RecordedEvent]) -> Result<ImportOutcome, StoreError> {
            if self.calls.fetch_add(1, Ordering::SeqCst) >= self.ok {
                return Err(StoreError::Unavailable("connection lost".into()));
            }
            self.inner.import(events).await
        }
        fn describe(&self) -> String {
            "failing".into()
        }
    }

    #[tokio::test]
    async fn a_failed_import_stops_the_copy_and_a_new_one_finishes_it() {
        let source = source(120, 5).await;
        let target = FailingAfter {
            inner: MemoryStore::new(),
            ok: 2,
            calls: AtomicUsize::new(0),
        };
        let failed = copy_log(&source, &target, 30, |_| {}).await.unwrap_err();
        assert!(matches!(
            failed,
            CopyError::Target(StoreError::Unavailable(_))
        ));
        assert_eq!(all(&target).await.len(), 60);
        let summary = copy_log(&source, &target.inner, 30, |_| {}).await.unwrap();
        assert_eq!(summary.already_in_target, 60);
        assert_eq!(summary.imported, 60);
        assert_eq!(digest(&source).await, digest(&target.inner).await);
    }

    #[tokio::test]
    async fn a_partial_batch_in_the_target_is_a_prefix_too() {
        // KurrentDB may keep the first runs of a batch: the target ends mid-batch.
        let source = source(90, 4).await;
        let target = MemoryStore::new();
        target.import(&all(&source).await[..37]).await.unwrap();
        let summary = copy_log(&source, &target, 25, |_| {}).await.unwrap();
        assert_eq!(summary.already_in_target, 37);
        assert_eq!(summary.imported, 53);
        assert_same_log(&all(&source).await, &all(&target).await);
    }

    #[tokio::test]
    async fn a_complete_copy_copies_nothing_more() {
        let source = source(50, 3).await;
        let target = MemoryStore::new();
        copy_log(&source, &target, 1000, |_| {}).await.unwrap();
        let again = copy_log(&source, &target, 1000, |_| {}).await.unwrap();
        assert_eq!(
            again,
            CopySummary {
                already_in_target: 50,
                imported: 0,
                in_target: 50
            }
        );
        let empty = MemoryStore::new();
        let nothing = copy_log(&empty, &MemoryStore::new(), 10, |_| {})
            .await
            .unwrap();
        assert_eq!(nothing, CopySummary::default());
    }

    #[tokio::test]
    async fn a_target_with_other_events_is_refused_and_left_unchanged() {
        let source = source(60, 3).await;
        let target = MemoryStore::new();
        target.import(&all(&source).await[..10]).await.unwrap();
        target
            .append(
                &StreamName::parse("elsewhere").unwrap(),
                ExpectedVersion::NoStream,
                &[event(999)],
            )
            .await
            .unwrap();
        let before = all(&target).await;
        let refused = copy_log(&source, &target, 20, |_| {}).await.unwrap_err();
        let CopyError::NotAPrefix(mismatch) = refused else {
            panic!("{refused:?}")
        };
        assert_eq!(mismatch.index, 10);
        assert!(mismatch.detail.contains("elsewhere"), "{mismatch}");
        assert_eq!(all(&target).await, before);
    }

    #[tokio::test]
    async fn a_target_in_another_order_or_longer_than_the_source_is_refused() {
        let source = source(20, 4).await;
        let events = all(&source).await;

        // The same events, but two streams' events swapped in log order.
        assert_ne!(events[0].stream, events[1].stream);
        let reordered = MemoryStore::new();
        reordered
            .import(&[events[1].clone(), events[0].clone()])
            .await
            .unwrap();
        let refused = copy_log(&source, &reordered, 5, |_| {}).await.unwrap_err();
        assert!(
            matches!(&refused, CopyError::NotAPrefix(m) if m.index == 0),
            "{refused:?}"
        );

        // The whole source and one event more.
        let longer = MemoryStore::new();
        longer.import(&events).await.unwrap();
        longer
            .append(&events[0].stream, ExpectedVersion::Any, &[event(1_000)])
            .await
            .unwrap();
        let refused = copy_log(&source, &longer, 5, |_| {}).await.unwrap_err();
        let CopyError::NotAPrefix(mismatch) = refused else {
            panic!("{refused:?}")
        };
        assert_eq!(mismatch.index, 20);
        assert!(mismatch.detail.contains("more events than the source"));
    }

    #[tokio::test]
    async fn the_same_id_with_other_content_is_named() {
        // A target that holds an event with the source's id but another recorded-at (so
        // another hash): not the source's log.
        let source = source(3, 1).await;
        let events = all(&source).await;
        let mut other = crate::append::seal(
            &events[0].stream,
            None,
            &[NewEvent {
                event_id: events[0].event_id,
                event_type: events[0].event_type.clone(),
                schema_version: events[0].schema_version,
                payload: events[0].payload.clone(),
                metadata: events[0].metadata.clone(),
            }],
            Utc::now() + chrono::Duration::seconds(5),
        );
        other[0].position = Position(1);
        let target = MemoryStore::new();
        target.import(&other).await.unwrap();
        let refused = copy_log(&source, &target, 5, |_| {}).await.unwrap_err();
        let CopyError::NotAPrefix(mismatch) = refused else {
            panic!("{refused:?}")
        };
        assert!(
            mismatch.detail.contains("another recorded-at"),
            "{mismatch}"
        );
    }

    #[tokio::test]
    async fn count_events_reads_the_whole_log() {
        assert_eq!(count_events(&source(4100, 9).await).await.unwrap(), 4100);
        assert_eq!(count_events(&MemoryStore::new()).await.unwrap(), 0);
    }
}
