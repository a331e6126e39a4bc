//! The checks. Each writes only inside its namespace and asserts one part of the port's
//! contract, returning a message that names what the store did wrong.
//!
//! One file although long: it is the port's contract as executable checks, one function per
//! promise in the order of `event_store::EventStore`'s documentation, and reads best whole.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use event_store::append::seal;
use event_store::verify::ChainVerifier;
use event_store::{
    EventMetadata, EventStore, ExpectedVersion, NewEvent, Position, RecordedEvent, StoreError,
    Subscription, hash::expected_hash,
};
use uuid::Uuid;

use crate::{CheckResult, Namespace, sample_event};

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

fn store_err(context: &str) -> impl Fn(StoreError) -> String + '_ {
    move |e| format!("{context}: {e}")
}

/// All events of the namespace at or after `from`, in log order.
async fn read_namespace(
    store: &dyn EventStore,
    ns: &Namespace,
    from: Position,
) -> Result<Vec<RecordedEvent>, String> {
    let mut out = Vec::new();
    let mut next = from;
    loop {
        let page = store
            .read_all(next, 500)
            .await
            .map_err(store_err("read_all"))?;
        let Some(last) = page.last() else { break };
        next = last.position.next();
        out.extend(page.into_iter().filter(|e| ns.contains(e)));
    }
    Ok(out)
}

fn events(n: usize, label: &str) -> Vec<NewEvent> {
    (0..n)
        .map(|i| sample_event(&format!("{label}-{i}")))
        .collect()
}

/// Payload and metadata come back as the exact bytes written; versions, ids, types and the
/// hash chain are as appended.
pub async fn round_trip_keeps_exact_bytes(
    store: Arc<dyn EventStore>,
    ns: Namespace,
) -> CheckResult {
    let stream = ns.stream("round-trip");
    let meta = EventMetadata {
        actor_id: "staff-17".into(),
        actor_role: "staff".into(),
        correlation_id: Uuid::now_v7(),
        causation_id: Some(Uuid::now_v7()),
        reason: Some("correctie geboortedatum — zie brief".into()),
        proposed: None,
    };
    // Odd spacing, key order and escapes: a store that re-serialises JSON changes these bytes.
    let odd_payload = b"{ \"z\" :1,\"a\":\"\\u00e9t\xc3\xa9\",  \"n\":1.50 }".to_vec();
    let new = vec![
        NewEvent::from_json_bytes(
            Uuid::now_v7(),
            "PersonRegistered",
            1,
            odd_payload.clone(),
            &meta,
        )
        .map_err(|e| e.0)?,
        NewEvent::from_json_bytes(
            Uuid::now_v7(),
            "BudgetHolderDesignated",
            3,
            b"[]".to_vec(),
            &meta,
        )
        .map_err(|e| e.0)?,
        sample_event("third"),
    ];
    let before = Utc::now() - chrono::Duration::seconds(5);
    let outcome = store
        .append(&stream, ExpectedVersion::NoStream, &new)
        .await
        .map_err(store_err("append"))?;
    ensure!(
        outcome.first_version == 0 && outcome.last_version == 2,
        "outcome versions {}..{}, expected 0..2",
        outcome.first_version,
        outcome.last_version
    );
    ensure!(
        outcome.first_position < outcome.last_position,
        "positions do not increase: {outcome:?}"
    );

    let read = store
        .read_stream(&stream, 0, 100)
        .await
        .map_err(store_err("read_stream"))?;
    ensure!(
        read.len() == 3,
        "read_stream returned {} events, expected 3",
        read.len()
    );
    let mut previous = event_store::EventHash::GENESIS;
    for (i, (got, sent)) in read.iter().zip(&new).enumerate() {
        ensure!(got.event_id == sent.event_id, "event {i}: id changed");
        ensure!(
            got.stream == stream,
            "event {i}: stream changed to {}",
            got.stream
        );
        ensure!(
            got.stream_version == i as u64,
            "event {i}: version {}",
            got.stream_version
        );
        ensure!(got.event_type == sent.event_type, "event {i}: type changed");
        ensure!(
            got.schema_version == sent.schema_version,
            "event {i}: schema version changed"
        );
        ensure!(
            got.payload == sent.payload,
            "event {i}: payload bytes changed: {:?}",
            String::from_utf8_lossy(&got.payload)
        );
        ensure!(
            got.metadata == sent.metadata,
            "event {i}: metadata bytes changed"
        );
        ensure!(
            got.recorded_at >= before
                && got.recorded_at <= Utc::now() + chrono::Duration::seconds(5),
            "event {i}: recorded-at {} is not the time of the append",
            got.recorded_at
        );
        ensure!(
            got.recorded_at.timestamp_subsec_nanos() % 1000 == 0,
            "event {i}: recorded-at has sub-microsecond digits"
        );
        ensure!(
            got.hash == expected_hash(got, &previous),
            "event {i}: hash does not cover its bytes and the previous hash"
        );
        previous = got.hash;
    }
    ensure!(
        read[0].position == outcome.first_position && read[2].position == outcome.last_position,
        "positions of read events differ from the append outcome"
    );
    let meta_back = read[0]
        .metadata()
        .map_err(|e| format!("metadata does not parse: {e}"))?;
    ensure!(meta_back == meta, "metadata parsed back differently");

    let all = read_namespace(store.as_ref(), &ns, Position::START).await?;
    ensure!(
        all == read,
        "read_all returns other events than read_stream"
    );
    let missing = store
        .read_stream(&ns.stream("never-written"), 0, 10)
        .await
        .map_err(store_err("read_stream"))?;
    ensure!(
        missing.is_empty(),
        "a stream that does not exist reads as {} events",
        missing.len()
    );
    Ok(())
}

/// Every expected-version case, and that a refused append writes nothing.
pub async fn expected_version_cases(store: Arc<dyn EventStore>, ns: Namespace) -> CheckResult {
    let s = ns.stream("expected");
    let conflict =
        |r: Result<_, StoreError>, expected: ExpectedVersion, actual: Option<u64>| match r {
            Err(StoreError::WrongExpectedVersion {
                stream,
                expected: e,
                actual: a,
            }) if stream == s && e == expected && a == actual => Ok(()),
            other => Err(format!(
                "append with {expected} should conflict naming actual {actual:?}, got {other:?}"
            )),
        };
    conflict(
        store
            .append(&s, ExpectedVersion::StreamExists, &events(1, "a"))
            .await,
        ExpectedVersion::StreamExists,
        None,
    )?;
    conflict(
        store
            .append(&s, ExpectedVersion::Exact(0), &events(1, "a"))
            .await,
        ExpectedVersion::Exact(0),
        None,
    )?;
    store
        .append(&s, ExpectedVersion::NoStream, &events(1, "first"))
        .await
        .map_err(store_err("NoStream on a new stream"))?;
    conflict(
        store
            .append(&s, ExpectedVersion::NoStream, &events(1, "a"))
            .await,
        ExpectedVersion::NoStream,
        Some(0),
    )?;
    store
        .append(&s, ExpectedVersion::Exact(0), &events(2, "second"))
        .await
        .map_err(store_err("Exact(0)"))?;
    conflict(
        store
            .append(&s, ExpectedVersion::Exact(1), &events(1, "a"))
            .await,
        ExpectedVersion::Exact(1),
        Some(2),
    )?;
    conflict(
        store
            .append(&s, ExpectedVersion::Exact(7), &events(1, "a"))
            .await,
        ExpectedVersion::Exact(7),
        Some(2),
    )?;
    store
        .append(&s, ExpectedVersion::StreamExists, &events(1, "third"))
        .await
        .map_err(store_err("StreamExists"))?;
    let any = store
        .append(&s, ExpectedVersion::Any, &events(1, "fourth"))
        .await
        .map_err(store_err("Any"))?;
    ensure!(
        any.first_version == 4,
        "Any appended at version {}, expected 4",
        any.first_version
    );
    let fresh = store
        .append(&ns.stream("any-new"), ExpectedVersion::Any, &events(1, "x"))
        .await
        .map_err(store_err("Any on a new stream"))?;
    ensure!(
        fresh.first_version == 0,
        "Any on a new stream gave version {}",
        fresh.first_version
    );
    let read = store
        .read_stream(&s, 0, 100)
        .await
        .map_err(store_err("read_stream"))?;
    ensure!(
        read.len() == 5,
        "refused appends left events behind: stream has {} events, expected 5",
        read.len()
    );
    Ok(())
}

/// A batch is written whole or not at all; bad batches are refused.
pub async fn append_is_atomic(store: Arc<dyn EventStore>, ns: Namespace) -> CheckResult {
    let s = ns.stream("atomic");
    let mut twice = events(2, "twice");
    twice.push(twice[0].clone());
    match store.append(&s, ExpectedVersion::Any, &twice).await {
        Err(StoreError::InvalidRequest(_)) => {}
        other => {
            return Err(format!(
                "a batch with an id twice should be invalid, got {other:?}"
            ));
        }
    }
    match store.append(&s, ExpectedVersion::Any, &[]).await {
        Err(StoreError::InvalidRequest(_)) => {}
        other => return Err(format!("an empty batch should be invalid, got {other:?}")),
    }
    match store
        .append(&s, ExpectedVersion::StreamExists, &events(5, "refused"))
        .await
    {
        Err(StoreError::WrongExpectedVersion { .. }) => {}
        other => {
            return Err(format!(
                "a batch for a stream that does not exist should conflict, got {other:?}"
            ));
        }
    }
    let read = store
        .read_stream(&s, 0, 100)
        .await
        .map_err(store_err("read_stream"))?;
    ensure!(
        read.is_empty(),
        "refused batches wrote {} events",
        read.len()
    );

    let ok = store
        .append(&s, ExpectedVersion::NoStream, &events(50, "big"))
        .await
        .map_err(store_err("50-event batch"))?;
    ensure!(
        ok.last_version == 49,
        "50-event batch ended at version {}",
        ok.last_version
    );
    let read = store
        .read_stream(&s, 0, 100)
        .await
        .map_err(store_err("read_stream"))?;
    ensure!(
        read.len() == 50,
        "50-event batch reads back as {} events",
        read.len()
    );
    ensure!(
        read.windows(2).all(|w| w[0].position < w[1].position),
        "a batch's positions do not increase"
    );
    Ok(())
}

/// An event id belongs to one place in the log: a batch that reuses an id stored in another
/// stream is refused whole.
pub async fn event_ids_are_unique_across_streams(
    store: Arc<dyn EventStore>,
    ns: Namespace,
) -> CheckResult {
    let other = ns.stream("other");
    let taken = events(1, "taken");
    store
        .append(&other, ExpectedVersion::NoStream, &taken)
        .await
        .map_err(store_err("setup"))?;
    let s = ns.stream("reusing");
    let mut batch = events(4, "batch");
    batch.push(taken[0].clone());
    match store.append(&s, ExpectedVersion::Any, &batch).await {
        Err(StoreError::EventIdConflict { .. }) => {}
        other => {
            return Err(format!(
                "a batch reusing a stored id should be refused, got {other:?}"
            ));
        }
    }
    match store
        .append(&ns.stream("elsewhere"), ExpectedVersion::Any, &taken)
        .await
    {
        Err(StoreError::EventIdConflict { .. }) => {}
        other => {
            return Err(format!(
                "the same id in another stream should be refused, got {other:?}"
            ));
        }
    }
    let read = store
        .read_stream(&s, 0, 100)
        .await
        .map_err(store_err("read_stream"))?;
    ensure!(
        read.is_empty(),
        "the refused batch wrote {} events",
        read.len()
    );
    Ok(())
}

/// Re-sending an append returns its first outcome and writes nothing twice.
pub async fn retry_is_idempotent(store: Arc<dyn EventStore>, ns: Namespace) -> CheckResult {
    let s = ns.stream("retry");
    store
        .append(&s, ExpectedVersion::NoStream, &events(1, "before"))
        .await
        .map_err(store_err("setup"))?;
    let batch = events(3, "retried");
    let first = store
        .append(&s, ExpectedVersion::Exact(0), &batch)
        .await
        .map_err(store_err("first send"))?;
    let again = store
        .append(&s, ExpectedVersion::Exact(0), &batch)
        .await
        .map_err(store_err("retry with the same expected version"))?;
    ensure!(
        again == first,
        "retry answered {again:?}, the first send {first:?}"
    );
    let again_any = store
        .append(&s, ExpectedVersion::Any, &batch)
        .await
        .map_err(store_err("retry with Any"))?;
    ensure!(
        again_any == first,
        "retry with Any answered {again_any:?}, the first send {first:?}"
    );
    let read = store
        .read_stream(&s, 0, 100)
        .await
        .map_err(store_err("read_stream"))?;
    ensure!(
        read.len() == 4,
        "retries wrote events twice: {} events",
        read.len()
    );

    let mut partial = vec![batch[0].clone()];
    partial.extend(events(1, "new"));
    match store.append(&s, ExpectedVersion::Any, &partial).await {
        Err(StoreError::EventIdConflict { .. }) => {}
        other => {
            return Err(format!(
                "a batch that only partly repeats an append should be refused, got {other:?}"
            ));
        }
    }
    let mut changed = batch.clone();
    changed[2].payload = b"{\"label\":\"changed\"}".to_vec();
    match store.append(&s, ExpectedVersion::Exact(0), &changed).await {
        Err(StoreError::EventIdConflict { .. }) => {}
        other => {
            return Err(format!(
                "same ids with other content should be refused, got {other:?}"
            ));
        }
    }
    let read = store
        .read_stream(&s, 0, 100)
        .await
        .map_err(store_err("read_stream"))?;
    ensure!(
        read.len() == 4,
        "refused retries wrote events: {} events",
        read.len()
    );
    Ok(())
}

/// read_stream honours its start version and page size.
pub async fn read_stream_pages(store: Arc<dyn EventStore>, ns: Namespace) -> CheckResult {
    let s = ns.stream("pages");
    for chunk in 0..4 {
        store
            .append(&s, ExpectedVersion::Any, &events(5, &format!("c{chunk}")))
            .await
            .map_err(store_err("append"))?;
    }
    let mut versions = Vec::new();
    let mut from = 0;
    loop {
        let page = store
            .read_stream(&s, from, 6)
            .await
            .map_err(store_err("read_stream"))?;
        ensure!(
            page.len() <= 6,
            "page of {} events for a page size of 6",
            page.len()
        );
        let Some(last) = page.last() else { break };
        ensure!(
            page[0].stream_version == from,
            "page starts at version {}, asked {from}",
            page[0].stream_version
        );
        from = last.stream_version + 1;
        versions.extend(page.iter().map(|e| e.stream_version));
    }
    ensure!(
        versions == (0..20).collect::<Vec<_>>(),
        "paged versions {versions:?}"
    );
    let tail = store
        .read_stream(&s, 18, 100)
        .await
        .map_err(store_err("read_stream"))?;
    ensure!(
        tail.len() == 2,
        "reading from version 18 gave {} events",
        tail.len()
    );
    Ok(())
}

/// read_all pages through the log in strictly increasing position order.
pub async fn read_all_pages_in_order(store: Arc<dyn EventStore>, ns: Namespace) -> CheckResult {
    let mut written = Vec::new();
    let mut start = None;
    for i in 0..25 {
        let e = events(1, &format!("e{i}"));
        let o = store
            .append(&ns.stream(&format!("s{}", i % 3)), ExpectedVersion::Any, &e)
            .await
            .map_err(store_err("append"))?;
        start.get_or_insert(o.first_position);
        written.push(e[0].event_id);
    }
    let start = start.expect("25 appends");
    let mut seen = Vec::new();
    let mut last_position = None;
    let mut next = start;
    loop {
        let page = store
            .read_all(next, 4)
            .await
            .map_err(store_err("read_all"))?;
        ensure!(
            page.len() <= 4,
            "page of {} events for a page size of 4",
            page.len()
        );
        let Some(last) = page.last() else { break };
        ensure!(
            page[0].position >= next,
            "page starts at {} before the asked {next}",
            page[0].position
        );
        for e in &page {
            ensure!(
                last_position.is_none_or(|p| e.position > p),
                "position {} follows {:?}",
                e.position,
                last_position
            );
            last_position = Some(e.position);
        }
        next = last.position.next();
        seen.extend(
            page.into_iter()
                .filter(|e| ns.contains(e))
                .map(|e| e.event_id),
        );
    }
    ensure!(
        seen == written,
        "read_all order differs from append order: {} seen, {} written",
        seen.len(),
        written.len()
    );
    Ok(())
}

/// Paging through the log with page boundaries inside multi-event appends neither skips nor
/// repeats an event (stores whose positions are not dense must resume inside an append).
pub async fn read_all_pages_inside_appends(
    store: Arc<dyn EventStore>,
    ns: Namespace,
) -> CheckResult {
    let s = ns.stream("batched");
    let (mut written, mut start) = (Vec::new(), None);
    for n in [3, 1, 4, 2] {
        let batch = events(n, &format!("b{n}"));
        let o = store
            .append(&s, ExpectedVersion::Any, &batch)
            .await
            .map_err(store_err("append"))?;
        start.get_or_insert(o.first_position);
        written.extend(batch.iter().map(|e| e.event_id));
    }
    for page in 1..=3 {
        let (mut seen, mut next) = (Vec::new(), start.expect("appended"));
        loop {
            let got = store
                .read_all(next, page)
                .await
                .map_err(store_err("read_all"))?;
            let Some(last) = got.last() else { break };
            next = last.position.next();
            seen.extend(
                got.into_iter()
                    .filter(|e| ns.contains(e))
                    .map(|e| e.event_id),
            );
        }
        ensure!(
            seen == written,
            "pages of {page}: {} seen of {} written, or another order",
            seen.len(),
            written.len()
        );
    }
    Ok(())
}

/// A subscription first catches up, then delivers events appended after it started.
pub async fn subscription_catches_up_then_follows(
    store: Arc<dyn EventStore>,
    ns: Namespace,
) -> CheckResult {
    let s = ns.stream("live");
    let early = events(5, "early");
    let o = store
        .append(&s, ExpectedVersion::NoStream, &early)
        .await
        .map_err(store_err("append"))?;
    let mut sub = Subscription::new(store.clone(), o.first_position);
    let writer = {
        let store = store.clone();
        let s = s.clone();
        tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..5 {
                tokio::time::sleep(Duration::from_millis(30)).await;
                let e = events(1, &format!("late-{i}"));
                ids.push(e[0].event_id);
                store.append(&s, ExpectedVersion::Any, &e).await?;
            }
            Ok::<_, StoreError>(ids)
        })
    };
    let mut got = Vec::new();
    while got.len() < 10 {
        let e = tokio::time::timeout(Duration::from_secs(20), sub.next())
            .await
            .map_err(|_| {
                format!(
                    "subscription delivered {} of 10 events, then nothing for 20 s",
                    got.len()
                )
            })?
            .map_err(store_err("subscription"))?;
        if ns.contains(&e) {
            got.push(e.event_id);
        }
    }
    let late = writer
        .await
        .map_err(|e| e.to_string())?
        .map_err(store_err("late append"))?;
    let expected: Vec<Uuid> = early.iter().map(|e| e.event_id).chain(late).collect();
    ensure!(
        got == expected,
        "subscription delivered other events or another order"
    );
    Ok(())
}

/// Many writers race for the same versions of one stream: exactly one wins each version, the
/// others get the typed conflict.
pub async fn one_writer_wins_each_version(
    store: Arc<dyn EventStore>,
    ns: Namespace,
) -> CheckResult {
    const WRITERS: usize = 8;
    const ROUNDS: u64 = 6;
    let s = ns.stream("contended");
    store
        .append(&s, ExpectedVersion::NoStream, &events(1, "start"))
        .await
        .map_err(store_err("setup"))?;
    for round in 0..ROUNDS {
        let attempts = (0..WRITERS).map(|w| {
            let store = store.clone();
            let s = s.clone();
            tokio::spawn(async move {
                store
                    .append(
                        &s,
                        ExpectedVersion::Exact(round),
                        &events(1, &format!("r{round}w{w}")),
                    )
                    .await
            })
        });
        let results = futures::future::join_all(attempts).await;
        let mut wins = 0;
        for r in results {
            match r.map_err(|e| e.to_string())? {
                Ok(o) => {
                    ensure!(
                        o.first_version == round + 1,
                        "winner wrote version {}",
                        o.first_version
                    );
                    wins += 1;
                }
                Err(StoreError::WrongExpectedVersion { actual, .. }) => {
                    ensure!(
                        actual.is_some_and(|a| a > round),
                        "loser was told the stream is at {actual:?}"
                    );
                }
                Err(other) => return Err(format!("loser got {other}, not the typed conflict")),
            }
        }
        ensure!(
            wins == 1,
            "round {round}: {wins} writers won the same version"
        );
    }
    let read = store
        .read_stream(&s, 0, 100)
        .await
        .map_err(store_err("read_stream"))?;
    ensure!(
        read.len() as u64 == ROUNDS + 1,
        "stream has {} events, expected {}",
        read.len(),
        ROUNDS + 1
    );
    Ok(())
}

/// Many writers on many streams while a reader follows the log: the reader sees every event
/// exactly once, in increasing positions, with each stream's versions in order, and a later
/// full read finds nothing it skipped.
pub async fn concurrent_writers_and_reader_see_everything_once(
    store: Arc<dyn EventStore>,
    ns: Namespace,
) -> CheckResult {
    const WRITERS: usize = 16;
    const APPENDS: usize = 25;
    const STREAMS: usize = 12;
    let marker = store
        .append(
            &ns.stream("marker"),
            ExpectedVersion::NoStream,
            &events(1, "marker"),
        )
        .await
        .map_err(store_err("marker"))?;
    let total = WRITERS * APPENDS + 1;

    let reader = {
        let store = store.clone();
        let ns = ns.clone();
        tokio::spawn(async move {
            let mut sub = Subscription::new(store, marker.first_position);
            let mut seen = Vec::with_capacity(total);
            while seen.len() < total {
                let e = tokio::time::timeout(Duration::from_secs(30), sub.next())
                    .await
                    .map_err(|_| {
                        format!(
                            "reader saw {} of {total} events, then nothing for 30 s",
                            seen.len()
                        )
                    })?
                    .map_err(store_err("reader"))?;
                if ns.contains(&e) {
                    seen.push(e);
                }
            }
            Ok::<_, String>(seen)
        })
    };
    let writers = (0..WRITERS).map(|w| {
        let store = store.clone();
        let ns = ns.clone();
        tokio::spawn(async move {
            let mut ids = Vec::with_capacity(APPENDS);
            for i in 0..APPENDS {
                let e = events(1, &format!("w{w}-{i}"));
                ids.push(e[0].event_id);
                store
                    .append(
                        &ns.stream(&format!("s{}", (w + i) % STREAMS)),
                        ExpectedVersion::Any,
                        &e,
                    )
                    .await?;
            }
            Ok::<_, StoreError>(ids)
        })
    });
    let mut written: HashSet<Uuid> = HashSet::from([]);
    for r in futures::future::join_all(writers).await {
        written.extend(r.map_err(|e| e.to_string())?.map_err(store_err("writer"))?);
    }
    let seen = reader.await.map_err(|e| e.to_string())??;

    let mut ids = HashSet::new();
    let mut versions: HashMap<_, u64> = HashMap::new();
    for (i, e) in seen.iter().enumerate() {
        ensure!(
            ids.insert(e.event_id),
            "reader saw event {} twice",
            e.event_id
        );
        if i > 0 {
            ensure!(
                e.position > seen[i - 1].position,
                "reader saw position {} after {}",
                e.position,
                seen[i - 1].position
            );
        }
        let next = versions.entry(e.stream.clone()).or_insert(0);
        ensure!(
            e.stream_version == *next,
            "reader saw {} version {} before version {next}",
            e.stream,
            e.stream_version
        );
        *next += 1;
    }
    ensure!(
        written.iter().all(|id| ids.contains(id)),
        "reader missed acknowledged events"
    );
    let again = read_namespace(store.as_ref(), &ns, marker.first_position).await?;
    ensure!(
        again.len() == seen.len(),
        "a later full read finds {} events, the live reader saw {}: events were skipped",
        again.len(),
        seen.len()
    );
    ensure!(
        again
            .iter()
            .zip(&seen)
            .all(|(a, b)| a.event_id == b.event_id && a.position == b.position),
        "a later full read gives another order than the live reader saw"
    );
    Ok(())
}

/// A log built elsewhere, with its own ids, recorded-at times and hashes, is imported as is;
/// importing it again writes nothing; the imported streams accept ordinary appends after.
pub async fn import_keeps_ids_times_and_hashes(
    store: Arc<dyn EventStore>,
    ns: Namespace,
) -> CheckResult {
    let a = ns.stream("imported-a");
    let b = ns.stream("imported-b");
    let t = |y, m, d| {
        Utc.with_ymd_and_hms(y, m, d, 10, 30, 0)
            .single()
            .expect("valid date")
            + chrono::Duration::microseconds(123_456)
    };
    let mut log = seal(&a, None, &events(2, "a"), t(2020, 3, 14));
    log.extend(seal(&b, None, &events(1, "b"), t(2021, 4, 1)));
    let head_a = event_store::append::StreamHead {
        version: 1,
        hash: log[1].hash,
    };
    log.extend(seal(&a, Some(head_a), &events(1, "a2"), t(2024, 1, 19)));

    let outcome = store.import(&log).await.map_err(store_err("import"))?;
    ensure!(
        outcome.imported == 4 && outcome.already_present == 0,
        "first import: {outcome:?}"
    );
    let again = store
        .import(&log)
        .await
        .map_err(store_err("second import"))?;
    ensure!(
        again.imported == 0 && again.already_present == 4,
        "second import of the same events: {again:?}"
    );

    let read = read_namespace(store.as_ref(), &ns, Position::START).await?;
    ensure!(
        read.len() == 4,
        "import wrote {} events, expected 4",
        read.len()
    );
    for (got, sent) in read.iter().zip(&log) {
        ensure!(
            got.event_id == sent.event_id
                && got.stream == sent.stream
                && got.stream_version == sent.stream_version,
            "imported event {} changed identity or order",
            sent.event_id
        );
        ensure!(
            got.recorded_at == sent.recorded_at,
            "recorded-at changed from {} to {}",
            sent.recorded_at,
            got.recorded_at
        );
        ensure!(
            got.hash == sent.hash && got.payload == sent.payload && got.metadata == sent.metadata,
            "imported event {} changed bytes or hash",
            sent.event_id
        );
    }
    let next = store
        .append(&a, ExpectedVersion::Exact(2), &events(1, "after-import"))
        .await
        .map_err(store_err("append after import"))?;
    ensure!(
        next.first_version == 3,
        "append after import got version {}",
        next.first_version
    );
    let tail = store
        .read_stream(&a, 3, 1)
        .await
        .map_err(store_err("read_stream"))?;
    ensure!(
        tail.first()
            .is_some_and(|e| e.hash == expected_hash(e, &log[3].hash)),
        "an append after import does not chain to the imported head"
    );
    Ok(())
}

/// An import whose chain does not hold is refused whole, naming the first bad event.
pub async fn import_refuses_a_broken_chain(
    store: Arc<dyn EventStore>,
    ns: Namespace,
) -> CheckResult {
    let s = ns.stream("broken");
    let good = seal(&s, None, &events(3, "g"), Utc::now());

    let mut tampered = good.clone();
    tampered[1].payload = b"{\"label\":\"forged\"}".to_vec();
    match store.import(&tampered).await {
        Err(StoreError::ImportChainBroken {
            event_id, version, ..
        }) if event_id == good[1].event_id && version == 1 => {}
        other => {
            return Err(format!(
                "a forged payload should be refused at version 1, got {other:?}"
            ));
        }
    }
    let gap = vec![good[0].clone(), good[2].clone()];
    match store.import(&gap).await {
        Err(StoreError::ImportChainBroken { event_id, .. }) if event_id == good[2].event_id => {}
        other => {
            return Err(format!(
                "a missing version should be refused, got {other:?}"
            ));
        }
    }
    let read = store
        .read_stream(&s, 0, 10)
        .await
        .map_err(store_err("read_stream"))?;
    ensure!(
        read.is_empty(),
        "refused imports wrote {} events",
        read.len()
    );
    Ok(())
}

/// The hash chains of events written through every path verify.
pub async fn chains_verify(store: Arc<dyn EventStore>, ns: Namespace) -> CheckResult {
    let mut start = None;
    for i in 0..30 {
        let o = store
            .append(
                &ns.stream(&format!("v{}", i % 4)),
                ExpectedVersion::Any,
                &events(1 + i % 3, &format!("v{i}")),
            )
            .await
            .map_err(store_err("append"))?;
        start.get_or_insert(o.first_position);
    }
    let log = read_namespace(store.as_ref(), &ns, start.unwrap_or(Position::START)).await?;
    let mut verifier = ChainVerifier::new();
    for e in &log {
        verifier
            .check(e)
            .map_err(|f| format!("chain does not verify: {f}"))?;
    }
    let report = verifier.finish().map_err(|f| f.to_string())?;
    ensure!(
        report.heads.len() == 4,
        "{} streams verified, expected 4",
        report.heads.len()
    );
    ensure!(
        report.events == log.len() as u64,
        "verified {} of {} events",
        report.events,
        log.len()
    );
    Ok(())
}
