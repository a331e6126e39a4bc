//! The application layer: turns a command into events in the log.
//!
//! For one stream, [`Executor::execute`] loads the stream's state (from a cache, reading only the
//! events recorded since), asks the pure decider, and appends the events with the version the
//! decision was based on. If another writer got there first, it reloads and decides again, a
//! bounded number of times. A refused command writes nothing.
//!
//! Architecture invariant: no business rule lives here. Rules are in the domain's deciders;
//! this crate only moves state and events between them and the store.

mod access;
mod controls;
mod executor;
pub mod models;
mod persons;
mod proposals;
pub mod sealing;
mod service;
mod subject_access;

pub use access::{AccessEntry, IssuedToken, secret_sha256};
pub use controls::DrawnSample;
pub use executor::{
    Decided, ExecuteError, Executed, Executor, MAX_ATTEMPTS, StreamModel, WriteContext,
};
pub use models::{Kind, Runnable};
pub use persons::{ErasureDue, Identified};
pub use proposals::{ProposalDecided, ProposalTarget, Proposed};
pub use sealing::{Keyring, SealedStore};
pub use service::{CommandError, SeedOutcome, Service, TickReport};
pub use subject_access::{DossierPart, SubjectAccess};
