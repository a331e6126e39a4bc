//! The executor: runs a command against one stream (load the folded state, decide, append with
//! the version decided on, decide again on a conflict) and attaches the event metadata.

use std::collections::HashMap;
use std::sync::Arc;

use event_store::{
    EventMetadata, EventStore, ExpectedVersion, InvalidEvent, NewEvent, ReadPages, RecordedEvent,
    StoreError, StreamName,
};
use tokio::sync::Mutex;
use uuid::Uuid;

/// How one kind of stream is read and folded: decoding (with upcasting) of stored events and
/// the pure `evolve` of the domain.
pub trait StreamModel: Send + Sync + 'static {
    type State: Clone + Default + Send + Sync + 'static;
    type Event: Send + Sync;

    /// Decodes a stored event, upcasting older schema versions.
    ///
    /// # Errors
    /// When the stored event is not one of this stream's (a bug or a corrupt log).
    fn decode(event: &RecordedEvent) -> Result<Self::Event, String>;

    /// The stable type name, schema version and JSON payload to store.
    ///
    /// # Errors
    /// When the event does not serialise.
    fn encode(event: &Self::Event) -> Result<(&'static str, u32, Vec<u8>), String>;

    /// Applies one fact to the state.
    fn evolve(state: Self::State, event: &Self::Event) -> Self::State;
}

/// Who acts and why: becomes the metadata of every event the command causes.
#[derive(Debug, Clone)]
pub struct WriteContext {
    pub actor_id: String,
    pub actor_role: String,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    pub reason: Option<String>,
    /// Set when the command is the confirmation of another user's proposal (four-eyes): the
    /// decider is told, and the metadata names the proposer beside the confirming actor.
    pub confirmation: Option<domain::four_eyes::Confirmation>,
}

impl WriteContext {
    /// The daily job and start-up tasks act as `system`.
    pub fn system(reason: impl Into<String>) -> Self {
        Self {
            actor_id: "system".into(),
            actor_role: "system".into(),
            correlation_id: Uuid::now_v7(),
            causation_id: None,
            reason: Some(reason.into()),
            confirmation: None,
        }
    }

    /// The context of a write by `actor`, its metadata strings taken from the actor itself.
    pub fn of(actor: domain::Actor, correlation_id: Uuid, reason: Option<String>) -> Self {
        Self {
            actor_id: actor.id_text(),
            actor_role: actor.kind_code().to_owned(),
            correlation_id,
            causation_id: None,
            reason,
            confirmation: None,
        }
    }

    /// This context with the reason `command` states (`domain::command_reasons`): the request's
    /// own reason (the daily job's, say) is kept when the command states none.
    pub fn with_reason_of<D: domain::Decider>(&self, command: &D::Command) -> Self {
        match D::reason(command) {
            Ok(Some(reason)) => Self {
                reason: Some(reason),
                ..self.clone()
            },
            _ => self.clone(),
        }
    }

    /// The correlation id of a request that carried an idempotency key: derived from the user,
    /// the key and the request, so a retry, even after a restart, has the same one. Version-5
    /// UUIDs mark such ids (ordinary correlation ids are version 7); the executor answers a
    /// retry with what the first request recorded instead of deciding it again.
    pub fn keyed_correlation_id(user: &str, key: &str, request_sha256: &[u8; 32]) -> Uuid {
        let mut name = Vec::with_capacity(user.len() + key.len() + 34);
        name.extend_from_slice(user.as_bytes());
        name.push(0);
        name.extend_from_slice(key.as_bytes());
        name.push(0);
        name.extend_from_slice(request_sha256);
        Uuid::new_v5(&IDEMPOTENCY_NAMESPACE, &name)
    }

    /// The context of a further write the same request makes in another step (releasing a
    /// claim it made): the same actor and reason, caused by this request, with a correlation
    /// of its own, so a keyed request's second write to a stream is never taken for a retry of
    /// its first (derived from the key as well, so a retry of the request names it again).
    pub fn next_step(&self, step: &str) -> Self {
        let correlation_id = if self.is_keyed() {
            Uuid::new_v5(&self.correlation_id, step.as_bytes())
        } else {
            Uuid::now_v7()
        };
        Self {
            correlation_id,
            causation_id: Some(self.correlation_id),
            ..self.clone()
        }
    }

    /// A new id for something this request creates (a dossier, a person): for a keyed request
    /// derived from its correlation id, so a retry names the same thing; otherwise fresh.
    pub fn new_id(&self, purpose: &str) -> Uuid {
        if self.is_keyed() {
            Uuid::new_v5(&self.correlation_id, purpose.as_bytes())
        } else {
            Uuid::now_v7()
        }
    }

    /// A new random number for this request (a sample's seed): for a keyed request derived from
    /// its correlation id, so a retry draws the same; otherwise fresh.
    pub fn new_seed(&self, purpose: &str) -> u64 {
        if self.is_keyed() {
            self.new_id(purpose).as_u64_pair().1
        } else {
            rand::random()
        }
    }

    fn is_keyed(&self) -> bool {
        is_keyed_correlation(self.correlation_id)
    }

    fn metadata(&self) -> EventMetadata {
        EventMetadata {
            actor_id: self.actor_id.clone(),
            actor_role: self.actor_role.clone(),
            correlation_id: self.correlation_id,
            causation_id: self.causation_id,
            reason: self.reason.clone(),
            proposed: self.confirmation.map(|c| event_store::Proposed {
                proposal_id: c.proposal.as_uuid(),
                actor_id: c.proposed_by.id_text(),
                actor_role: c.proposed_by.kind_code().to_owned(),
                proposed_on: c.proposed_on,
            }),
        }
    }
}

/// The namespace of [`WriteContext::keyed_correlation_id`] (a fixed random UUID).
const IDEMPOTENCY_NAMESPACE: Uuid = Uuid::from_u128(0x6b1e_57a2_0c4d_4f0e_9a53_2d1f_8e7c_4b90);

fn is_keyed_correlation(id: Uuid) -> bool {
    id.get_version_num() == 5
}

/// What a decider answered for the state it was shown.
#[derive(Debug)]
pub enum Decided<E, R> {
    /// These events happen (possibly none: the command changes nothing).
    Events(Vec<E>),
    /// The command is refused.
    Rejected(R),
}

/// What a command did.
#[derive(Debug, Clone)]
pub struct Executed<S> {
    /// The stream's state after the command.
    pub state: S,
    /// The version of the stream's last event after the command (`None`: still no stream).
    pub version: Option<u64>,
    /// Ids of the events written, in order (empty when the command changed nothing).
    pub event_ids: Vec<Uuid>,
}

/// Why a command did not complete.
#[derive(Debug, thiserror::Error)]
pub enum ExecuteError<R> {
    /// The domain refused the command; nothing was written.
    #[error("refused")]
    Rejected(R),
    /// The caller required a version of the stream that is no longer current (`If-Match`).
    #[error("stream {stream} is at version {actual:?}, not {expected:?}")]
    StaleVersion {
        stream: StreamName,
        expected: Option<u64>,
        actual: Option<u64>,
    },
    /// Other writers kept changing the stream; every attempt met a conflict.
    #[error("stream {stream} kept changing: gave up after {MAX_ATTEMPTS} attempts")]
    Contended { stream: StreamName },
    /// A stored event could not be read (a bug or a corrupt log).
    #[error("stream {stream} has an unreadable event at version {version}: {detail}")]
    Undecodable {
        stream: StreamName,
        version: u64,
        detail: String,
    },
    /// An event could not be encoded.
    #[error("cannot encode an event: {0}")]
    Unencodable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Attempts per command before giving up on a contended stream.
pub const MAX_ATTEMPTS: usize = 5;

/// A folded stream: its state and the version of the last event folded into it.
#[derive(Clone)]
struct Folded<S> {
    state: S,
    version: Option<u64>,
    /// What each keyed request (see [`WriteContext::keyed_correlation_id`]) recorded.
    keyed: HashMap<Uuid, KeyedCommand>,
}

impl<S: Default> Folded<S> {
    fn empty() -> Self {
        Self {
            state: S::default(),
            version: None,
            keyed: HashMap::new(),
        }
    }
}

/// The events a keyed request recorded in a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
struct KeyedCommand {
    last_version: u64,
    event_ids: Vec<Uuid>,
}

impl KeyedCommand {
    fn add(&mut self, version: u64, event_id: Uuid) {
        self.last_version = version;
        self.event_ids.push(event_id);
    }
}

/// Only the correlation id of stored metadata: all a stream's keyed requests need.
#[derive(serde::Deserialize)]
struct CorrelationOnly {
    correlation_id: Uuid,
}

/// Runs commands against streams of one model, caching each stream's folded state so a command
/// only reads the events recorded since its last use.
pub struct Executor<M: StreamModel> {
    store: Arc<dyn EventStore>,
    cache: Mutex<HashMap<StreamName, Folded<M::State>>>,
    /// Streams with more cached states than this are trimmed (the least recently useful go).
    capacity: usize,
}

impl<M: StreamModel> std::fmt::Debug for Executor<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Executor")
            .field("store", &self.store.describe())
            .finish_non_exhaustive()
    }
}

impl<M: StreamModel> Executor<M> {
    pub fn new(store: Arc<dyn EventStore>, capacity: usize) -> Self {
        Self {
            store,
            cache: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    /// The current state and version of a stream.
    ///
    /// # Errors
    /// When the store cannot be read or an event cannot be decoded.
    pub async fn load(
        &self,
        stream: &StreamName,
    ) -> Result<(M::State, Option<u64>), ExecuteError<std::convert::Infallible>> {
        let folded = self.refresh(stream).await.map_err(ExecuteError::cast)?;
        Ok((folded.state, folded.version))
    }

    /// Decides `decide` against the stream's current state and appends what it decides.
    ///
    /// `required_version` is the version the caller last saw (`If-Match`); when given and no
    /// longer current, nothing is decided. Otherwise a conflict with another writer means the
    /// state is reloaded and `decide` asked again, up to [`MAX_ATTEMPTS`] times.
    ///
    /// # Errors
    /// See [`ExecuteError`]; in every case nothing of this command was written.
    pub async fn execute<R>(
        &self,
        stream: &StreamName,
        required_version: Option<Option<u64>>,
        context: &WriteContext,
        mut decide: impl FnMut(&M::State) -> Decided<M::Event, R>,
    ) -> Result<Executed<M::State>, ExecuteError<R>> {
        for _attempt in 0..MAX_ATTEMPTS {
            let folded = self.refresh(stream).await.map_err(ExecuteError::cast)?;
            if let Some(first) = Self::already_recorded(&folded, context) {
                return Ok(first);
            }
            if let Some(expected) = required_version
                && expected != folded.version
            {
                return Err(ExecuteError::StaleVersion {
                    stream: stream.clone(),
                    expected,
                    actual: folded.version,
                });
            }
            let events = match decide(&folded.state) {
                Decided::Rejected(r) => return Err(ExecuteError::Rejected(r)),
                Decided::Events(events) => events,
            };
            if events.is_empty() {
                return Ok(Executed {
                    state: folded.state,
                    version: folded.version,
                    event_ids: vec![],
                });
            }
            let new_events = encode_all::<M>(&events, context).map_err(ExecuteError::cast)?;
            let expected = folded
                .version
                .map_or(ExpectedVersion::NoStream, ExpectedVersion::Exact);
            match self.store.append(stream, expected, &new_events).await {
                Ok(outcome) => {
                    let state = events.iter().fold(folded.state, M::evolve);
                    let version = Some(outcome.last_version);
                    let mut keyed = folded.keyed;
                    if context.is_keyed() {
                        keyed.insert(
                            context.correlation_id,
                            KeyedCommand {
                                last_version: outcome.last_version,
                                event_ids: new_events.iter().map(|e| e.event_id).collect(),
                            },
                        );
                    }
                    self.remember(
                        stream,
                        Folded {
                            state: state.clone(),
                            version,
                            keyed,
                        },
                    )
                    .await;
                    return Ok(Executed {
                        state,
                        version,
                        event_ids: new_events.iter().map(|e| e.event_id).collect(),
                    });
                }
                Err(StoreError::WrongExpectedVersion { .. }) => {
                    tracing::debug!(%stream, "conflict with another writer; deciding again");
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(ExecuteError::Contended {
            stream: stream.clone(),
        })
    }

    /// What a keyed request recorded the first time, when `context` repeats it: its answer is
    /// given again and nothing is decided, so a retry never records a second time, even after a
    /// restart (the record is the stream itself).
    fn already_recorded(
        folded: &Folded<M::State>,
        context: &WriteContext,
    ) -> Option<Executed<M::State>> {
        if !context.is_keyed() {
            return None;
        }
        let first = folded.keyed.get(&context.correlation_id)?;
        Some(Executed {
            state: folded.state.clone(),
            version: Some(first.last_version),
            event_ids: first.event_ids.clone(),
        })
    }

    /// What a keyed request recorded in `stream` the first time, if it was recorded there.
    ///
    /// # Errors
    /// When the store cannot be read or an event cannot be decoded.
    pub async fn recorded_by(
        &self,
        stream: &StreamName,
        context: &WriteContext,
    ) -> Result<Option<Executed<M::State>>, ExecuteError<std::convert::Infallible>> {
        let folded = self.refresh(stream).await?;
        Ok(Self::already_recorded(&folded, context))
    }

    /// The cached state brought up to date with the events recorded since.
    async fn refresh(
        &self,
        stream: &StreamName,
    ) -> Result<Folded<M::State>, ExecuteError<std::convert::Infallible>> {
        const PAGE: usize = 1024;
        let cached = self.cache.lock().await.get(stream).cloned();
        let mut folded = cached.unwrap_or_else(Folded::empty);
        let from = folded.version.map_or(0, |v| v + 1);
        let mut pages = self.store.stream_pages(stream, from, PAGE);
        while let Some(page) = pages.next_page().await? {
            for recorded in &page {
                let event = M::decode(recorded).map_err(|detail| ExecuteError::Undecodable {
                    stream: stream.clone(),
                    version: recorded.stream_version,
                    detail,
                })?;
                folded.state = M::evolve(folded.state, &event);
                folded.version = Some(recorded.stream_version);
                if let Ok(meta) = serde_json::from_slice::<CorrelationOnly>(&recorded.metadata)
                    && is_keyed_correlation(meta.correlation_id)
                {
                    folded
                        .keyed
                        .entry(meta.correlation_id)
                        .or_insert_with(|| KeyedCommand {
                            last_version: recorded.stream_version,
                            event_ids: Vec::new(),
                        })
                        .add(recorded.stream_version, recorded.event_id);
                }
            }
        }
        self.remember(stream, folded.clone()).await;
        Ok(folded)
    }

    async fn remember(&self, stream: &StreamName, folded: Folded<M::State>) {
        let mut cache = self.cache.lock().await;
        if cache.len() >= self.capacity && !cache.contains_key(stream) {
            // Simple and bounded: drop an arbitrary half. States are rebuilt from the log on
            // demand, so eviction costs a re-read, never correctness.
            let drop: Vec<StreamName> = cache.keys().take(cache.len() / 2 + 1).cloned().collect();
            for key in drop {
                cache.remove(&key);
            }
        }
        // Never replace a newer cached state with an older one (concurrent commands).
        match cache.get(stream) {
            Some(existing) if existing.version >= folded.version => {}
            _ => {
                cache.insert(stream.clone(), folded);
            }
        }
    }
}

fn encode_all<M: StreamModel>(
    events: &[M::Event],
    context: &WriteContext,
) -> Result<Vec<NewEvent>, ExecuteError<std::convert::Infallible>> {
    let metadata = context.metadata();
    events
        .iter()
        .map(|event| {
            let (event_type, version, payload) =
                M::encode(event).map_err(ExecuteError::Unencodable)?;
            NewEvent::from_json_bytes(Uuid::now_v7(), event_type, version, payload, &metadata)
                .map_err(|InvalidEvent(e)| ExecuteError::Unencodable(e))
        })
        .collect()
}

impl ExecuteError<std::convert::Infallible> {
    /// Widens an error that cannot be a rejection into one for any rejection type.
    pub(crate) fn cast<R>(self) -> ExecuteError<R> {
        match self {
            ExecuteError::Rejected(never) => match never {},
            ExecuteError::StaleVersion {
                stream,
                expected,
                actual,
            } => ExecuteError::StaleVersion {
                stream,
                expected,
                actual,
            },
            ExecuteError::Contended { stream } => ExecuteError::Contended { stream },
            ExecuteError::Undecodable {
                stream,
                version,
                detail,
            } => ExecuteError::Undecodable {
                stream,
                version,
                detail,
            },
            ExecuteError::Unencodable(e) => ExecuteError::Unencodable(e),
            ExecuteError::Store(e) => ExecuteError::Store(e),
        }
    }
}
