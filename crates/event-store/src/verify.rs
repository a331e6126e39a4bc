//! Log verification: every chain intact, and a digest that pins the whole log.
//!
//! The digest is one SHA-256 over every stream's (name, head version, head hash), sorted by
//! name. Two stores holding the same log print the same digest. A digest list written earlier
//! (`--digest-out`) can be checked later (`--against`): every listed stream must still have that
//! hash at that version, so a log can only have grown since.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::append::StreamHead;
use crate::error::StoreError;
use crate::hash::{EventHash, expected_hash};
use crate::pages::ReadPages;
use crate::port::EventStore;
use crate::types::{Position, RecordedEvent, StreamName};

/// The first place where the log fails verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyFailure {
    pub stream: StreamName,
    /// `None` when the failure concerns a whole stream (e.g. a listed head that is gone).
    pub version: Option<u64>,
    pub event_id: Option<Uuid>,
    pub problem: String,
}

impl fmt::Display for VerifyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stream={}", self.stream)?;
        if let Some(v) = self.version {
            write!(f, " version={v}")?;
        }
        if let Some(id) = self.event_id {
            write!(f, " event={id}")?;
        }
        write!(f, ": {}", self.problem)
    }
}

/// Why verification did not finish with a clean report.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("verify: FAILED {0}")]
    Failed(VerifyFailure),
    #[error("verify: could not read the log: {0}")]
    Store(#[from] StoreError),
}

/// A verified log: counts, the head of every stream and the digest over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub events: u64,
    pub last_position: Option<Position>,
    pub heads: BTreeMap<StreamName, StreamHead>,
}

impl VerifyReport {
    /// The digest over every stream's (name, head version, head hash).
    pub fn digest(&self) -> String {
        digest_of(self.heads.iter().map(|(s, h)| (s, h.version, &h.hash)))
    }

    /// The list the digest is computed over, for `--digest-out`.
    pub fn digest_list(&self) -> DigestList {
        DigestList(
            self.heads
                .iter()
                .map(|(s, h)| (s.clone(), h.version, h.hash))
                .collect(),
        )
    }

    /// The line `dossier verify` prints.
    pub fn summary_line(&self) -> String {
        format!(
            "verify: ok events={} streams={} digest={}",
            self.events,
            self.heads.len(),
            self.digest()
        )
    }
}

fn digest_of<'a>(heads: impl Iterator<Item = (&'a StreamName, u64, &'a EventHash)>) -> String {
    let mut h = Sha256::new();
    for (stream, version, hash) in heads {
        h.update((stream.as_str().len() as u64).to_be_bytes());
        h.update(stream.as_str().as_bytes());
        h.update(version.to_be_bytes());
        h.update(hash.0);
    }
    hex::encode(h.finalize())
}

/// Stream heads as written by `--digest-out`: one `stream<TAB>version<TAB>hash` line each,
/// sorted by stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestList(pub Vec<(StreamName, u64, EventHash)>);

impl DigestList {
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (s, v, h) in &self.0 {
            out.push_str(&format!("{s}\t{v}\t{h}\n"));
        }
        out
    }

    /// # Errors
    /// Names the first line that is not `stream<TAB>version<TAB>hash`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut entries = Vec::new();
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let bad = |why: &str| format!("digest list line {}: {why}", n + 1);
            let mut parts = line.split('\t');
            let (Some(s), Some(v), Some(h), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(bad("expected stream, version and hash separated by tabs"));
            };
            let stream = StreamName::parse(s).map_err(|e| bad(&e.0))?;
            let version = v.parse().map_err(|_| bad("version is not a number"))?;
            let hash = EventHash::from_hex(h).map_err(|e| bad(&e))?;
            entries.push((stream, version, hash));
        }
        Ok(Self(entries))
    }

    /// The digest over this list (the same as the report's it was written from).
    pub fn digest(&self) -> String {
        let mut sorted: Vec<_> = self.0.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        digest_of(sorted.into_iter().map(|(s, v, h)| (s, *v, h)))
    }
}

/// Checks events one at a time, in global order: each stream's versions are dense from 0,
/// each hash matches the event's bytes and the previous hash, positions only go up.
#[derive(Debug, Default)]
pub struct ChainVerifier {
    heads: HashMap<StreamName, StreamHead>,
    events: u64,
    last_position: Option<Position>,
    /// Heads from an earlier digest list that must still be in the log: (stream, version) →
    /// hash. Entries are removed as they are confirmed.
    pinned: HashMap<(StreamName, u64), EventHash>,
}

impl ChainVerifier {
    pub fn new() -> Self {
        Self::default()
    }

    /// Also checks that the log still extends `earlier`.
    pub fn against(earlier: &DigestList) -> Self {
        let pinned = earlier
            .0
            .iter()
            .map(|(s, v, h)| ((s.clone(), *v), *h))
            .collect::<HashMap<_, _>>();
        Self {
            pinned,
            ..Self::default()
        }
    }

    /// # Errors
    /// The failure for the first event that breaks its chain or an earlier digest.
    pub fn check(&mut self, event: &RecordedEvent) -> Result<(), VerifyFailure> {
        let fail = |problem: String| VerifyFailure {
            stream: event.stream.clone(),
            version: Some(event.stream_version),
            event_id: Some(event.event_id),
            problem,
        };
        if let Some(last) = self.last_position
            && event.position <= last
        {
            return Err(fail(format!(
                "position {} is not after {last}",
                event.position
            )));
        }
        let head = self.heads.get(&event.stream).copied();
        let next_version = head.map_or(0, |h| h.version + 1);
        if event.stream_version != next_version {
            return Err(fail(format!(
                "expected version {next_version}: an event is missing or out of place"
            )));
        }
        let previous = head.map_or(EventHash::GENESIS, |h| h.hash);
        if expected_hash(event, &previous) != event.hash {
            return Err(fail(
                "its bytes or its link to the previous event do not match its hash".into(),
            ));
        }
        if let Some(pinned) = self
            .pinned
            .remove(&(event.stream.clone(), event.stream_version))
            && pinned != event.hash
        {
            return Err(fail(format!(
                "the earlier digest has hash {pinned} at this version"
            )));
        }
        self.heads.insert(
            event.stream.clone(),
            StreamHead {
                version: event.stream_version,
                hash: event.hash,
            },
        );
        self.events += 1;
        self.last_position = Some(event.position);
        Ok(())
    }

    /// The report once every event has been checked.
    ///
    /// # Errors
    /// When a head of the earlier digest list never came by: its stream lost events.
    pub fn finish(self) -> Result<VerifyReport, VerifyFailure> {
        if let Some(((stream, version), _)) = self.pinned.iter().min_by(|a, b| a.0.cmp(b.0)) {
            let now = self.heads.get(stream).map(|h| h.version);
            return Err(VerifyFailure {
                stream: stream.clone(),
                version: None,
                event_id: None,
                problem: match now {
                    None => format!(
                        "the earlier digest has this stream at version {version}, but the stream is gone"
                    ),
                    Some(v) => format!(
                        "the earlier digest has this stream at version {version}, but it now ends at version {v}"
                    ),
                },
            });
        }
        Ok(VerifyReport {
            events: self.events,
            last_position: self.last_position,
            heads: self.heads.into_iter().collect(),
        })
    }
}

/// Reads the whole log of `store` in pages and verifies it; `progress` is told the number of
/// events checked after each page.
///
/// # Errors
/// [`VerifyError::Failed`] for the first failure, [`VerifyError::Store`] when reading fails.
pub async fn verify_store(
    store: &dyn EventStore,
    against: Option<&DigestList>,
    mut progress: impl FnMut(u64) + Send,
) -> Result<VerifyReport, VerifyError> {
    const PAGE: usize = 4096;
    // The chain covers the bytes as stored, not as a view opens them.
    let store = store.as_stored().unwrap_or(store);
    let mut verifier = against.map_or_else(ChainVerifier::new, ChainVerifier::against);
    let mut pages = store.log_pages(Position::START, PAGE);
    while let Some(page) = pages.next_page().await? {
        for event in &page {
            verifier.check(event).map_err(VerifyError::Failed)?;
        }
        progress(verifier.events);
    }
    verifier.finish().map_err(VerifyError::Failed)
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::append::seal;
    use crate::types::{EventMetadata, NewEvent};

    fn log() -> Vec<RecordedEvent> {
        let meta = EventMetadata {
            actor_id: "t".into(),
            actor_role: "staff".into(),
            correlation_id: Uuid::nil(),
            causation_id: None,
            reason: None,
            proposed: None,
        };
        let ev = |n: u128| {
            NewEvent::new(
                Uuid::from_u128(n),
                "E",
                1,
                &serde_json::json!({"n": n as u64}),
                &meta,
            )
            .unwrap()
        };
        let a = StreamName::parse("a").unwrap();
        let b = StreamName::parse("b").unwrap();
        let mut out = seal(&a, None, &[ev(1), ev(2)], Utc::now());
        out.extend(seal(&b, None, &[ev(3)], Utc::now()));
        for (i, e) in out.iter_mut().enumerate() {
            e.position = Position(i as u64 + 1);
        }
        out
    }

    fn run(
        events: &[RecordedEvent],
        against: Option<&DigestList>,
    ) -> Result<VerifyReport, VerifyFailure> {
        let mut v = against.map_or_else(ChainVerifier::new, ChainVerifier::against);
        for e in events {
            v.check(e)?;
        }
        v.finish()
    }

    #[test]
    fn intact_log_verifies_and_digest_is_order_independent() {
        let report = run(&log(), None).unwrap();
        assert_eq!(report.events, 3);
        assert_eq!(report.heads.len(), 2);
        let list = report.digest_list();
        assert_eq!(DigestList::parse(&list.to_text()).unwrap(), list);
        let mut reversed = list.clone();
        reversed.0.reverse();
        assert_eq!(reversed.digest(), report.digest());
    }

    #[test]
    fn a_changed_byte_is_named() {
        let mut events = log();
        events[1].payload[2] ^= 1;
        let failure = run(&events, None).unwrap_err();
        assert_eq!(failure.event_id, Some(events[1].event_id));
        assert_eq!(failure.version, Some(1));
    }

    #[test]
    fn a_missing_middle_event_breaks_the_chain() {
        let mut events = log();
        events.remove(0);
        let failure = run(&events, None).unwrap_err();
        assert_eq!(failure.stream.as_str(), "a");
    }

    #[test]
    fn a_truncated_stream_fails_against_an_earlier_digest() {
        let events = log();
        let earlier = run(&events, None).unwrap().digest_list();
        let truncated: Vec<_> = events
            .iter()
            .filter(|e| e.event_id != Uuid::from_u128(2))
            .cloned()
            .collect();
        // Still a valid log on its own…
        assert!(run(&truncated, None).is_ok());
        // …but not an extension of the earlier one.
        let failure = run(&truncated, Some(&earlier)).unwrap_err();
        assert_eq!(failure.stream.as_str(), "a");
        assert_eq!(failure.version, None);
    }
}
