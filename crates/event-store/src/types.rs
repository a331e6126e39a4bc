//! The envelope types of the port: stream names, positions, expected versions, metadata, and
//! events as written and as recorded.

use std::fmt;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::hash::EventHash;

/// Why a value could not become part of an event envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidEvent(pub String);

/// The name of a stream: 1 to 200 characters from `A-Z a-z 0-9 - _ . : @`.
///
/// The restricted alphabet keeps names safe in URLs, file names and every store's own naming
/// rules (KurrentDB reserves a leading `$`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StreamName(String);

impl StreamName {
    pub const MAX_LEN: usize = 200;

    /// # Errors
    /// When the name is empty, too long or has a character outside the allowed set.
    pub fn parse(name: impl Into<String>) -> Result<Self, InvalidEvent> {
        let name = name.into();
        if name.is_empty() || name.len() > Self::MAX_LEN {
            return Err(InvalidEvent(format!(
                "stream name must have 1 to {} characters",
                Self::MAX_LEN
            )));
        }
        if let Some(bad) = name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '@')))
        {
            return Err(InvalidEvent(format!(
                "stream name {name:?} has a character that is not allowed: {bad:?}"
            )));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for StreamName {
    type Error = InvalidEvent;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<StreamName> for String {
    fn from(value: StreamName) -> Self {
        value.0
    }
}

impl fmt::Display for StreamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A place in the global order of all events. Strictly increasing in commit order; not
/// necessarily dense, and not the same number in another store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Position(pub u64);

impl Position {
    /// Reading from here returns the whole log.
    pub const START: Position = Position(0);

    /// The position just after this one: where a reader that has seen `self` continues.
    pub fn next(self) -> Position {
        Position(self.0 + 1)
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What the writer believes about the stream it appends to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpectedVersion {
    /// Append whatever the stream holds.
    Any,
    /// The stream must not exist yet.
    NoStream,
    /// The stream must hold at least one event.
    StreamExists,
    /// The stream's last event must have exactly this version.
    Exact(u64),
}

impl fmt::Display for ExpectedVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectedVersion::Any => f.write_str("any"),
            ExpectedVersion::NoStream => f.write_str("no stream"),
            ExpectedVersion::StreamExists => f.write_str("stream exists"),
            ExpectedVersion::Exact(v) => write!(f, "version {v}"),
        }
    }
}

/// Who caused an event and why. Stored as the exact JSON bytes written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventMetadata {
    /// The acting user (`system` for the daily job, the operating-system user for the CLI).
    pub actor_id: String,
    /// The role the actor acted in: `staff`, `inspector`, `investigator`, `admin`, `system`.
    pub actor_role: String,
    /// Shared by every event that one request or job caused.
    pub correlation_id: Uuid,
    /// The event or command that directly caused this one, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causation_id: Option<Uuid>,
    /// Why the actor did it, in their own words, where they gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For a weighty decision a second user confirmed (four-eyes): the proposal and who made
    /// it. The actor above is the one who confirmed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed: Option<Proposed>,
}

/// Who proposed the decision an event records, when a second user confirmed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposed {
    /// The proposal, in the stream `proposals-<this stream>`.
    pub proposal_id: Uuid,
    /// The user who proposed it.
    pub actor_id: String,
    /// The role they proposed it in.
    pub actor_role: String,
    /// The business date of the proposal.
    pub proposed_on: chrono::NaiveDate,
}

/// An event as a writer hands it to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    /// The payload as UTF-8 JSON bytes, stored exactly as given.
    pub payload: Vec<u8>,
    /// The serialised [`EventMetadata`], stored exactly as given.
    pub metadata: Vec<u8>,
}

impl NewEvent {
    /// Builds an event from a serialisable payload.
    ///
    /// # Errors
    /// When the type name is empty or the payload does not serialise to JSON.
    pub fn new(
        event_id: Uuid,
        event_type: impl Into<String>,
        schema_version: u32,
        payload: &impl Serialize,
        metadata: &EventMetadata,
    ) -> Result<Self, InvalidEvent> {
        let payload = serde_json::to_vec(payload)
            .map_err(|e| InvalidEvent(format!("payload does not serialise: {e}")))?;
        Self::from_json_bytes(event_id, event_type, schema_version, payload, metadata)
    }

    /// Builds an event from payload bytes that must already be JSON.
    ///
    /// # Errors
    /// When the type name is empty or the payload is not valid JSON.
    pub fn from_json_bytes(
        event_id: Uuid,
        event_type: impl Into<String>,
        schema_version: u32,
        payload: Vec<u8>,
        metadata: &EventMetadata,
    ) -> Result<Self, InvalidEvent> {
        let event_type = event_type.into();
        if event_type.is_empty() || event_type.len() > 200 {
            return Err(InvalidEvent(
                "event type must have 1 to 200 characters".into(),
            ));
        }
        serde_json::from_slice::<serde::de::IgnoredAny>(&payload)
            .map_err(|e| InvalidEvent(format!("payload is not JSON: {e}")))?;
        let metadata = serde_json::to_vec(metadata)
            .map_err(|e| InvalidEvent(format!("metadata does not serialise: {e}")))?;
        Ok(Self {
            event_id,
            event_type,
            schema_version,
            payload,
            metadata,
        })
    }
}

/// An event as the store holds it: the writer's event plus where and when it was recorded and
/// the hash that links it to the previous event of its stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedEvent {
    pub event_id: Uuid,
    pub stream: StreamName,
    /// 0 for the first event of a stream, then 1, 2, … without gaps.
    pub stream_version: u64,
    pub position: Position,
    pub event_type: String,
    pub schema_version: u32,
    /// Transaction time, whole microseconds, UTC.
    pub recorded_at: DateTime<Utc>,
    pub payload: Vec<u8>,
    pub metadata: Vec<u8>,
    /// Covers every field above except `position`, plus the hash of the previous event of the
    /// stream.
    pub hash: EventHash,
}

impl RecordedEvent {
    /// Parses the stored metadata bytes.
    ///
    /// # Errors
    /// When the stored bytes are not valid metadata JSON.
    pub fn metadata(&self) -> Result<EventMetadata, serde_json::Error> {
        serde_json::from_slice(&self.metadata)
    }

    /// Parses the stored payload bytes into `T`.
    ///
    /// # Errors
    /// When the stored bytes do not deserialise into `T`.
    pub fn payload_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.payload)
    }
}

/// What an append wrote: the versions and positions of its first and last event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendOutcome {
    pub first_version: u64,
    pub last_version: u64,
    pub first_position: Position,
    pub last_position: Position,
}

/// Microseconds since the Unix epoch: the one representation of recorded-at that every store
/// keeps and the hash covers.
pub fn time_to_micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// The inverse of [`time_to_micros`].
pub fn micros_to_time(micros: i64) -> DateTime<Utc> {
    Utc.timestamp_micros(micros)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Drops sub-microsecond precision, so a time survives every store unchanged.
pub fn truncate_to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    micros_to_time(time_to_micros(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_names_are_checked() {
        assert!(StreamName::parse("dossier-0190a1b2").is_ok());
        assert!(StreamName::parse("").is_err());
        assert!(StreamName::parse("$all").is_err());
        assert!(StreamName::parse("a b").is_err());
        assert!(StreamName::parse("x".repeat(201)).is_err());
        assert!(StreamName::parse("x".repeat(200)).is_ok());
    }

    #[test]
    fn payload_must_be_json() {
        let meta = EventMetadata {
            actor_id: "u".into(),
            actor_role: "staff".into(),
            correlation_id: Uuid::nil(),
            causation_id: None,
            reason: None,
            proposed: None,
        };
        assert!(
            NewEvent::from_json_bytes(Uuid::nil(), "T", 1, b"{\"a\":1}".to_vec(), &meta).is_ok()
        );
        assert!(NewEvent::from_json_bytes(Uuid::nil(), "T", 1, b"{a".to_vec(), &meta).is_err());
        assert!(NewEvent::from_json_bytes(Uuid::nil(), "", 1, b"{}".to_vec(), &meta).is_err());
    }
}
