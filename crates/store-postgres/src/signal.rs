//! Waking followers of the log: LISTEN/NOTIFY between processes, a watch channel inside one.
//!
//! NOTIFY is *not* sent inside the append transaction: PostgreSQL serialises the commits of
//! all notifying transactions (it holds a database-wide lock from queueing the notification to
//! the end of commit, fsync included), which would cap throughput at one fsync per append.
//! Instead each store runs a notifier task that sends `pg_notify(channel, last position)` on
//! its own after appends commit, coalescing every append that committed meanwhile into one
//! notification, and a listener task on a dedicated connection that feeds the positions other
//! processes announce into the same watch channel local appends update.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use deadpool_postgres::Pool;
use event_store::{Position, StoreError};
use futures::StreamExt;
use sha2::{Digest, Sha256};
use tokio::sync::{oneshot, watch};
use tokio_postgres::{AsyncMessage, NoTls};

use crate::error::unavailable;

/// How long a follower waits at most while the listener is reconnecting and notifications
/// from other processes may be lost.
const BLIND_WAIT: Duration = Duration::from_millis(100);

/// The longest a follower in another process waits for news of an append, beyond the
/// round trips.
const NOTIFY_EVERY: Duration = Duration::from_millis(5);

#[derive(Debug)]
struct Shared {
    /// The highest position known to be committed.
    latest: watch::Sender<u64>,
    /// Whether the listener is listening, so no notification can be missed.
    listening: AtomicBool,
}

/// The store's end: announce local appends, wait for any.
#[derive(Debug)]
pub(crate) struct Signals {
    shared: Arc<Shared>,
    /// Positions of local appends, for the notifier to pass on to other processes.
    appended: watch::Sender<u64>,
    /// Dropped with the store, which stops the listener.
    _stop: watch::Sender<()>,
}

/// The notification channel of one schema: a name that fits PostgreSQL's 63-byte limit.
fn channel_of(schema: &str) -> String {
    let digest = Sha256::digest(schema.as_bytes());
    format!("dossier_events_{}", hex::encode(&digest[..8]))
}

fn raise(watch: &watch::Sender<u64>, position: u64) {
    watch.send_if_modified(|v| {
        let higher = position > *v;
        if higher {
            *v = position;
        }
        higher
    });
}

impl Signals {
    /// Starts the listener (and waits until it listens) and the notifier.
    /// Without `listen` (a hot standby refuses LISTEN) followers look for other processes'
    /// appends every [`BLIND_WAIT`].
    pub async fn start(
        config: tokio_postgres::Config,
        pool: Pool,
        schema: &str,
        listen: bool,
    ) -> Result<Self, StoreError> {
        let channel = channel_of(schema);
        let shared = Arc::new(Shared {
            latest: watch::channel(0).0,
            listening: AtomicBool::new(false),
        });
        let (stop, stopped) = watch::channel(());
        if listen {
            let (ready, is_ready) = oneshot::channel();
            tokio::spawn(self::listen(
                config,
                channel.clone(),
                shared.clone(),
                stopped,
                ready,
            ));
            is_ready.await.map_err(|_| {
                StoreError::Unavailable("the listener stopped before it started".into())
            })??;
        }
        let (appended, to_notify) = watch::channel(0);
        tokio::spawn(notify(pool, channel, to_notify));
        Ok(Self {
            shared,
            appended,
            _stop: stop,
        })
    }

    /// Called after an append or import committed, with its last position.
    pub fn committed(&self, position: Position) {
        raise(&self.shared.latest, position.0);
        raise(&self.appended, position.0);
    }

    pub async fn wait_for(&self, from: Position, timeout: Duration) {
        let mut latest = self.shared.latest.subscribe();
        let limit = if self.shared.listening.load(Ordering::Acquire) {
            timeout
        } else {
            timeout.min(BLIND_WAIT)
        };
        let _ = tokio::time::timeout(limit, latest.wait_for(|&p| p >= from.0)).await;
    }
}

/// Listens on a dedicated connection, reconnecting after failures, until `stopped`.
async fn listen(
    config: tokio_postgres::Config,
    channel: String,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<()>,
    ready: oneshot::Sender<Result<(), StoreError>>,
) {
    let mut ready = Some(ready);
    let mut pause = Duration::from_millis(50);
    loop {
        match listen_once(&config, &channel, &shared).await {
            Ok((client, driver)) => {
                if let Some(ready) = ready.take() {
                    let _ = ready.send(Ok(()));
                }
                pause = Duration::from_millis(50);
                tokio::select! {
                    result = driver => {
                        tracing::warn!(?result, "event notification listener lost its connection");
                    }
                    _ = stopped.changed() => return,
                }
                drop(client);
            }
            Err(e) => {
                if let Some(ready) = ready.take() {
                    let _ = ready.send(Err(e));
                    return;
                }
                tracing::warn!(error = %e, "event notification listener cannot reconnect");
            }
        }
        shared.listening.store(false, Ordering::Release);
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            _ = stopped.changed() => return,
        }
        pause = (pause * 2).min(Duration::from_secs(5));
    }
}

type Driver = tokio::task::JoinHandle<Result<(), tokio_postgres::Error>>;

async fn listen_once(
    config: &tokio_postgres::Config,
    channel: &str,
    shared: &Arc<Shared>,
) -> Result<(tokio_postgres::Client, Driver), StoreError> {
    let (client, mut connection) = config
        .connect(NoTls)
        .await
        .map_err(|e| unavailable("connect the listener", &e))?;
    let driver = {
        let shared = shared.clone();
        tokio::spawn(async move {
            let mut messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
            while let Some(message) = messages.next().await {
                if let AsyncMessage::Notification(n) = message?
                    && let Ok(position) = n.payload().parse()
                {
                    raise(&shared.latest, position);
                }
            }
            Ok(())
        })
    };
    let setup = async {
        client.batch_execute(&format!("LISTEN {channel}")).await?;
        // Whatever committed before we listened is announced by reading the head once.
        client
            .query_one("SELECT coalesce(max(position), 0) FROM events", &[])
            .await
    };
    match setup.await {
        Ok(row) => {
            let head: i64 = row.get(0);
            raise(&shared.latest, u64::try_from(head).unwrap_or(0));
            shared.listening.store(true, Ordering::Release);
            Ok((client, driver))
        }
        Err(e) => {
            driver.abort();
            Err(unavailable("start listening for events", &e))
        }
    }
}

/// Passes local appends on to other processes, one notification per burst (everything that
/// committed while the previous one was sent). Ends when the store is dropped.
async fn notify(pool: Pool, channel: String, mut appended: watch::Receiver<u64>) {
    while appended.changed().await.is_ok() {
        let position = *appended.borrow_and_update();
        let sent = async {
            let client = pool
                .get()
                .await
                .map_err(|e| StoreError::Unavailable(e.to_string()))?;
            let statement = client
                .prepare_cached("SELECT pg_notify($1, $2)")
                .await
                .map_err(|e| unavailable("prepare notify", &e))?;
            client
                .execute(&statement, &[&channel, &position.to_string()])
                .await
                .map_err(|e| unavailable("notify", &e))
        };
        match sent.await {
            // Each notification is a small transaction the server serialises with every
            // other notifier: at most one per NOTIFY_EVERY, whatever the append rate.
            Ok(_) => tokio::time::sleep(NOTIFY_EVERY).await,
            Err(e) => {
                tracing::warn!(error = %e, "could not announce appended events");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_are_short_identifiers_per_schema() {
        let a = channel_of(&"a".repeat(63));
        assert!(a.len() < 63);
        assert!(
            a.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        );
        assert_ne!(channel_of("public"), channel_of("t_1"));
    }
}
