//! The tamper-evident chain.
//!
//! Each event's hash covers its exact stored bytes and the hash of the previous event of its
//! stream (all zeroes for the first). The global position is left out on purpose: it differs
//! between stores, and the hash must survive a copy from one store to another.
//!
//! Encoding: a domain-separation tag, then every field as a big-endian u64 length followed by
//! its bytes, so no two different events can encode to the same input.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::types::{RecordedEvent, StreamName, time_to_micros};

const DOMAIN_TAG: &[u8] = b"dossier/event/v1";

/// A SHA-256 hash in the chain.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct EventHash(pub [u8; 32]);

impl EventHash {
    /// The "previous hash" of a stream's first event.
    pub const GENESIS: EventHash = EventHash([0; 32]);

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// # Errors
    /// When `s` is not 64 hexadecimal digits.
    pub fn from_hex(s: &str) -> Result<Self, String> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).map_err(|e| format!("not a hash: {e}"))?;
        Ok(Self(out))
    }

    /// # Errors
    /// When `bytes` is not exactly 32 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, String> {
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| format!("a hash has 32 bytes, not {}", bytes.len()))?;
        Ok(Self(arr))
    }
}

impl fmt::Debug for EventHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EventHash({})", self.to_hex())
    }
}

impl fmt::Display for EventHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl From<EventHash> for String {
    fn from(value: EventHash) -> Self {
        value.to_hex()
    }
}

impl TryFrom<String> for EventHash {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::from_hex(&value)
    }
}

/// The fields of an event that its hash covers.
#[derive(Debug, Clone, Copy)]
pub struct HashedFields<'a> {
    pub event_id: Uuid,
    pub stream: &'a StreamName,
    pub stream_version: u64,
    pub event_type: &'a str,
    pub schema_version: u32,
    pub recorded_at_micros: i64,
    pub payload: &'a [u8],
    pub metadata: &'a [u8],
}

impl<'a> HashedFields<'a> {
    pub fn of(event: &'a RecordedEvent) -> Self {
        Self {
            event_id: event.event_id,
            stream: &event.stream,
            stream_version: event.stream_version,
            event_type: &event.event_type,
            schema_version: event.schema_version,
            recorded_at_micros: time_to_micros(event.recorded_at),
            payload: &event.payload,
            metadata: &event.metadata,
        }
    }

    /// The hash of these fields chained to `previous`.
    pub fn hash(&self, previous: &EventHash) -> EventHash {
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_be_bytes());
            h.update(bytes);
        };
        field(DOMAIN_TAG);
        field(self.event_id.as_bytes());
        field(self.stream.as_str().as_bytes());
        field(&self.stream_version.to_be_bytes());
        field(self.event_type.as_bytes());
        field(&self.schema_version.to_be_bytes());
        field(&self.recorded_at_micros.to_be_bytes());
        field(self.payload);
        field(self.metadata);
        field(&previous.0);
        EventHash(h.finalize().into())
    }
}

/// The hash `event` should carry when its stream's previous event has hash `previous`.
pub fn expected_hash(event: &RecordedEvent, previous: &EventHash) -> EventHash {
    HashedFields::of(event).hash(previous)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::types::Position;

    fn event() -> RecordedEvent {
        RecordedEvent {
            event_id: Uuid::from_u128(7),
            stream: StreamName::parse("dossier-1").unwrap(),
            stream_version: 0,
            position: Position(1),
            event_type: "PersonRegistered".into(),
            schema_version: 1,
            recorded_at: Utc.with_ymd_and_hms(2020, 3, 14, 9, 0, 0).unwrap(),
            payload: br#"{"a":1}"#.to_vec(),
            metadata: br#"{"actor_id":"x"}"#.to_vec(),
            hash: EventHash::GENESIS,
        }
    }

    #[test]
    fn every_covered_field_changes_the_hash() {
        let base = expected_hash(&event(), &EventHash::GENESIS);
        let variants: [fn(&mut RecordedEvent); 8] = [
            |e| e.event_id = Uuid::from_u128(8),
            |e| e.stream = StreamName::parse("dossier-2").unwrap(),
            |e| e.stream_version = 1,
            |e| e.event_type = "PersonRegistereD".into(),
            |e| e.schema_version = 2,
            |e| e.recorded_at += chrono::Duration::microseconds(1),
            |e| e.payload[5] = b'2',
            |e| e.metadata.push(b' '),
        ];
        for (i, change) in variants.iter().enumerate() {
            let mut e = event();
            change(&mut e);
            assert_ne!(expected_hash(&e, &EventHash::GENESIS), base, "variant {i}");
        }
        assert_ne!(
            expected_hash(&event(), &EventHash([1; 32])),
            base,
            "previous hash"
        );
    }

    #[test]
    fn position_is_not_covered() {
        let mut e = event();
        let before = expected_hash(&e, &EventHash::GENESIS);
        e.position = Position(999);
        assert_eq!(expected_hash(&e, &EventHash::GENESIS), before);
    }

    #[test]
    fn length_prefixes_keep_fields_apart() {
        // Moving a byte from the type into the payload must not give the same input.
        let mut a = event();
        a.event_type = "ab".into();
        a.payload = b"c".to_vec();
        let mut b = event();
        b.event_type = "a".into();
        b.payload = b"bc".to_vec();
        assert_ne!(
            expected_hash(&a, &EventHash::GENESIS),
            expected_hash(&b, &EventHash::GENESIS)
        );
    }

    #[test]
    fn hex_round_trip() {
        let h = expected_hash(&event(), &EventHash::GENESIS);
        assert_eq!(EventHash::from_hex(&h.to_hex()).unwrap(), h);
        assert!(EventHash::from_hex("zz").is_err());
    }
}
