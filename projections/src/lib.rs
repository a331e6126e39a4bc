//! The read side of Dossier.
//!
//! A [`Projection`] is a deterministic fold over recorded events: given one event it updates its
//! own state and says which rows of its read-model tables changed ([`RowChanges`]). It does no
//! I/O. The [`Runner`] feeds it the global log (catching up, then following), and a
//! [`ReadModelSink`] writes the changed rows **and the projection's checkpoint in one
//! transaction**, so every event is applied to the tables exactly once, whatever crashes in
//! between. Read models are plain SQL tables inspectors can query; any projection can be
//! rebuilt from the log, and a rebuilt one equals the incrementally built one.
//!
//! Architecture invariant: depends on the event-store port, never on a store adapter or HTTP.
//! Projections never write events: things that must happen because a date passes are commands
//! of the daily job, not side effects of a projection.

mod projection;
mod rows;
mod runner;
mod sink;
mod sqlite_sink;

pub use projection::Projection;
pub use rows::{Column, ColumnType, RowChanges, Table, Value};
pub use runner::{RebuildStats, RunError, Runner};
pub use sink::{Checkpoint, ReadModelSink, SinkError};
pub use sqlite_sink::SqliteSink;
