//! Feeding the log to projections and committing what they change.

use std::sync::Arc;
use std::time::{Duration, Instant};

use event_store::{EventStore, Position, RecordedEvent, StoreError};
use tokio::sync::watch;

use crate::projection::Projection;
use crate::rows::RowChanges;
use crate::sink::{ReadModelSink, SinkError};

/// Why a runner stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Sink(#[from] SinkError),
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy)]
pub struct RebuildStats {
    pub events: u64,
    pub seconds: f64,
}

impl RebuildStats {
    pub fn events_per_second(&self) -> f64 {
        self.events as f64 / self.seconds.max(1e-9)
    }
}

/// One projection with the position of the last event its tables hold.
struct Tracked<'a> {
    projection: &'a mut dyn Projection,
    committed: Option<Position>,
    changes: RowChanges,
}

impl Tracked<'_> {
    /// Folds an event in; an event the tables already hold only rebuilds the in-memory state.
    fn apply(&mut self, event: &RecordedEvent) {
        self.projection.apply(event, &mut self.changes);
        if self.committed.is_some_and(|c| event.position <= c) {
            self.changes.clear();
        }
    }

    fn behind(&self, position: Position) -> bool {
        self.committed.is_none_or(|c| c < position)
    }
}

/// Runs projections against the log and a read-model database.
#[derive(Clone)]
pub struct Runner {
    store: Arc<dyn EventStore>,
    sink: Arc<dyn ReadModelSink>,
    page_size: usize,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("store", &self.store.describe())
            .finish_non_exhaustive()
    }
}

impl Runner {
    pub fn new(store: Arc<dyn EventStore>, sink: Arc<dyn ReadModelSink>) -> Self {
        Self {
            store,
            sink,
            page_size: 2048,
        }
    }

    /// Opens each projection's tables; a projection whose stored version differs is reset, so
    /// it is rebuilt from the log.
    async fn track<'a>(
        &self,
        projections: &'a mut [Box<dyn Projection>],
    ) -> Result<Vec<Tracked<'a>>, RunError> {
        let mut tracked = Vec::with_capacity(projections.len());
        for p in projections.iter_mut() {
            let (name, version, tables) = (p.name(), p.version(), p.tables());
            let checkpoint = self.sink.open(name, version, tables).await?;
            let committed = match checkpoint {
                Some(c) if c.version == version => c.position,
                Some(c) => {
                    tracing::info!(
                        projection = name,
                        from = c.version,
                        to = version,
                        "projection changed: rebuilding"
                    );
                    self.sink.reset(name, version, tables).await?;
                    None
                }
                None => None,
            };
            tracked.push(Tracked {
                projection: p.as_mut(),
                committed,
                changes: RowChanges::default(),
            });
        }
        Ok(tracked)
    }

    /// Writes each projection's pending rows with its new checkpoint, one transaction each.
    async fn commit(&self, tracked: &mut [Tracked<'_>], through: Position) -> Result<(), RunError> {
        for t in tracked.iter_mut().filter(|t| t.behind(through)) {
            self.sink
                .commit(t.projection.name(), &t.changes, through)
                .await?;
            t.changes.clear();
            t.committed = Some(through);
        }
        Ok(())
    }

    /// Brings every projection's tables up to the end of the log; returns where the log ended.
    /// The in-memory state of each projection is rebuilt on the way from the start of the log,
    /// rows below its checkpoint are not written again.
    ///
    /// # Errors
    /// When the log or the read-model database fails; what was committed stays committed.
    pub async fn catch_up(
        &self,
        projections: &mut [Box<dyn Projection>],
    ) -> Result<Position, RunError> {
        let mut tracked = self.track(projections).await?;
        self.catch_up_tracked(&mut tracked, Position::START).await
    }

    async fn catch_up_tracked(
        &self,
        tracked: &mut [Tracked<'_>],
        mut next: Position,
    ) -> Result<Position, RunError> {
        loop {
            let page = self.store.read_all(next, self.page_size).await?;
            let Some(last) = page.last() else {
                return Ok(next);
            };
            next = last.position.next();
            for event in &page {
                for t in tracked.iter_mut() {
                    t.apply(event);
                }
            }
            self.commit(tracked, last.position).await?;
        }
    }

    /// Catches up, then follows the log until `stop` turns true, committing as events arrive.
    ///
    /// # Errors
    /// When the log or the read-model database fails.
    pub async fn follow(
        &self,
        projections: &mut [Box<dyn Projection>],
        mut stop: watch::Receiver<bool>,
    ) -> Result<(), RunError> {
        let mut tracked = self.track(projections).await?;
        let mut next = self.catch_up_tracked(&mut tracked, Position::START).await?;
        while !*stop.borrow() {
            tokio::select! {
                _ = stop.changed() => {}
                () = self.store.wait_for_events(next, Duration::from_secs(1)) => {}
            }
            next = self.catch_up_tracked(&mut tracked, next).await?;
        }
        Ok(())
    }

    /// Drops the projections' tables and rebuilds them from the whole log, reading it once.
    /// `progress` is told the number of events read after each page.
    ///
    /// # Errors
    /// When the log or the read-model database fails.
    pub async fn rebuild(
        &self,
        projections: &mut [Box<dyn Projection>],
        mut progress: impl FnMut(u64) + Send,
    ) -> Result<RebuildStats, RunError> {
        /// Rows are written in large batches: a rebuild is one reader and one writer.
        const EVENTS_PER_COMMIT: u64 = 25_000;
        let started = Instant::now();
        for p in projections.iter() {
            self.sink.reset(p.name(), p.version(), p.tables()).await?;
        }
        let mut tracked = self.track(projections).await?;
        let (mut events, mut since_commit) = (0u64, 0u64);
        let mut next = Position::START;
        let mut last_position = None;
        loop {
            let page = self.store.read_all(next, 8192).await?;
            let Some(last) = page.last() else { break };
            next = last.position.next();
            last_position = Some(last.position);
            for event in &page {
                for t in tracked.iter_mut() {
                    t.apply(event);
                }
            }
            events += page.len() as u64;
            since_commit += page.len() as u64;
            if since_commit >= EVENTS_PER_COMMIT {
                self.commit(&mut tracked, last.position).await?;
                since_commit = 0;
            }
            progress(events);
        }
        if let Some(last) = last_position {
            self.commit(&mut tracked, last).await?;
        }
        Ok(RebuildStats {
            events,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}
