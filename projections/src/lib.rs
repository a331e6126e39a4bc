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
//! The read side is a port with adapters: [`ReadModelSink`] is the port, [`sql::Dialect`] builds
//! every statement for both databases, and the adapters run them: `read-sqlite` (a SQLite file
//! beside the embedded store) and `read-postgres` (the PostgreSQL store's database, schema
//! `<store schema>_read`).
//!
//! [`read`] holds Dossier's read models (budgets, agreements and IDO status, COVID-19 overrun,
//! fraud signals, claim lines, dossier search, control cases, the audit trail); every figure
//! comes from the domain's own functions, never from a rule written again here. [`as_of`]
//! answers one dossier "as known at" a recorded time and "as effective on" a business date;
//! [`replay`] replays one dossier event by event. [`query`] reads the tables back (through
//! [`ReadModelSink::select`]) for the HTTP API.
//!
//! Architecture invariant: depends on the event-store port and the domain, never on a store
//! adapter, a database driver (rusqlite, tokio-postgres), the app layer or HTTP.
//! Projections never write events: things that must happen because a date passes are commands
//! of the daily job, not side effects of a projection.

pub mod as_of;
mod projection;
pub mod query;
pub mod read;
pub mod replay;
mod rows;
mod runner;
mod select;
mod sink;
pub mod sql;

pub use projection::Projection;
pub use rows::{Column, ColumnType, Row, RowChanges, Table, Value};
pub use runner::{RebuildStats, RunError, Runner};
pub use select::{Direction, Query, Resolved, cell_from_text};
pub use sink::{Checkpoint, ReadModelSink, SinkError};
