//! A model of the KurrentDB server, for tests: what the adapter relies on, as read in the
//! server's source (see the crate docs), and nothing more.
//!
//! - An append of N events writes N self-committed records at increasing, non-dense log
//!   positions; each event's `$all` position is `(L, L)`; the answer names the last one.
//! - An append is accepted only if the stream is in the state sent; a repeat of the same ids
//!   at the same expected revision is answered with the original result (KurrentDB's own
//!   idempotency), a partial repeat is a conflict; a conflict names the current revision.
//! - Stream reads carry the events' `$all` positions (as from EventStoreDB 22.6 on); a stream
//!   that does not exist is `ResourceNotFound`.
//! - `$all` reads start inclusively and only where a record starts; elsewhere the server
//!   answers "invalid position". System events (`$…` streams, `$…` types) and other
//!   applications' events are interleaved with ours, as on a real cluster.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use event_store::Position;
use kurrentdb::{CurrentRevision, StreamState, WriteResult};
use tokio::sync::watch;
use uuid::Uuid;

use crate::backend::{Backend, StreamRead};
use crate::mapping::{Outgoing, RawEvent};
use crate::position::{AllPosition, to_position};

#[derive(Default)]
struct State {
    log: Vec<RawEvent>,
    starts: BTreeSet<u64>,
    streams: HashMap<String, Vec<usize>>,
    next: u64,
    appends: u64,
}

impl State {
    fn record(
        &mut self,
        stream: &str,
        event_id: Uuid,
        event_type: &str,
        data: Vec<u8>,
        custom: Vec<u8>,
    ) -> AllPosition {
        let l = self.next;
        // A record's size: a header plus its variable parts, so positions are far from dense.
        self.next += 80 + (stream.len() + event_type.len() + data.len() + custom.len()) as u64;
        let revision = self.streams.get(stream).map_or(0, |v| v.len() as u64);
        let position = AllPosition {
            commit: l,
            prepare: l,
        };
        self.starts.insert(l);
        self.streams
            .entry(stream.to_owned())
            .or_default()
            .push(self.log.len());
        self.log.push(RawEvent {
            stream: stream.to_owned(),
            revision,
            event_id,
            event_type: event_type.to_owned(),
            data,
            custom_metadata: custom,
            position,
        });
        position
    }

    /// What other users of a cluster write between Dossier's appends.
    fn noise(&mut self) {
        let n = self.appends;
        self.record(
            "$stats-127.0.0.1:2113",
            Uuid::now_v7(),
            "$statsCollected",
            b"{}".to_vec(),
            Vec::new(),
        );
        self.record(
            "billing-7",
            Uuid::now_v7(),
            "InvoiceSent",
            format!("{{\"n\":{n}}}").into_bytes(),
            br#"{"$correlationId":"c"}"#.to_vec(),
        );
        self.record(
            "billing-by-day",
            Uuid::now_v7(),
            "$>",
            b"0@billing-7".to_vec(),
            Vec::new(),
        );
    }

    fn revision(&self, stream: &str) -> Option<u64> {
        self.streams.get(stream).map(|v| v.len() as u64 - 1)
    }
}

pub(crate) struct ModelServer {
    state: Mutex<State>,
    head: watch::Sender<u64>,
}

impl ModelServer {
    pub fn new() -> Self {
        let mut state = State {
            next: 64,
            ..State::default()
        };
        state.noise();
        Self {
            state: Mutex::new(state),
            head: watch::channel(0).0,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait]
impl Backend for ModelServer {
    async fn read_stream(
        &self,
        stream: &str,
        read: StreamRead,
        count: usize,
    ) -> kurrentdb::Result<Vec<RawEvent>> {
        let state = self.lock();
        let indices = state
            .streams
            .get(stream)
            .ok_or(kurrentdb::Error::ResourceNotFound)?;
        let pick = |&i: &usize| state.log[i].clone();
        Ok(match read {
            StreamRead::Forward { from, .. } => indices
                .iter()
                .skip(usize::try_from(from).unwrap_or(usize::MAX))
                .take(count)
                .map(pick)
                .collect(),
            StreamRead::Tail => indices.iter().rev().take(count).map(pick).collect(),
        })
    }

    async fn append(
        &self,
        stream: &str,
        state: StreamState,
        events: Vec<Outgoing>,
    ) -> kurrentdb::Result<WriteResult> {
        // Let other tasks run between the adapter's head read and its write, as a network does.
        tokio::task::yield_now().await;
        let mut s = self.lock();
        let current = s.revision(stream);
        let first = match state {
            StreamState::NoStream => Some(0),
            StreamState::StreamRevision(v) => Some(v + 1),
            StreamState::Any | StreamState::StreamExists => None,
        };
        if let Some(first) = first {
            let stored: Vec<&RawEvent> = s.streams.get(stream).map_or(Vec::new(), |v| {
                v.iter()
                    .skip(first as usize)
                    .take(events.len())
                    .map(|&i| &s.log[i])
                    .collect()
            });
            let same = stored
                .iter()
                .zip(&events)
                .filter(|(a, b)| a.event_id == b.event_id)
                .count();
            if same == events.len() {
                let last = stored.last().expect("non-empty append");
                return Ok(WriteResult {
                    next_expected_version: last.revision,
                    position: last.position.to_client(),
                });
            }
        }
        let ok = match state {
            StreamState::Any => true,
            StreamState::NoStream => current.is_none(),
            StreamState::StreamExists => current.is_some(),
            StreamState::StreamRevision(v) => current == Some(v),
        };
        if !ok {
            return Err(kurrentdb::Error::WrongExpectedVersion {
                expected: state,
                current: current.map_or(CurrentRevision::NoStream, CurrentRevision::Current),
            });
        }
        s.appends += 1;
        if s.appends.is_multiple_of(3) {
            s.noise();
        }
        let mut last = None;
        for e in events {
            last = Some(s.record(stream, e.event_id, &e.event_type, e.data, e.custom_metadata));
        }
        let last = last.expect("the adapter never sends an empty append");
        let revision = s.revision(stream).expect("just written");
        if let Ok(Position(p)) = to_position(last) {
            self.head.send_replace(p);
        }
        Ok(WriteResult {
            next_expected_version: revision,
            position: last.to_client(),
        })
    }

    async fn read_all(
        &self,
        from: Option<AllPosition>,
        count: usize,
    ) -> kurrentdb::Result<Vec<RawEvent>> {
        let s = self.lock();
        if let Some(p) = from
            && !s.starts.contains(&p.commit)
        {
            return Err(kurrentdb::Error::ServerError(
                "status: Unknown, message: \"Trying to read from an invalid position.\"".into(),
            ));
        }
        Ok(s.log
            .iter()
            .filter(|e| from.is_none_or(|p| e.position >= p))
            .filter(|e| !e.stream.starts_with('$'))
            .take(count)
            .cloned()
            .collect())
    }

    async fn probe(&self) -> kurrentdb::Result<()> {
        Ok(())
    }

    async fn wait_for_events(&self, from: Position, timeout: Duration) {
        let mut rx = self.head.subscribe();
        let _ = tokio::time::timeout(timeout, rx.wait_for(|&p| p >= from.0)).await;
    }

    fn failed(&self, _e: &kurrentdb::Error) {}
}
