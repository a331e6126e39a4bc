//! Feeding the log to projections and committing what they change.
//!
//! Before it touches a projection's tables the runner claims the projection from the sink
//! ([`ReadModelSink::claim`]): with several instances on one database each projection is run
//! by one of them, and the others keep asking, to take over when the holder goes.
//!
//! A runner claims all of its projections or none: Dossier's read models share one in-memory
//! fold of the log (`read::fold`), which a projection joining later could not be caught up on
//! without folding the others' events twice. So it claims them in turn and, when one is run
//! elsewhere, releases the ones it took and asks again later. Claims never wait, so two
//! instances cannot deadlock; whichever gets the first projection usually gets them all.
//!
//! Each projection fails alone: one that panics on an event is stopped (its tables stay at its
//! last checkpoint, before that event) and the others go on. `catch_up` and `rebuild` then end
//! in [`RunError::ProjectionFailed`]; `follow` keeps following with the others and logs it. A
//! restart tries the stopped one again from its checkpoint (`ARCHITECTURE.md`, "the fold
//! unit", says why the unit of failure is the projection and the unit of folding is the log).

use std::sync::Arc;
use std::time::{Duration, Instant};

use event_store::{EventStore, Position, ReadPages, RecordedEvent, StoreError};
use tokio::sync::watch;

use crate::projection::Projection;
use crate::rows::{RowChanges, Table};
use crate::sink::{ReadModelSink, SinkError};

/// Why a runner stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Sink(#[from] SinkError),
    /// A one-off catch-up or rebuild found a projection run by another process.
    #[error("projection {0} is run by another process; stop it first or let it do the work")]
    HeldElsewhere(String),
    /// A projection failed on an event and was stopped; the others were brought up to date.
    /// Its tables hold what it committed before that event.
    #[error(
        "read model {projection} failed on the event at position {position} ({event_type}) and was stopped; the others are up to date"
    )]
    ProjectionFailed {
        projection: &'static str,
        position: u64,
        event_type: String,
    },
}

/// A projection's name, version and tables: what a sink needs to open it.
type Declared = (&'static str, u32, &'static [&'static Table]);

/// The declarations of the tracked projections (taken before an await: the projections
/// themselves are not `Sync`).
fn declared(tracked: &[Tracked<'_>]) -> Vec<Declared> {
    tracked
        .iter()
        .map(|t| {
            (
                t.projection.name(),
                t.projection.version(),
                t.projection.tables(),
            )
        })
        .collect()
}

/// How often a runner asks again for the projections another process runs.
const CLAIM_RETRY: Duration = Duration::from_secs(2);

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
    /// The event it failed on: from then on it is stopped.
    failed: Option<RunError>,
}

impl Tracked<'_> {
    /// Folds an event in; an event the tables already hold only rebuilds the in-memory state.
    /// A projection that panics is stopped with what it committed; its pending rows, which
    /// may hold half of the failed event, are dropped.
    fn apply(&mut self, event: &RecordedEvent) {
        if self.failed.is_some() {
            return;
        }
        let (projection, changes) = (&mut *self.projection, &mut self.changes);
        let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            projection.apply(event, changes);
        }));
        if applied.is_err() {
            let projection = self.projection.name();
            // Type and position only: a payload may hold an INSZ.
            tracing::error!(
                projection,
                position = event.position.0,
                event_type = %event.event_type,
                "read model failed on an event and is stopped; the others go on"
            );
            self.changes.clear();
            self.failed = Some(RunError::ProjectionFailed {
                projection,
                position: event.position.0,
                event_type: event.event_type.clone(),
            });
            return;
        }
        if self.committed.is_some_and(|c| event.position <= c) {
            self.changes.clear();
        }
    }

    /// Whether it has rows to commit through `position`: a stopped projection never has.
    fn behind(&self, position: Position) -> bool {
        self.failed.is_none() && self.committed.is_none_or(|c| c < position)
    }
}

/// The first projection that failed, as the error a one-off run ends in.
fn first_failure(tracked: &mut [Tracked<'_>]) -> Result<(), RunError> {
    match tracked.iter_mut().find_map(|t| t.failed.take()) {
        Some(failure) => Err(failure),
        None => Ok(()),
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

    /// Claims every projection or none: when one is run elsewhere, the ones taken are
    /// released and [`RunError::HeldElsewhere`] names it.
    async fn claim_all<'a>(
        &self,
        projections: &'a mut [Box<dyn Projection>],
    ) -> Result<Vec<&'a mut dyn Projection>, RunError> {
        let names: Vec<&'static str> = projections.iter().map(|p| p.name()).collect();
        for (taken, name) in names.iter().enumerate() {
            if !self.sink.claim(name).await? {
                for earlier in &names[..taken] {
                    self.sink.release(earlier).await?;
                }
                return Err(RunError::HeldElsewhere((*name).to_owned()));
            }
        }
        Ok(projections.iter_mut().map(|p| p.as_mut()).collect())
    }

    /// Opens each (claimed) projection's tables; a projection whose stored version differs is
    /// reset, so it is rebuilt from the log.
    async fn track<'a>(
        &self,
        projections: Vec<&'a mut dyn Projection>,
    ) -> Result<Vec<Tracked<'a>>, RunError> {
        let mut tracked = Vec::with_capacity(projections.len());
        for p in projections {
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
                projection: p,
                committed,
                changes: RowChanges::default(),
                failed: None,
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

    /// Creates the secondary indexes a reset left out (see `ReadModelSink::reset`), once the
    /// rows are in: building an index over a full table is faster than keeping it up to date
    /// row by row through a rebuild. `open` creates whatever is missing and changes nothing
    /// else.
    async fn complete_indexes(&self, projections: Vec<Declared>) -> Result<(), RunError> {
        for (name, version, tables) in projections {
            self.sink.open(name, version, tables).await?;
        }
        Ok(())
    }

    /// Hands each projection's pending rows, with the checkpoint `through`, to a task that
    /// writes them while the caller folds the next events: in a rebuild the fold and the
    /// database each keep a core busy. The projections count as committed at `through` from
    /// here on; the caller awaits the task ([`Runner::finish`]) before the next batch, and a
    /// failure ends the rebuild.
    fn commit_in_background(
        &self,
        tracked: &mut [Tracked<'_>],
        through: Position,
    ) -> tokio::task::JoinHandle<Result<(), RunError>> {
        let batches: Vec<(&'static str, RowChanges)> = tracked
            .iter_mut()
            .filter(|t| t.behind(through))
            .map(|t| {
                t.committed = Some(through);
                (t.projection.name(), std::mem::take(&mut t.changes))
            })
            .collect();
        let sink = self.sink.clone();
        tokio::spawn(async move {
            for (name, changes) in &batches {
                sink.commit(name, changes, through).await?;
            }
            Ok(())
        })
    }

    async fn finish(
        writing: tokio::task::JoinHandle<Result<(), RunError>>,
    ) -> Result<(), RunError> {
        writing.await.map_err(|e| {
            RunError::Sink(SinkError::Unavailable(format!(
                "the writing task failed: {e}"
            )))
        })?
    }

    /// Brings every projection's tables up to the end of the log; returns where the log ended.
    /// The in-memory state of each projection is rebuilt on the way from the start of the log,
    /// rows below its checkpoint are not written again.
    ///
    /// # Errors
    /// When the log or the read-model database fails; what was committed stays committed.
    /// [`RunError::HeldElsewhere`] when another process runs one of the projections.
    pub async fn catch_up(
        &self,
        projections: &mut [Box<dyn Projection>],
    ) -> Result<Position, RunError> {
        let claimed = self.claim_all(projections).await?;
        let mut tracked = self.track(claimed).await?;
        let end = self.catch_up_tracked(&mut tracked, Position::START).await?;
        self.complete_indexes(declared(&tracked)).await?;
        first_failure(&mut tracked)?;
        Ok(end)
    }

    async fn catch_up_tracked(
        &self,
        tracked: &mut [Tracked<'_>],
        from: Position,
    ) -> Result<Position, RunError> {
        let mut pages = self.store.log_pages(from, self.page_size);
        while let Some(page) = pages.next_page().await? {
            for event in &page {
                for t in tracked.iter_mut() {
                    t.apply(event);
                }
            }
            if let Some(last) = pages.last_position() {
                self.commit(tracked, last).await?;
            }
        }
        Ok(pages.next_position())
    }

    /// Claims the projections, catches up, then follows the log until `stop` turns true,
    /// committing as events arrive. While another process runs them it asks again every few
    /// seconds, so it takes over soon after that process stops or dies.
    ///
    /// # Errors
    /// When the log or the read-model database fails, or a claim was lost
    /// ([`SinkError::NotHolder`]); start again, from the checkpoints, with fresh projections.
    pub async fn follow(
        &self,
        projections: &mut [Box<dyn Projection>],
        mut stop: watch::Receiver<bool>,
    ) -> Result<(), RunError> {
        let claimed = loop {
            if *stop.borrow() {
                return Ok(());
            }
            match self.claim_all(projections).await {
                Ok(claimed) => break claimed,
                Err(RunError::HeldElsewhere(projection)) => {
                    tracing::debug!(projection, "run by another process; asking again later");
                }
                Err(e) => return Err(e),
            }
            tokio::select! {
                _ = stop.changed() => {}
                () = tokio::time::sleep(CLAIM_RETRY) => {}
            }
        };
        tracing::info!("this process runs the read models");
        let mut tracked = self.track(claimed).await?;
        let mut next = self.catch_up_tracked(&mut tracked, Position::START).await?;
        self.complete_indexes(declared(&tracked)).await?;
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
    /// When the log or the read-model database fails; [`RunError::HeldElsewhere`] when
    /// another process runs one of the projections.
    pub async fn rebuild(
        &self,
        projections: &mut [Box<dyn Projection>],
        mut progress: impl FnMut(u64) + Send,
    ) -> Result<RebuildStats, RunError> {
        /// Rows are written in large batches: a rebuild is one reader and one writer.
        const EVENTS_PER_COMMIT: u64 = 25_000;
        let started = Instant::now();
        let claimed = self.claim_all(projections).await?;
        for p in &claimed {
            self.sink.reset(p.name(), p.version(), p.tables()).await?;
        }
        let mut tracked = self.track(claimed).await?;
        let (mut events, mut since_commit) = (0u64, 0u64);
        let mut pages = self.store.log_pages(Position::START, 8192);
        let mut in_flight = None;
        while let Some(page) = pages.next_page().await? {
            for event in &page {
                for t in tracked.iter_mut() {
                    t.apply(event);
                }
            }
            events += page.len() as u64;
            since_commit += page.len() as u64;
            if since_commit >= EVENTS_PER_COMMIT {
                // The previous batch must be in before the next is handed over: checkpoints
                // only move forward, one batch at a time.
                if let Some(writing) = in_flight.take() {
                    Self::finish(writing).await?;
                }
                if let Some(last) = pages.last_position() {
                    in_flight = Some(self.commit_in_background(&mut tracked, last));
                }
                since_commit = 0;
            }
            progress(events);
        }
        if let Some(writing) = in_flight.take() {
            Self::finish(writing).await?;
        }
        if let Some(last) = pages.last_position() {
            self.commit(&mut tracked, last).await?;
        }
        self.complete_indexes(declared(&tracked)).await?;
        first_failure(&mut tracked)?;
        Ok(RebuildStats {
            events,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}
