//! The `ReadModelSink` trait: where read models write their rows and checkpoints, and how they
//! are read back.

use async_trait::async_trait;
use event_store::Position;

use crate::rows::{RowChanges, Table, Value};
use crate::select::Query;

/// Where a projection stands: the position of the last event applied to its tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    pub version: u32,
    pub position: Option<Position>,
}

/// Why a read-model database did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SinkError {
    #[error("read-model database unavailable: {0}")]
    Unavailable(String),
    /// A test hook stopped a commit between writing rows and writing the checkpoint.
    #[error("injected crash between rows and checkpoint")]
    InjectedCrash,
    /// This process no longer holds the right to write the projection's tables (its
    /// connection was lost and another process may run the projection now): nothing was
    /// written.
    #[error("projection {0} is no longer run by this process; nothing was written")]
    NotHolder(String),
    /// A query named a column its table does not declare (a bug in the caller).
    #[error("table {table} has no column {column}")]
    UnknownColumn { table: &'static str, column: String },
}

/// A SQL database holding read models and their checkpoints.
///
/// Exactly one process writes a projection's tables at a time: the runner asks for the right
/// with [`ReadModelSink::claim`] before it opens, resets or commits a projection, and a sink
/// shared by several processes refuses to write for a projection whose claim was lost.
#[async_trait]
pub trait ReadModelSink: Send + Sync {
    /// Takes (or confirms) this process's exclusive right to write `projection`'s tables.
    /// `Ok(false)` when another process holds it; ask again later, it passes on when the
    /// holder stops or dies. A sink only one process can open (a SQLite file beside the
    /// embedded store) always grants it.
    ///
    /// # Errors
    /// When the database cannot be used.
    async fn claim(&self, projection: &str) -> Result<bool, SinkError> {
        let _ = projection;
        Ok(true)
    }

    /// Gives up a claim taken with [`ReadModelSink::claim`], so another process may take it.
    ///
    /// # Errors
    /// When the database cannot be used.
    async fn release(&self, projection: &str) -> Result<(), SinkError> {
        let _ = projection;
        Ok(())
    }

    /// Creates the projection's tables when missing and returns its checkpoint (`None` for a
    /// projection never run here).
    ///
    /// # Errors
    /// When the database cannot be used.
    async fn open(
        &self,
        projection: &str,
        version: u32,
        tables: &[&'static Table],
    ) -> Result<Option<Checkpoint>, SinkError>;

    /// Drops and recreates the projection's tables and clears its checkpoint, for a rebuild.
    /// The tables' secondary indexes are left out until the next [`ReadModelSink::open`], so a
    /// rebuild fills the tables first.
    ///
    /// # Errors
    /// When the database cannot be used.
    async fn reset(
        &self,
        projection: &str,
        version: u32,
        tables: &[&'static Table],
    ) -> Result<(), SinkError>;

    /// Writes `changes` and moves the checkpoint to `position`, in one transaction: both or
    /// neither.
    ///
    /// # Errors
    /// When the transaction did not commit; then nothing of it is written.
    /// [`SinkError::NotHolder`] when this process no longer holds the projection's claim.
    async fn commit(
        &self,
        projection: &str,
        changes: &RowChanges,
        position: Position,
    ) -> Result<(), SinkError>;

    /// The rows of `table` that `query` asks for, each in the order of the table's columns.
    /// A table no projection has created yet has no rows.
    ///
    /// # Errors
    /// [`SinkError::UnknownColumn`] when the query names a column the table does not declare;
    /// otherwise when the database cannot be used.
    async fn select(
        &self,
        table: &'static Table,
        query: &Query,
    ) -> Result<Vec<Vec<Value>>, SinkError>;

    /// How many rows of `table` `query` matches, ignoring its order and page (0 for a table
    /// no projection has created yet).
    ///
    /// # Errors
    /// As [`Self::select`].
    async fn count(&self, table: &'static Table, query: &Query) -> Result<u64, SinkError>;

    /// The projection's checkpoint, without creating anything (`None` for a projection never
    /// run here).
    ///
    /// # Errors
    /// When the database cannot be used.
    async fn checkpoint(&self, projection: &str) -> Result<Option<Checkpoint>, SinkError>;
}
