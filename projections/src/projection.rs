//! The `Projection` trait: a read model as a deterministic fold over the global log.

use event_store::RecordedEvent;

use crate::rows::{RowChanges, Table};

/// A read model: a deterministic fold over the global log.
///
/// `apply` sees every event of the log in order (it ignores those it has no use for), updates
/// the projection's own state and records the rows it changed. It must not do I/O or read the
/// clock: the same events always give the same rows, which is what makes a rebuild equal to
/// the incremental result and an as-of answer reproducible.
pub trait Projection: Send + 'static {
    /// Stable name: the key of its checkpoint.
    fn name(&self) -> &'static str;

    /// Bumped whenever `apply` or the tables change meaning: a sink holding another version
    /// rebuilds the projection from the log.
    fn version(&self) -> u32;

    /// The tables this projection owns and alone writes.
    fn tables(&self) -> &'static [&'static Table];

    /// Folds one event in.
    fn apply(&mut self, event: &RecordedEvent, changes: &mut RowChanges);
}
