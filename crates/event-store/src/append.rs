//! The append and import rules every adapter applies, in one place.
//!
//! An adapter reads what it needs inside its own transaction (the stream head, events already
//! stored under the batch's ids), asks these functions what to do, and writes the result. That
//! keeps expected-version semantics, idempotent retries and chain sealing identical across
//! SQLite, PostgreSQL, KurrentDB and memory.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::error::StoreError;
use crate::hash::{EventHash, HashedFields, expected_hash};
use crate::types::{
    AppendOutcome, ExpectedVersion, NewEvent, Position, RecordedEvent, StreamName, time_to_micros,
    truncate_to_micros,
};

/// The last event of a stream: what the next append is checked against and chained to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamHead {
    pub version: u64,
    pub hash: EventHash,
}

/// Refuses an empty batch, or one that names the same event id twice.
///
/// # Errors
/// [`StoreError::InvalidRequest`].
pub fn check_batch(events: &[NewEvent]) -> Result<(), StoreError> {
    if events.is_empty() {
        return Err(StoreError::InvalidRequest(
            "an append needs at least one event".into(),
        ));
    }
    let mut seen = HashSet::with_capacity(events.len());
    for e in events {
        if !seen.insert(e.event_id) {
            return Err(StoreError::InvalidRequest(format!(
                "event id {} appears twice in one append",
                e.event_id
            )));
        }
    }
    Ok(())
}

/// Checks `expected` against the version of the stream's last event (`None`: no stream).
///
/// # Errors
/// [`StoreError::WrongExpectedVersion`] naming expected and actual.
pub fn check_expected(
    stream: &StreamName,
    expected: ExpectedVersion,
    actual: Option<u64>,
) -> Result<(), StoreError> {
    let ok = match expected {
        ExpectedVersion::Any => true,
        ExpectedVersion::NoStream => actual.is_none(),
        ExpectedVersion::StreamExists => actual.is_some(),
        ExpectedVersion::Exact(v) => actual == Some(v),
    };
    if ok {
        Ok(())
    } else {
        Err(StoreError::WrongExpectedVersion {
            stream: stream.clone(),
            expected,
            actual,
        })
    }
}

/// Gives each new event its stream version, recorded-at time and chained hash. Positions are
/// left at zero for the adapter to fill in as it writes.
pub fn seal(
    stream: &StreamName,
    head: Option<StreamHead>,
    events: &[NewEvent],
    recorded_at: DateTime<Utc>,
) -> Vec<RecordedEvent> {
    let recorded_at = truncate_to_micros(recorded_at);
    let recorded_at_micros = time_to_micros(recorded_at);
    let mut previous = head.map_or(EventHash::GENESIS, |h| h.hash);
    let first_version = head.map_or(0, |h| h.version + 1);
    let mut sealed = Vec::with_capacity(events.len());
    for (version, e) in (first_version..).zip(events) {
        let hash = HashedFields {
            event_id: e.event_id,
            stream,
            stream_version: version,
            event_type: &e.event_type,
            schema_version: e.schema_version,
            recorded_at_micros,
            payload: &e.payload,
            metadata: &e.metadata,
        }
        .hash(&previous);
        sealed.push(RecordedEvent {
            event_id: e.event_id,
            stream: stream.clone(),
            stream_version: version,
            position: Position(0),
            event_type: e.event_type.clone(),
            schema_version: e.schema_version,
            recorded_at,
            payload: e.payload.clone(),
            metadata: e.metadata.clone(),
            hash,
        });
        previous = hash;
    }
    sealed
}

/// The outcome of an append whose events are `written`, in order.
pub fn outcome_of(written: &[RecordedEvent]) -> Option<AppendOutcome> {
    let (first, last) = (written.first()?, written.last()?);
    Some(AppendOutcome {
        first_version: first.stream_version,
        last_version: last.stream_version,
        first_position: first.position,
        last_position: last.position,
    })
}

/// Whether an append is a retry of one that already succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Retry {
    /// None of the batch's ids is stored: go on with the append.
    NotARetry,
    /// The same append was already written: answer with its original outcome, write nothing.
    AlreadyAppended(AppendOutcome),
}

/// Decides whether `events` were already appended to `stream`, given the stored events that
/// carry any of their ids (in any order).
///
/// # Errors
/// [`StoreError::EventIdConflict`] when some ids are stored but not as exactly this append
/// (other stream, other content, only part of the batch, other order).
pub fn match_retry(
    stream: &StreamName,
    events: &[NewEvent],
    stored: &[RecordedEvent],
) -> Result<Retry, StoreError> {
    if stored.is_empty() {
        return Ok(Retry::NotARetry);
    }
    let conflict = |event_id, detail: String| StoreError::EventIdConflict { event_id, detail };
    let mut stored: Vec<&RecordedEvent> = stored.iter().collect();
    stored.sort_by_key(|e| (e.stream.clone(), e.stream_version));
    if stored.len() != events.len() {
        return Err(conflict(
            stored[0].event_id,
            format!(
                "{} of the {} events of this append are already stored",
                stored.len(),
                events.len()
            ),
        ));
    }
    for (i, (new, old)) in events.iter().zip(&stored).enumerate() {
        if old.event_id != new.event_id {
            return Err(conflict(new.event_id, "stored in another order".into()));
        }
        if &old.stream != stream {
            return Err(conflict(
                new.event_id,
                format!("stored in stream {}", old.stream),
            ));
        }
        if i > 0 && old.stream_version != stored[i - 1].stream_version + 1 {
            return Err(conflict(
                new.event_id,
                "stored by more than one append".into(),
            ));
        }
        if old.event_type != new.event_type
            || old.schema_version != new.schema_version
            || old.payload != new.payload
            || old.metadata != new.metadata
        {
            return Err(conflict(new.event_id, "stored with other content".into()));
        }
    }
    let owned: Vec<RecordedEvent> = stored.into_iter().cloned().collect();
    Ok(Retry::AlreadyAppended(
        outcome_of(&owned).expect("non-empty"),
    ))
}

/// What to do with one imported event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStep {
    /// It continues its stream's chain: write it.
    Write,
    /// It is stored already, identically: skip it.
    AlreadyPresent,
}

/// Checks one imported event against the stream's current head and against an event already
/// stored under the same id, if any.
///
/// # Errors
/// [`StoreError::ImportChainBroken`] naming the event and what is wrong.
pub fn check_import(
    event: &RecordedEvent,
    head: Option<StreamHead>,
    stored_with_same_id: Option<&RecordedEvent>,
) -> Result<ImportStep, StoreError> {
    let broken = |reason: String| StoreError::ImportChainBroken {
        stream: event.stream.clone(),
        version: event.stream_version,
        event_id: event.event_id,
        reason,
    };
    if let Some(old) = stored_with_same_id {
        return if old.stream == event.stream
            && old.stream_version == event.stream_version
            && old.hash == event.hash
        {
            Ok(ImportStep::AlreadyPresent)
        } else {
            Err(broken(format!(
                "its id is already stored as {} version {}",
                old.stream, old.stream_version
            )))
        };
    }
    if truncate_to_micros(event.recorded_at) != event.recorded_at {
        return Err(broken(
            "recorded-at has more than microsecond precision".into(),
        ));
    }
    let next_version = head.map_or(0, |h| h.version + 1);
    if event.stream_version != next_version {
        return Err(broken(format!(
            "the stream's next version is {next_version}"
        )));
    }
    let previous = head.map_or(EventHash::GENESIS, |h| h.hash);
    if expected_hash(event, &previous) != event.hash {
        return Err(broken(
            "its hash does not match its bytes and the previous event".into(),
        ));
    }
    Ok(ImportStep::Write)
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::types::EventMetadata;

    fn stream() -> StreamName {
        StreamName::parse("s-1").unwrap()
    }

    fn new_event(n: u128) -> NewEvent {
        let meta = EventMetadata {
            actor_id: "tester".into(),
            actor_role: "staff".into(),
            correlation_id: Uuid::nil(),
            causation_id: None,
            reason: None,
            proposed: None,
        };
        NewEvent::new(
            Uuid::from_u128(n),
            "Happened",
            1,
            &serde_json::json!({ "n": n as u64 }),
            &meta,
        )
        .unwrap()
    }

    #[test]
    fn expected_version_cases() {
        let s = stream();
        for (expected, actual, ok) in [
            (ExpectedVersion::Any, None, true),
            (ExpectedVersion::Any, Some(3), true),
            (ExpectedVersion::NoStream, None, true),
            (ExpectedVersion::NoStream, Some(0), false),
            (ExpectedVersion::StreamExists, None, false),
            (ExpectedVersion::StreamExists, Some(0), true),
            (ExpectedVersion::Exact(2), Some(2), true),
            (ExpectedVersion::Exact(2), Some(3), false),
            (ExpectedVersion::Exact(0), None, false),
        ] {
            assert_eq!(
                check_expected(&s, expected, actual).is_ok(),
                ok,
                "{expected:?} vs {actual:?}"
            );
        }
        assert_eq!(
            check_expected(&s, ExpectedVersion::Exact(1), Some(4)),
            Err(StoreError::WrongExpectedVersion {
                stream: s,
                expected: ExpectedVersion::Exact(1),
                actual: Some(4)
            })
        );
    }

    #[test]
    fn batches_must_be_non_empty_with_unique_ids() {
        assert!(check_batch(&[]).is_err());
        assert!(check_batch(&[new_event(1), new_event(1)]).is_err());
        assert!(check_batch(&[new_event(1), new_event(2)]).is_ok());
    }

    #[test]
    fn sealing_chains_versions_and_hashes() {
        let first = seal(&stream(), None, &[new_event(1), new_event(2)], Utc::now());
        assert_eq!(first[0].stream_version, 0);
        assert_eq!(first[1].stream_version, 1);
        assert_eq!(first[0].hash, expected_hash(&first[0], &EventHash::GENESIS));
        assert_eq!(first[1].hash, expected_hash(&first[1], &first[0].hash));
        let head = StreamHead {
            version: 1,
            hash: first[1].hash,
        };
        let next = seal(&stream(), Some(head), &[new_event(3)], Utc::now());
        assert_eq!(next[0].stream_version, 2);
        assert_eq!(
            check_import(&next[0], Some(head), None),
            Ok(ImportStep::Write)
        );
        assert!(check_import(&next[0], None, None).is_err());
    }

    #[test]
    fn retries_are_recognised_and_partial_overlaps_refused() {
        let events = [new_event(1), new_event(2)];
        let mut stored = seal(&stream(), None, &events, Utc::now());
        stored[0].position = Position(10);
        stored[1].position = Position(11);
        assert_eq!(match_retry(&stream(), &events, &[]), Ok(Retry::NotARetry));
        let reversed = [stored[1].clone(), stored[0].clone()];
        assert_eq!(
            match_retry(&stream(), &events, &reversed),
            Ok(Retry::AlreadyAppended(AppendOutcome {
                first_version: 0,
                last_version: 1,
                first_position: Position(10),
                last_position: Position(11)
            }))
        );
        assert!(match_retry(&stream(), &events, &stored[..1]).is_err());
        let mut other = events.clone();
        other[1].payload = b"{}".to_vec();
        assert!(match_retry(&stream(), &other, &stored).is_err());
        let elsewhere = StreamName::parse("s-2").unwrap();
        assert!(match_retry(&elsewhere, &events, &stored).is_err());
    }

    #[test]
    fn import_of_a_stored_event_is_skipped_only_when_identical() {
        let stored = seal(&stream(), None, &[new_event(1)], Utc::now());
        assert_eq!(
            check_import(&stored[0], None, Some(&stored[0])),
            Ok(ImportStep::AlreadyPresent)
        );
        let mut tampered = stored[0].clone();
        tampered.payload = b"{}".to_vec();
        assert!(
            check_import(&tampered, None, None).is_err(),
            "hash no longer matches"
        );
    }
}
