//! The event-store port of Dossier.
//!
//! Every fact about a case is an immutable event in a stream (one per dossier, plus a few
//! registry streams). This crate owns what every store must agree on: the envelope types
//! ([`NewEvent`], [`RecordedEvent`], [`EventMetadata`]), the [`EventStore`] trait that adapters
//! implement, the tamper-evident hash chain ([`hash`]), log verification ([`verify`]), the
//! shared append rules every adapter calls ([`append`]), resumable copies of a whole log through
//! the import path ([`copy`]), pagers over the whole log or a stream ([`ReadPages`]), catch-up subscriptions ([`Subscription`]), an in-memory adapter
//! for tests ([`MemoryStore`]), and the key-store port that personal data is encrypted with
//! ([`KeyStore`], [`MemoryKeyStore`]).
//!
//! Architecture invariant: this crate knows no database, no HTTP and no domain rule. Adapters
//! depend on it, never the other way round; the domain crate does not depend on it at all.

pub mod append;
pub mod copy;
mod error;
pub mod hash;
mod keys;
mod memory;
mod pages;
mod port;
mod subscription;
mod types;
pub mod verify;

pub use error::StoreError;
pub use hash::EventHash;
pub use keys::{KEY_LEN, KeyId, KeyRecord, KeyState, KeyStore, MemoryKeyStore};
pub use memory::{HistoryClock, MemoryStore};
pub use pages::{LogPages, ReadPages, StreamPages};
pub use port::{EventStore, ImportOutcome};
pub use subscription::Subscription;
pub use types::{
    AppendOutcome, EventMetadata, ExpectedVersion, InvalidEvent, NewEvent, Position, Proposed,
    RecordedEvent, StreamName, micros_to_time, time_to_micros, truncate_to_micros,
};
