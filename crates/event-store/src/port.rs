//! The port: the `EventStore` trait every adapter implements, with its contract.

use std::time::Duration;

use async_trait::async_trait;

use crate::error::StoreError;
use crate::types::{AppendOutcome, ExpectedVersion, NewEvent, Position, RecordedEvent, StreamName};

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    /// Events written.
    pub imported: u64,
    /// Events that were already stored identically (an import that is resumed after a stop).
    pub already_present: u64,
}

/// The event store: the one place Dossier's facts are kept.
///
/// Contract shared by every adapter (the conformance suite checks each point):
/// - stream versions are 0, 1, 2, … without gaps; positions are strictly increasing in the
///   order readers see them;
/// - an append is atomic and idempotent by event id;
/// - a reader that has seen position P never later finds a committed event below P that it
///   did not see;
/// - payload and metadata come back as the exact bytes written.
#[async_trait]
pub trait EventStore: Send + Sync + 'static {
    /// Appends `events` to `stream` if the stream matches `expected`.
    ///
    /// Re-sending the same events (same ids) after a timeout returns the original outcome and
    /// writes nothing twice.
    ///
    /// # Errors
    /// [`StoreError::WrongExpectedVersion`] when the stream is not as expected;
    /// [`StoreError::EventIdConflict`] when an id is stored elsewhere or with other content;
    /// [`StoreError::InvalidRequest`] for an empty batch or an id twice in one batch;
    /// [`StoreError::Unavailable`] when the store fails. In every error case nothing is written.
    async fn append(
        &self,
        stream: &StreamName,
        expected: ExpectedVersion,
        events: &[NewEvent],
    ) -> Result<AppendOutcome, StoreError>;

    /// Reads up to `max_count` events of `stream`, starting at `from_version`, in version order.
    /// A stream that does not exist reads as empty.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] or [`StoreError::Corrupt`].
    async fn read_stream(
        &self,
        stream: &StreamName,
        from_version: u64,
        max_count: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Reads up to `max_count` events of all streams with a position at or after `from`, in
    /// position order. May return fewer than `max_count` (even none) while a write below the
    /// next position is still in flight: it never returns a position above one it will later
    /// return.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] or [`StoreError::Corrupt`].
    async fn read_all(
        &self,
        from: Position,
        max_count: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Writes events that already have ids, stream versions, recorded-at times and hashes
    /// (copying a log between stores, restoring an export), in the order given, after checking
    /// that each continues its stream's chain. Positions are assigned by this store. Events
    /// already stored identically are skipped, so an interrupted import can be sent again.
    ///
    /// # Errors
    /// [`StoreError::ImportChainBroken`] naming the first event that does not continue its
    /// chain; then nothing of this call is written.
    async fn import(&self, events: &[RecordedEvent]) -> Result<ImportOutcome, StoreError>;

    /// Waits until an event may have been recorded at or after `from`, or `timeout` passes.
    /// A hint for followers of the log: returning early is always allowed.
    async fn wait_for_events(&self, from: Position, timeout: Duration) {
        let _ = from;
        tokio::time::sleep(timeout.min(Duration::from_millis(50))).await;
    }

    /// A description for logs and reports, without secrets (e.g. `sqlite:data/dossier.db`).
    fn describe(&self) -> String;

    /// The store holding the bytes exactly as stored and hashed, when this one is a view that
    /// changes them on the way out (one that opens sealed personal data); `None` for an adapter,
    /// whose reads are the stored bytes. Verification and exports read through it.
    fn as_stored(&self) -> Option<&dyn EventStore> {
        None
    }
}
