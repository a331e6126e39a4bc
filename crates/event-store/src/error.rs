//! What a store answers instead of doing what was asked: the one error type of the port.

use uuid::Uuid;

use crate::types::{ExpectedVersion, StreamName};

/// Everything a store can answer instead of doing what was asked. Adapters map their
/// database and client errors onto these; no driver error crosses the port.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The stream was not where the writer expected it. Nothing was written.
    #[error("stream {stream}: expected {expected}, but {}", describe_actual(*actual))]
    WrongExpectedVersion {
        stream: StreamName,
        expected: ExpectedVersion,
        /// The version of the stream's last event; `None` when the stream does not exist.
        actual: Option<u64>,
    },

    /// An event id is already stored, but not as part of the same append (another stream,
    /// another place, or other content). Nothing was written.
    #[error("event {event_id} is already stored with other content or elsewhere ({detail})")]
    EventIdConflict { event_id: Uuid, detail: String },

    /// The request itself is not acceptable (e.g. no events, a duplicate id in one batch).
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// An imported event does not continue its stream's chain. Nothing of the import was
    /// written.
    #[error("import refused at stream {stream} version {version} (event {event_id}): {reason}")]
    ImportChainBroken {
        stream: StreamName,
        version: u64,
        event_id: Uuid,
        reason: String,
    },

    /// Stored bytes could not be read back into an event (e.g. a hash of the wrong length).
    #[error("stored event is unreadable: {0}")]
    Corrupt(String),

    /// The store could not be reached or failed; whether anything was written is unknown
    /// only for an append that timed out, which is why appends are idempotent by event id.
    #[error("event store unavailable: {0}")]
    Unavailable(String),
}

fn describe_actual(actual: Option<u64>) -> String {
    match actual {
        None => "the stream does not exist".to_owned(),
        Some(v) => format!("its last event has version {v}"),
    }
}
