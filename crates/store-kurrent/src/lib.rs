//! The KurrentDB (formerly EventStoreDB) adapter of Dossier's event-store port.
//!
//! [`KurrentStore`] keeps every Dossier stream as a KurrentDB stream of the same name and
//! talks gRPC through the `kurrentdb` client (the maintained successor of the `eventstore`
//! crate). Store URLs are KurrentDB connection strings: `esdb://…`, `esdb+discover://…`,
//! `kurrentdb://…`, `kurrentdb+discover://…` (see [`SCHEMES`]). Every rule about expected
//! versions, retries, sealing and imports comes from [`event_store::append`], so this adapter
//! answers exactly as the others do. One Dossier event is one KurrentDB event (same id, stream
//! and revision); schema version, recorded-at, our metadata bytes and the hash travel in its
//! custom metadata (`envelope.rs`). The event at `$all` position `(L, L)` gets
//! `Position(2·(L + 1))`, so no position handed out, nor its `next()`, makes the server start
//! inside a record (`position.rs`). Appends read the stream's head, seal with the shared rules
//! and send the exact revision sealed against. Known gap: an event id reused in another stream
//! is not detected (KurrentDB has no index by event id).
//!
//! No KurrentDB server runs where this crate is built: its tests check every mapping without
//! one and run the conformance suite against a model of the server (`model.rs`); the live proof
//! is `dossier selftest --store esdb://host:2113?tls=false`. Binaries call
//! [`install_crypto_provider`] at start-up (linking `kurrentdb` enables two rustls providers).
//! `docs/kurrent.md` has the whole argument: the server's behaviour cited from its source, each
//! difference from the port and how the adapter keeps the port's promises, TLS, and what only a
//! live server proves.
//!
//! Architecture invariant: depends on the event-store port and the `kurrentdb` client only;
//! never on the domain, HTTP or another adapter. No client error crosses the port.

mod all;
mod backend;
mod envelope;
mod error;
mod mapping;
#[cfg(test)]
mod model;
mod position;
mod url;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use event_store::append::{
    ImportStep, Retry, StreamHead, check_batch, check_expected, check_import, match_retry,
    outcome_of, seal,
};
use event_store::{
    AppendOutcome, EventStore, ExpectedVersion, ImportOutcome, NewEvent, Position, RecordedEvent,
    StoreError, StreamName,
};
use uuid::Uuid;

use crate::all::{AllLog, read_page};
use crate::backend::{Backend, ClientBackend, StreamRead};
use crate::error::{actual_version, conflict, store_error};
use crate::mapping::{
    Outgoing, RawEvent, check_event_type, decode_own, expected_version, stream_state, wire_state,
    written_position,
};
use crate::position::AllPosition;
use crate::url::StoreUrl;

pub use crate::url::SCHEMES;

/// How often an append with `Any`/`StreamExists` reads a fresh head and tries again after a
/// concurrent writer won the revision it sealed against.
pub const APPEND_ATTEMPTS: usize = 16;

/// How many of a stream's most recent events, beyond the batch itself, an append searches for
/// the batch's ids to recognise a repeated append.
pub const RETRY_WINDOW: usize = 100;

/// Events per `$all` read: enough to page quickly past system and foreign events.
const ALL_BATCH: (usize, usize) = (32, 4096);

/// Installs rustls' `aws-lc-rs` crypto provider as the process default, unless a provider is
/// installed already. See the crate docs ("TLS").
pub fn install_crypto_provider() {
    // An Err only says some provider is installed already: exactly what is wanted.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// An event store in KurrentDB.
pub struct KurrentStore {
    backend: Box<dyn Backend>,
    described: String,
}

impl std::fmt::Debug for KurrentStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KurrentStore")
            .field("url", &self.described)
            .finish_non_exhaustive()
    }
}

impl KurrentStore {
    /// Connects to the store at `url` (`esdb://host:2113?tls=false`,
    /// `kurrentdb+discover://user:password@cluster:2113`, …) and checks that the server
    /// answers.
    ///
    /// # Errors
    /// [`StoreError::InvalidRequest`] for a URL that is not a KurrentDB connection string;
    /// [`StoreError::Unavailable`] when no server answers.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let store = Self::lazy(url)?;
        if let Err(e) = store.backend.probe().await {
            return Err(store.fail(&format!("connect to {}", store.described), &e));
        }
        Ok(store)
    }

    /// A store for `url` that contacts the server only when first used. Must be called inside
    /// a Tokio runtime, which the client's connection task runs on.
    ///
    /// # Errors
    /// [`StoreError::InvalidRequest`] for a URL that is not a KurrentDB connection string, or
    /// when called outside a Tokio runtime.
    pub fn lazy(url: &str) -> Result<Self, StoreError> {
        install_crypto_provider();
        let url = StoreUrl::parse(url)?;
        Ok(Self {
            backend: Box::new(ClientBackend::new(url.settings)?),
            described: url.described,
        })
    }

    #[cfg(test)]
    fn with_backend(backend: impl Backend, described: &str) -> Self {
        Self {
            backend: Box::new(backend),
            described: described.into(),
        }
    }

    /// Maps a client error, letting the backend replace a client whose connection ended.
    fn fail(&self, context: &str, e: &kurrentdb::Error) -> StoreError {
        self.backend.failed(e);
        store_error(context, e)
    }

    /// Events of `stream`, decoded; a stream that does not exist reads as empty.
    async fn read(
        &self,
        stream: &StreamName,
        read: StreamRead,
        count: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        match self.backend.read_stream(stream.as_str(), read, count).await {
            Ok(raw) => raw.iter().map(decode_own).collect(),
            Err(kurrentdb::Error::ResourceNotFound) => Ok(Vec::new()),
            Err(e) => Err(self.fail(&format!("read {stream}"), &e)),
        }
    }

    /// The last `count` events of `stream`, newest first.
    async fn tail(
        &self,
        stream: &StreamName,
        count: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read(stream, StreamRead::Tail, count).await
    }

    /// Appends already sealed events at the exact revision they were sealed against.
    async fn write(
        &self,
        stream: &StreamName,
        head: Option<u64>,
        sealed: &[RecordedEvent],
    ) -> Result<kurrentdb::Result<kurrentdb::WriteResult>, StoreError> {
        let events = sealed
            .iter()
            .map(Outgoing::of)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self
            .backend
            .append(stream.as_str(), wire_state(head), events)
            .await)
    }

    /// The outcome of the append of `sealed`, with the positions the server gave them.
    async fn placed(
        &self,
        stream: &StreamName,
        mut sealed: Vec<RecordedEvent>,
        result: &kurrentdb::WriteResult,
    ) -> Result<AppendOutcome, StoreError> {
        match (sealed.as_mut_slice(), written_position(result)) {
            // The answer names the last event's position: for one event, that is all.
            ([only], Some(position)) => only.position = position,
            _ => {
                let first = sealed[0].stream_version;
                let read = StreamRead::Forward {
                    from: first,
                    leader: true,
                };
                let stored = self.read(stream, read, sealed.len()).await?;
                if stored.len() != sealed.len()
                    || stored
                        .iter()
                        .zip(&sealed)
                        .any(|(s, e)| s.event_id != e.event_id)
                {
                    return Err(StoreError::Unavailable(format!(
                        "append to {stream} succeeded, but reading it back from version {first} \
                         found other events"
                    )));
                }
                for (e, s) in sealed.iter_mut().zip(&stored) {
                    e.position = s.position;
                }
            }
        }
        outcome_of(&sealed).ok_or_else(|| StoreError::Corrupt("an append wrote no events".into()))
    }

    /// The outcome of an earlier append of exactly these events to `stream`, if the stream's
    /// recent events (`tail`, or read now) show one.
    async fn earlier_append(
        &self,
        stream: &StreamName,
        events: &[NewEvent],
        tail: Option<&[RecordedEvent]>,
    ) -> Result<Option<AppendOutcome>, StoreError> {
        let read;
        let tail = match tail {
            Some(tail) => tail,
            None => {
                read = self.tail(stream, events.len() + RETRY_WINDOW).await?;
                &read
            }
        };
        let ids: HashSet<Uuid> = events.iter().map(|e| e.event_id).collect();
        let stored: Vec<RecordedEvent> = tail
            .iter()
            .filter(|e| ids.contains(&e.event_id))
            .cloned()
            .collect();
        Ok(match match_retry(stream, events, &stored)? {
            Retry::AlreadyAppended(outcome) => Some(outcome),
            Retry::NotARetry => None,
        })
    }
}

fn head_of(e: &RecordedEvent) -> StreamHead {
    StreamHead {
        version: e.stream_version,
        hash: e.hash,
    }
}

/// One append of an import: events of one stream, and the revision they continue.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ImportRun {
    head: Option<u64>,
    events: Vec<RecordedEvent>,
}

/// Checks a whole import against what the store holds (each stream's head, and its stored
/// events by version) and splits what must be written into runs of consecutive events of
/// one stream.
///
/// # Errors
/// [`StoreError::ImportChainBroken`] naming the first event that does not continue its chain.
fn plan_import<'a>(
    events: &'a [RecordedEvent],
    mut heads: HashMap<&'a StreamName, Option<StreamHead>>,
    stored: &HashMap<(&'a StreamName, u64), RecordedEvent>,
) -> Result<(ImportOutcome, Vec<ImportRun>), StoreError> {
    let mut outcome = ImportOutcome::default();
    let mut runs: Vec<ImportRun> = Vec::new();
    let mut open_run: Option<&StreamName> = None;
    for e in events {
        let head = heads.get(&e.stream).copied().flatten();
        let same_id = stored
            .get(&(&e.stream, e.stream_version))
            .filter(|s| s.event_id == e.event_id);
        match check_import(e, head, same_id)? {
            ImportStep::AlreadyPresent => {
                outcome.already_present += 1;
                open_run = None;
            }
            ImportStep::Write => {
                match runs.last_mut() {
                    Some(run) if open_run == Some(&e.stream) => run.events.push(e.clone()),
                    _ => runs.push(ImportRun {
                        head: head.map(|h| h.version),
                        events: vec![e.clone()],
                    }),
                }
                open_run = Some(&e.stream);
                heads.insert(&e.stream, Some(head_of(e)));
                outcome.imported += 1;
            }
        }
    }
    Ok((outcome, runs))
}

#[async_trait]
impl EventStore for KurrentStore {
    async fn append(
        &self,
        stream: &StreamName,
        expected: ExpectedVersion,
        events: &[NewEvent],
    ) -> Result<AppendOutcome, StoreError> {
        check_batch(events)?;
        for e in events {
            check_event_type(&e.event_type, e.event_id)?;
        }
        let loose = matches!(
            expected,
            ExpectedVersion::Any | ExpectedVersion::StreamExists
        );
        let context = format!("append to {stream}");
        for attempt in 0..APPEND_ATTEMPTS {
            // Any/StreamExists may be a repeat whatever the head is: read the window at once.
            let tail = self
                .tail(
                    stream,
                    if loose {
                        events.len() + RETRY_WINDOW
                    } else {
                        1
                    },
                )
                .await?;
            if loose && let Some(outcome) = self.earlier_append(stream, events, Some(&tail)).await?
            {
                return Ok(outcome);
            }
            let head = tail.first().map(head_of);
            if let Err(mismatch) = check_expected(stream, expected, head.map(|h| h.version)) {
                // A repeat of an append that went through lands here (for Any/StreamExists
                // the window was searched above).
                if loose {
                    return Err(mismatch);
                }
                return match self.earlier_append(stream, events, None).await? {
                    Some(outcome) => Ok(outcome),
                    None => Err(mismatch),
                };
            }
            let sealed = seal(stream, head, events, Utc::now());
            match self.write(stream, head.map(|h| h.version), &sealed).await? {
                Ok(result) => return self.placed(stream, sealed, &result).await,
                Err(kurrentdb::Error::WrongExpectedVersion {
                    current,
                    expected: sent,
                }) => {
                    tracing::debug!(
                        %stream,
                        asked = %stream_state(expected),
                        sent = %expected_version(sent),
                        actual = ?actual_version(current),
                        attempt,
                        "KurrentDB refused an append: another writer was first"
                    );
                    // Someone wrote first: maybe an earlier send of this very append.
                    if let Some(outcome) = self.earlier_append(stream, events, None).await? {
                        return Ok(outcome);
                    }
                    if !loose {
                        return Err(conflict(stream, expected, current));
                    }
                    // Spread the writers that lost the same race a little before they retry.
                    let spread = u64::from(events[0].event_id.as_u128() as u8 % 4);
                    let pause = (attempt as u64).min(10) + spread;
                    tokio::time::sleep(Duration::from_millis(pause)).await;
                }
                Err(e) => return Err(self.fail(&context, &e)),
            }
        }
        Err(StoreError::Unavailable(format!(
            "{context}: other writers won the stream's next revision {APPEND_ATTEMPTS} times in a row"
        )))
    }

    async fn read_stream(
        &self,
        stream: &StreamName,
        from_version: u64,
        max_count: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        if max_count == 0 {
            return Ok(Vec::new());
        }
        let read = StreamRead::Forward {
            from: from_version,
            leader: false,
        };
        self.read(stream, read, max_count).await
    }

    /// Reads `$all` from the place `from` maps to, skipping KurrentDB's own and foreign
    /// events and reading on past them (see `all.rs`). `$all` only ever grows at its end, so
    /// no wait for late commits is needed.
    async fn read_all(
        &self,
        from: Position,
        max_count: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let batch = max_count.clamp(ALL_BATCH.0, ALL_BATCH.1);
        read_page(self, from, max_count, batch).await
    }

    async fn import(&self, events: &[RecordedEvent]) -> Result<ImportOutcome, StoreError> {
        if events.is_empty() {
            return Ok(ImportOutcome::default());
        }
        for e in events {
            check_event_type(&e.event_type, e.event_id)?;
        }
        // 1. What the store holds: each stream's head, and its events at the versions the
        //    import covers (an import that is sent again finds its events there).
        let mut ranges: Vec<(&StreamName, u64, u64)> = Vec::new();
        for e in events {
            match ranges.iter_mut().find(|(s, _, _)| *s == &e.stream) {
                Some((_, low, high)) => {
                    *low = (*low).min(e.stream_version);
                    *high = (*high).max(e.stream_version);
                }
                None => ranges.push((&e.stream, e.stream_version, e.stream_version)),
            }
        }
        let mut heads = HashMap::new();
        let mut stored = HashMap::new();
        for &(stream, low, high) in &ranges {
            let head = self.tail(stream, 1).await?.first().map(head_of);
            if let Some(h) = head.filter(|h| h.version >= low) {
                let count = usize::try_from(h.version.min(high) - low + 1).unwrap_or(usize::MAX);
                let read = StreamRead::Forward {
                    from: low,
                    leader: true,
                };
                for e in self.read(stream, read, count).await? {
                    stored.insert((stream, e.stream_version), e);
                }
            }
            heads.insert(stream, head);
        }
        // 2. Check the whole import before writing anything.
        let (outcome, runs) = plan_import(events, heads, &stored)?;
        // 3. One append per run, each at the exact revision it was checked against.
        for run in runs {
            let first = &run.events[0];
            match self.write(&first.stream, run.head, &run.events).await? {
                Ok(_) => {}
                Err(kurrentdb::Error::WrongExpectedVersion { current, .. }) => {
                    return Err(StoreError::ImportChainBroken {
                        stream: first.stream.clone(),
                        version: first.stream_version,
                        event_id: first.event_id,
                        reason: format!(
                            "another writer changed the stream during the import (now at \
                             {current}); the events before this one are written: send the \
                             import again"
                        ),
                    });
                }
                Err(e) => return Err(self.fail(&format!("import into {}", first.stream), &e)),
            }
        }
        Ok(outcome)
    }

    async fn wait_for_events(&self, from: Position, timeout: Duration) {
        self.backend.wait_for_events(from, timeout).await;
    }

    fn describe(&self) -> String {
        self.described.clone()
    }
}

#[async_trait]
impl AllLog for KurrentStore {
    async fn read_forward(
        &self,
        from: Option<AllPosition>,
        count: usize,
    ) -> Result<Vec<RawEvent>, StoreError> {
        self.backend
            .read_all(from, count)
            .await
            .map_err(|e| self.fail("read $all", &e))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use event_store::EventHash;

    use super::*;
    use crate::model::ModelServer;

    /// The check a store without an index by event id across streams cannot pass, with the
    /// start of the message it gives (see the crate docs, "Idempotency by event id").
    const CROSS_STREAM_ID_CHECKS: [(&str, &str); 1] = [(
        "event_ids_are_unique_across_streams",
        "a batch reusing a stored id should be refused",
    )];

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn the_conformance_suite_runs_against_a_model_of_the_server() {
        let store: Arc<dyn EventStore> =
            Arc::new(KurrentStore::with_backend(ModelServer::new(), "model"));
        let reports = store_conformance::run_suite(store, None).await;
        assert_eq!(reports.len(), store_conformance::ALL_CHECKS.len());
        for report in &reports {
            let known = CROSS_STREAM_ID_CHECKS
                .iter()
                .find(|(name, _)| *name == report.name)
                .map(|(_, message)| *message);
            match (&report.result, known) {
                (Ok(()), None) => {}
                (Err(failure), Some(message)) if failure.starts_with(message) => {}
                (result, _) => panic!("check {}: {result:?}", report.name),
            }
        }
    }

    fn chain(stream: &str, labels: &[&str]) -> Vec<RecordedEvent> {
        let events: Vec<NewEvent> = labels
            .iter()
            .map(|l| crate::all::tests::conformance_like_event(l))
            .collect();
        seal(
            &StreamName::parse(stream).unwrap(),
            None,
            &events,
            Utc::now(),
        )
    }

    #[test]
    fn an_import_is_planned_as_runs_of_one_stream() {
        let a = chain("import-a", &["a0", "a1", "a2"]);
        let b = chain("import-b", &["b0"]);
        let log = vec![a[0].clone(), a[1].clone(), b[0].clone(), a[2].clone()];
        let heads = HashMap::from([(&a[0].stream, None), (&b[0].stream, None)]);
        let (outcome, runs) = plan_import(&log, heads, &HashMap::new()).unwrap();
        assert_eq!((outcome.imported, outcome.already_present), (4, 0));
        let shape: Vec<(Option<u64>, Vec<u64>)> = runs
            .iter()
            .map(|r| (r.head, r.events.iter().map(|e| e.stream_version).collect()))
            .collect();
        assert_eq!(
            shape,
            [(None, vec![0, 1]), (None, vec![0]), (Some(1), vec![2])]
        );
        assert_eq!(runs[1].events[0].stream, b[0].stream);
    }

    #[test]
    fn an_import_sent_again_skips_what_is_stored_and_writes_the_rest() {
        let a = chain("import-a", &["a0", "a1", "a2", "a3"]);
        // The first two were written before the import was stopped.
        let heads = HashMap::from([(&a[0].stream, Some(head_of(&a[1])))]);
        let stored = HashMap::from([
            ((&a[0].stream, 0), a[0].clone()),
            ((&a[0].stream, 1), a[1].clone()),
        ]);
        let (outcome, runs) = plan_import(&a, heads, &stored).unwrap();
        assert_eq!((outcome.imported, outcome.already_present), (2, 2));
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].head, Some(1));
        assert_eq!(runs[0].events, a[2..]);
    }

    #[test]
    fn a_broken_or_clashing_import_is_refused_before_anything_is_planned() {
        let a = chain("import-a", &["a0", "a1", "a2"]);
        let mut forged = a.clone();
        forged[1].payload = b"{\"label\":\"forged\"}".to_vec();
        let heads = || HashMap::from([(&a[0].stream, None)]);
        match plan_import(&forged, heads(), &HashMap::new()) {
            Err(StoreError::ImportChainBroken { version: 1, .. }) => {}
            other => panic!("forged payload: {other:?}"),
        }
        // Another event already holds version 0 of the stream.
        let other = chain("import-a", &["other"]);
        let heads = HashMap::from([(&a[0].stream, Some(head_of(&other[0])))]);
        let stored = HashMap::from([((&a[0].stream, 0), other[0].clone())]);
        match plan_import(&a, heads, &stored) {
            Err(StoreError::ImportChainBroken { version: 0, .. }) => {}
            other => panic!("clash: {other:?}"),
        }
        let mut rehashed = a[0].clone();
        rehashed.hash = EventHash([7; 32]);
        let heads = HashMap::from([(&a[0].stream, Some(head_of(&a[0])))]);
        let stored = HashMap::from([((&a[0].stream, 0), a[0].clone())]);
        assert!(
            plan_import(&[rehashed], heads, &stored).is_err(),
            "same id, other hash"
        );
    }

    #[tokio::test]
    async fn a_store_is_an_event_store_built_without_a_server() {
        let store = KurrentStore::lazy("kurrentdb://admin:changeit@localhost:2113?tls=false")
            .expect("parsing needs no server");
        let store: Arc<dyn EventStore> = Arc::new(store);
        assert_eq!(
            store.describe(),
            "kurrentdb://admin@localhost:2113?tls=false"
        );
        assert!(!format!("{:?}", KurrentStore::lazy("esdb://u:pw@h:2113").unwrap()).contains("pw"));
    }

    #[tokio::test]
    async fn bad_urls_are_refused_before_any_connection() {
        assert!(matches!(
            KurrentStore::lazy("postgres://u@h/db"),
            Err(StoreError::InvalidRequest(_))
        ));
        assert!(matches!(
            KurrentStore::connect("kurrentdb://u:secret@h:notaport").await,
            Err(StoreError::InvalidRequest(m)) if !m.contains("secret")
        ));
    }

    #[test]
    fn opening_needs_a_runtime() {
        assert!(matches!(
            KurrentStore::lazy("esdb://localhost:2113?tls=false"),
            Err(StoreError::InvalidRequest(_))
        ));
    }
}
