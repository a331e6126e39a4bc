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
//! Read models live in a SQLite file beside the embedded store ([`SqliteSink`]) or in the
//! PostgreSQL store's database, schema `<store schema>_read` ([`PostgresSink`]).
//!
//! [`read`] holds Dossier's read models (budgets, agreements and IDO status, COVID-19 overrun,
//! fraud signals, claim lines, dossier search, control cases, the audit trail); every figure
//! comes from the domain's own functions, never from a rule written again here. [`as_of`]
//! answers one dossier "as known at" a recorded time and "as effective on" a business date;
//! [`replay`] replays one dossier event by event. [`query`] reads the tables back (through
//! [`ReadModelSink::select`]) for the HTTP API.
//!
//! Architecture invariant: depends on the event-store port and the domain, never on a store
//! adapter, the app layer or HTTP.
//! Projections never write events: things that must happen because a date passes are commands
//! of the daily job, not side effects of a projection.

pub mod as_of;
mod postgres_sink;
mod projection;
pub mod query;
pub mod read;
pub mod replay;
mod rows;
mod runner;
mod select;
mod sink;
mod sqlite_sink;

pub use postgres_sink::{PostgresSink, projection_lock_key, read_schema_of};
pub use projection::Projection;
pub use rows::{Column, ColumnType, RowChanges, Table, Value};
pub use runner::{RebuildStats, RunError, Runner};
pub use select::{Direction, Query};
pub use sink::{Checkpoint, ReadModelSink, SinkError};
pub use sqlite_sink::SqliteSink;
