//! Where a log came from, when it is not where it began: a log made by a re-encrypting copy
//! (`dossier store copy --seal`) chains to new hashes, so its first fact names the log it was
//! copied from by that log's digest. An inspector holding the old digest can follow it to the
//! new one: the link is itself an event, under the new log's hash chain.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The stream of the log's lineage.
pub const STREAM: &str = "store-lineage";

crate::event::event_enum! {
    /// Events of the lineage stream.
    LineageEvent {
        LogResealed = 1,
    }
}

/// This log is a copy of another whose personal data, stored in plain text, was sealed on the
/// way: every event kept its id, stream, version, type, recorded-at time and meaning; payloads
/// and metadata holding personal data were sealed, so the hashes chain anew.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LogResealed {
    /// The digest `dossier verify` printed for the source log: what its holders can check.
    pub source_digest: String,
    /// Events copied (every event of the source).
    pub source_events: u64,
    /// Of those, the events whose personal data was sealed on the way.
    pub sealed_events: u64,
    /// The digest of this log as the copy left it, just before this event.
    pub copy_digest: String,
}
