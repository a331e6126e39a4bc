//! The few KurrentDB operations the adapter needs, behind one trait: [`ClientBackend`] does
//! them with the `kurrentdb` client; the tests do them against a model of the server
//! (`model.rs`), so the adapter's own logic runs the whole conformance suite without one.

use std::sync::{OnceLock, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use event_store::{Position, StoreError};
use kurrentdb::{
    AppendToStreamOptions, Client, ClientSettings, ReadAllOptions, ReadStreamOptions,
    StreamPosition, StreamState, SubscribeToAllOptions, SubscriptionFilter, WriteResult,
};
use tokio::sync::watch;

use crate::error::connection_lost;
use crate::mapping::{Outgoing, RawEvent};
use crate::position::{AllPosition, to_position};

/// Server-side filter for `$all`: only streams that are not KurrentDB's own (`$…`).
const NOT_SYSTEM_STREAM: &str = "^[^$]";

/// Which events of a stream to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StreamRead {
    /// From this revision on, in revision order; `leader`: from the leader node, so the
    /// reader's own writes are there.
    Forward { from: u64, leader: bool },
    /// The last events, newest first, from the leader.
    Tail,
}

#[async_trait]
pub(crate) trait Backend: Send + Sync + 'static {
    /// Up to `count` events of `stream`. A stream that does not exist is
    /// `Err(ResourceNotFound)` or an empty list.
    async fn read_stream(
        &self,
        stream: &str,
        read: StreamRead,
        count: usize,
    ) -> kurrentdb::Result<Vec<RawEvent>>;

    /// Appends `events` atomically if the stream is in `state`.
    async fn append(
        &self,
        stream: &str,
        state: StreamState,
        events: Vec<Outgoing>,
    ) -> kurrentdb::Result<WriteResult>;

    /// Up to `count` events of `$all` outside `$`-prefixed streams, from `from` inclusive
    /// (`None`: the start); fewer only at the end.
    async fn read_all(
        &self,
        from: Option<AllPosition>,
        count: usize,
    ) -> kurrentdb::Result<Vec<RawEvent>>;

    /// Whether a server answers.
    async fn probe(&self) -> kurrentdb::Result<()>;

    /// Waits until an event at or after `from` may have been recorded, or `timeout` passes.
    async fn wait_for_events(&self, from: Position, timeout: Duration);

    /// Told of every error, so a client whose connection task ended can be replaced.
    fn failed(&self, e: &kurrentdb::Error);
}

/// The `kurrentdb` client.
pub(crate) struct ClientBackend {
    settings: ClientSettings,
    client: RwLock<Client>,
    watcher: OnceLock<Watcher>,
}

impl ClientBackend {
    /// Builds the client; contacts no server (the client connects on first use).
    pub fn new(settings: ClientSettings) -> Result<Self, StoreError> {
        let client = new_client(&settings)?;
        Ok(Self {
            settings,
            client: RwLock::new(client),
            watcher: OnceLock::new(),
        })
    }

    fn client(&self) -> Client {
        self.client
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

fn new_client(settings: &ClientSettings) -> Result<Client, StoreError> {
    let handle = tokio::runtime::Handle::try_current().map_err(|_| {
        StoreError::InvalidRequest("a KurrentDB store must be opened inside a Tokio runtime".into())
    })?;
    Client::with_runtime_handle(handle, settings.clone())
        .map_err(|e| StoreError::Unavailable(format!("cannot build the KurrentDB client: {e}")))
}

async fn drain(mut read: kurrentdb::ReadStream) -> kurrentdb::Result<Vec<RawEvent>> {
    let mut events = Vec::new();
    while let Some(resolved) = read.next().await? {
        events.push(RawEvent::of(resolved.get_original_event()));
    }
    Ok(events)
}

#[async_trait]
impl Backend for ClientBackend {
    async fn read_stream(
        &self,
        stream: &str,
        read: StreamRead,
        count: usize,
    ) -> kurrentdb::Result<Vec<RawEvent>> {
        let options = match read {
            StreamRead::Forward { from, leader } => ReadStreamOptions::default()
                .position(StreamPosition::Position(from))
                .forwards()
                .requires_leader(leader),
            StreamRead::Tail => ReadStreamOptions::default()
                .position(StreamPosition::End)
                .backwards()
                .requires_leader(true),
        }
        .max_count(count);
        drain(self.client().read_stream(stream, &options).await?).await
    }

    async fn append(
        &self,
        stream: &str,
        state: StreamState,
        events: Vec<Outgoing>,
    ) -> kurrentdb::Result<WriteResult> {
        let options = AppendToStreamOptions::default().stream_state(state);
        let data: Vec<_> = events.into_iter().map(Outgoing::into_event_data).collect();
        self.client().append_to_stream(stream, &options, data).await
    }

    async fn read_all(
        &self,
        from: Option<AllPosition>,
        count: usize,
    ) -> kurrentdb::Result<Vec<RawEvent>> {
        let start = match from {
            None => StreamPosition::Start,
            Some(p) => StreamPosition::Position(p.to_client()),
        };
        let options = ReadAllOptions::default()
            .position(start)
            .forwards()
            .max_count(count)
            .filter(SubscriptionFilter::on_stream_name().regex(NOT_SYSTEM_STREAM));
        drain(self.client().read_all(&options).await?).await
    }

    async fn probe(&self) -> kurrentdb::Result<()> {
        self.client().server_info().await.map(|_| ())
    }

    async fn wait_for_events(&self, from: Position, timeout: Duration) {
        let mut seen = self
            .watcher
            .get_or_init(|| Watcher::start(self.settings.clone(), self.client()))
            .seen
            .clone();
        let _ = tokio::time::timeout(timeout, seen.wait_for(|&p| p >= from.0)).await;
    }

    fn failed(&self, e: &kurrentdb::Error) {
        if connection_lost(e)
            && let Ok(fresh) = new_client(&self.settings)
        {
            *self
                .client
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
        }
    }
}

/// Follows `$all` live, so `wait_for_events` ends as soon as an event arrives.
struct Watcher {
    /// The highest position of ours seen since the watcher started.
    seen: watch::Receiver<u64>,
    task: tokio::task::JoinHandle<()>,
}

impl Watcher {
    fn start(settings: ClientSettings, client: Client) -> Self {
        let (tx, seen) = watch::channel(0);
        let task = tokio::spawn(follow(settings, client, tx));
        Self { seen, task }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Subscribes to `$all` from its end and publishes the position of every non-system event;
/// subscribes again a second after the subscription drops. Events appended while it is not
/// subscribed are not missed by readers (they read `$all`); a wait only lasts to its timeout.
async fn follow(settings: ClientSettings, mut client: Client, tx: watch::Sender<u64>) {
    let options = SubscribeToAllOptions::default()
        .position(StreamPosition::End)
        .filter(SubscriptionFilter::on_stream_name().regex(NOT_SYSTEM_STREAM));
    loop {
        let mut subscription = client.subscribe_to_all(&options).await;
        loop {
            match subscription.next().await {
                Ok(resolved) => {
                    let position = AllPosition::of(resolved.get_original_event().position);
                    if let Ok(Position(p)) = to_position(position) {
                        tx.send_if_modified(|seen| {
                            let newer = p > *seen;
                            if newer {
                                *seen = p;
                            }
                            newer
                        });
                    }
                }
                Err(e) => {
                    tracing::debug!(error = %e, "KurrentDB $all subscription dropped");
                    if connection_lost(&e)
                        && let Ok(fresh) = new_client(&settings)
                    {
                        client = fresh;
                    }
                    break;
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
